"""Reading moderation data: a case, a user's history, the platform's status lookup, exports.

Every read checks VIEW_MODERATION: moderation details are for moderators and auditors (Art. 11).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from domain.access import Actor
from domain.errors import NotFound
from domain.events import DomainEvent, JSONDict, Subject
from domain.moderation import lookup
from domain.moderation.access import VIEW_MODERATION
from domain.moderation.models import (
    CaseKind,
    CaseStatus,
    ModerationCase,
    PlatformUser,
    QueueItem,
    UserRef,
    UserStatus,
)
from domain.moderation.ports import CaseFilter, ModerationUnitOfWork
from domain.org.models import Platform
from domain.org.services import get_platform


@dataclass(frozen=True)
class UserHistory:
    platform: Platform
    ref: UserRef
    user: PlatformUser | None
    cases: list[ModerationCase]
    items: list[QueueItem]
    active_warnings: list[ModerationCase]
    current_ban: ModerationCase | None


async def get_case(uow: ModerationUnitOfWork, actor: Actor, key: str) -> ModerationCase:
    case = await lookup.case_by_key(uow, key)
    actor.require(VIEW_MODERATION, platform_id=case.platform_id)
    return case


async def user_history(uow: ModerationUnitOfWork, actor: Actor, ref: UserRef) -> UserHistory:
    platform, user = await lookup.find_user(uow, ref)
    actor.require(VIEW_MODERATION, platform_id=platform.id)
    if user is None or user.id is None:
        return UserHistory(platform, ref, None, [], [], [], None)
    now = uow.now()
    cases = await uow.moderation.cases_of(user.id)
    warnings = [c for c in cases if c.kind is CaseKind.WARNING and c.is_active(now)]
    bans = [
        c
        for c in cases
        if c.kind is CaseKind.BAN and (c.status is CaseStatus.PENDING or c.is_active(now))
    ]
    items = await uow.moderation.items_of(user.id)
    return UserHistory(platform, ref, user, cases, items, warnings, bans[0] if bans else None)


async def user_status(
    uow: ModerationUnitOfWork, actor: Actor, platform_key: str, external_id: str
) -> UserStatus:
    """The platform's hot path: banned?, until, active warnings, open appeal."""
    actor.require(VIEW_MODERATION)
    status = await uow.moderation.status_of(platform_key.lower(), external_id, uow.now())
    if not status.known:  # the cheap path first; only an unknown answer needs the platform
        await get_platform(uow, platform_key)  # NotFound for a platform that does not exist
    return status


async def list_cases(
    uow: ModerationUnitOfWork, actor: Actor, query: CaseFilter
) -> list[ModerationCase]:
    actor.require(VIEW_MODERATION, platform_id=query.platform_id)
    return await uow.moderation.list_cases(query)


def case_json(case: ModerationCase, platform: Platform | None = None) -> JSONDict:
    """A case as plain JSON (API answers and exports)."""
    raw: dict[str, Any] = asdict(case)
    out: JSONDict = {"key": case.key}
    for name, value in raw.items():
        if isinstance(value, datetime):
            out[name] = value.isoformat()
        elif hasattr(value, "value"):
            out[name] = value.value
        else:
            out[name] = value
    out["proposal"] = raw["proposal"]
    if platform is not None:
        out["platform"] = platform.key
    return out


def item_json(item: QueueItem) -> JSONDict:
    raw: dict[str, Any] = asdict(item)
    out: JSONDict = {"key": item.key}
    for name, value in raw.items():
        out[name] = (
            value.isoformat()
            if isinstance(value, datetime)
            else (value.value if hasattr(value, "value") else value)
        )
    return out


async def export_user(uow: ModerationUnitOfWork, actor: Actor, ref: UserRef) -> JSONDict:
    """Everything held about a platform user (Art. 11 access request); the export is audited."""
    history = await user_history(uow, actor, ref)
    user = history.user
    if user is None or user.id is None:
        raise NotFound("mod.errors.user_unknown", ref=f"{history.platform.key}:{ref.external_id}")
    uow.record(
        actor,
        DomainEvent(
            "moderation.user_exported",
            Subject("platform_user", user.id),
            {"platform": history.platform.key, "platform_user_id": user.id},
            webhook=False,
        ),
    )
    return {
        "user": {
            "platform": history.platform.key,
            "external_id": user.external_id,
            "handle": user.handle,
            "first_seen": user.created_at.isoformat() if user.created_at else None,
            "erased_at": user.erased_at.isoformat() if user.erased_at else None,
        },
        "cases": [case_json(c, history.platform) for c in history.cases],
        "queue_items": [item_json(i) for i in history.items],
    }
