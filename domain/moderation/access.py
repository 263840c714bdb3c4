"""Who may see and act on moderation data (Art. 11: moderators and auditors only)."""

from __future__ import annotations

from domain.access import Permission, Role

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
