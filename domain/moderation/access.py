"""Who may see and act on moderation data (Art. 11: moderators and auditors only)."""

from __future__ import annotations

from domain.access import Actor, ActorKind, Permission, Role
from domain.errors import PermissionDenied

# Acting on platform users: warn, ban, confirm, revoke, unban, decide queue items.
MODERATE = Permission("moderation.act", roles=(Role.MODERATOR,), scope="moderation:write")
# Reading cases, histories, the queue and exports.
VIEW_MODERATION = Permission(
    "moderation.view", roles=(Role.MODERATOR, Role.AUDITOR), scope="moderation:read"
)
# The platform sending reports and appeals in (an integration; moderators may too).
SUBMIT_TO_QUEUE = Permission("moderation.submit", roles=(Role.MODERATOR,), scope="moderation:write")
# Erasing a platform user's personal data on request.
ERASE_USER = Permission(
    "moderation.erase", roles=(Role.MODERATOR, Role.ADMIN), scope="moderation:write"
)


def platforms_in_scope(actor: Actor, permission: Permission) -> frozenset[int] | None:
    """The platforms whose moderation data this person may see or act on (None: every one).
    A moderator granted for `web` only sees `web`'s queue; integrations are scoped by API key."""
    if actor.kind is not ActorKind.USER:
        return None
    grants = [g for g in actor.grants if g.role in permission.roles]
    if any(g.platform_id is None for g in grants):
        return None
    return frozenset(g.platform_id for g in grants if g.platform_id is not None)


def require_person(actor: Actor, subject_key: str) -> None:
    """Four-eyes and appeal decisions name the moderator who made them: an API key alone (no
    `user_id`/`email`) could not show it was someone other than the one who acted."""
    if actor.kind is ActorKind.INTEGRATION:
        raise PermissionDenied("mod.errors.person_needed", key=subject_key)
