"""What moderation tells Slack and the platform: the case card, log lines, webhook payloads."""

from __future__ import annotations

from domain.access import Role
from domain.events import ChannelRecipient, JSONDict, Notice, home_refresh
from domain.moderation.models import ModerationCase, PlatformUser, QueueItem
from domain.moderation.ports import ModerationUnitOfWork
from domain.org.models import Platform

CASE_CARD = "moderation.case"
ITEM_CARD = "moderation.item"
LOG_LINE = "text"  # the shared renderer of one translated line


def case_ref(case: ModerationCase) -> str:
    return f"modcase:{case.id}"


def item_ref(item: QueueItem) -> str:
    return f"moditem:{item.id}"


def show_case(
    uow: ModerationUnitOfWork,
    platform: Platform,
    case: ModerationCase,
    *,
    update_only: bool = False,
) -> None:
    """Post the case card in the moderation log, or update it in place when it was posted."""
    if platform.moderation_channel_id:
        uow.notify(
            Notice(
                CASE_CARD,
                ChannelRecipient(platform.moderation_channel_id),
                case.subject,
                ref=case_ref(case),
                update_only=update_only,
            )
        )


def show_item(
    uow: ModerationUnitOfWork, platform: Platform, item: QueueItem, *, update_only: bool = False
) -> None:
    if platform.moderation_channel_id:
        uow.notify(
            Notice(
                ITEM_CARD,
                ChannelRecipient(platform.moderation_channel_id),
                item.subject,
                ref=item_ref(item),
                update_only=update_only,
            )
        )


def log_line(
    uow: ModerationUnitOfWork, platform: Platform, key: str, case: ModerationCase, **params: str
) -> None:
    """A one-off line in the moderation log (lifts, lapses, reminders): posted, never updated."""
    if platform.moderation_channel_id:
        uow.notify(
            Notice(
                LOG_LINE,
                ChannelRecipient(platform.moderation_channel_id),
                case.subject,
                params={"key": key, "case": case.key, **params},
            )
        )


async def refresh_moderator_homes(uow: ModerationUnitOfWork, platform: Platform) -> None:
    """Cases to confirm and queue items appear on every moderator's App Home."""
    for user_id in await uow.people.holders_of(Role.MODERATOR, platform_id=platform.id):
        uow.notify(home_refresh(user_id))


def identity(platform: Platform, user: PlatformUser) -> JSONDict:
    """Who the platform must act on — sent in webhook bodies only, never kept in the audit log."""
    return {"platform": platform.key, "external_id": user.external_id}


def case_data(platform: Platform, user: PlatformUser, case: ModerationCase) -> JSONDict:
    """Audit data of a case event: no personal data, the user by internal id (Art. 11)."""
    return {
        "case": case.key,
        "kind": case.kind.value,
        "status": case.status.value,
        "platform": platform.key,
        "platform_user_id": user.id,
        "rule": case.rule_code,
        "permanent": case.permanent,
        "pursue_responsibility": case.pursue_responsibility,
        "until": case.ends_at.isoformat() if case.ends_at and case.kind.value == "ban" else None,
    }
