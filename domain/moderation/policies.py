"""Deadline policies of moderation: ban expiry, pending four-eyes confirmation, queue reminders."""

from __future__ import annotations

from typing import cast

from domain.access import Actor
from domain.deadlines.models import Deadline, Step
from domain.events import ChannelRecipient, DomainEvent, Notice, UserRecipient
from domain.moderation import announce
from domain.moderation.closing import lift_expired_ban
from domain.moderation.models import CaseStatus, Confirmation
from domain.moderation.ports import ModerationUnitOfWork
from domain.ports import UnitOfWork


async def ban_expiry(uow: UnitOfWork, deadline: Deadline, step: Step) -> None:
    """A temporary ban's time is up: lift it (recorded and announced once)."""
    await lift_expired_ban(cast(ModerationUnitOfWork, uow), deadline.subject.id)
    deadline.close(uow.now())


async def confirmation(uow: UnitOfWork, deadline: Deadline, step: Step) -> None:
    """Remind moderators of a pending four-eyes action; at the end, let it lapse."""
    muow = cast(ModerationUnitOfWork, uow)
    case = await muow.moderation.get_case(deadline.subject.id)
    if case is None or case.confirmation is not Confirmation.PENDING or case.final:
        deadline.close(uow.now())
        return
    platform = await uow.org.get_platform(case.platform_id)
    user = await muow.moderation.get_user(case.user_id)
    assert platform is not None and user is not None
    if step.action == "remind":
        announce.log_line(muow, platform, "mod.log.confirm_reminder", case)
        await announce.refresh_moderator_homes(muow, platform)
        return
    system = Actor.system("scheduler")
    case.confirmation = Confirmation.LAPSED
    if case.status is CaseStatus.PENDING:  # a permanent ban nobody confirmed never takes effect
        case.close(CaseStatus.LAPSED, system.id_for_audit, uow.now(), "not confirmed in time")
    await muow.moderation.save_case(case)
    uow.record(
        system,
        DomainEvent(
            "moderation.confirmation_lapsed",
            case.subject,
            announce.case_data(platform, user, case),
            webhook=False,
        ),
    )
    announce.log_line(muow, platform, "mod.log.lapsed", case)
    announce.show_case(muow, platform, case)
    await announce.refresh_moderator_homes(muow, platform)
    deadline.close(uow.now())


async def queue_item(uow: UnitOfWork, deadline: Deadline, step: Step) -> None:
    """Remind whoever took the item, or the moderation channel while nobody has."""
    muow = cast(ModerationUnitOfWork, uow)
    item = await muow.moderation.get_item(deadline.subject.id)
    if item is None or not item.open:
        deadline.close(uow.now())
        return
    platform = await uow.org.get_platform(item.platform_id)
    assert platform is not None
    to = (
        UserRecipient(item.taken_by)
        if item.taken_by
        else ChannelRecipient(platform.moderation_channel_id)
        if platform.moderation_channel_id
        else None
    )
    if to is not None:
        uow.notify(
            Notice(
                announce.LOG_LINE,
                to,
                item.subject,
                params={"key": "mod.log.item_reminder", "item": item.key},
            )
        )
