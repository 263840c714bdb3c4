"""The moderation queue: reports and appeals from the platform, handled by moderators."""

from __future__ import annotations

from datetime import timedelta

from domain.access import Actor, Permission
from domain.deadlines.models import Step
from domain.deadlines.services import close_deadlines, open_deadline
from domain.errors import Conflict, FieldErrors, NotFound, PermissionDenied, ValidationFailed
from domain.events import DomainEvent
from domain.moderation import announce, lookup
from domain.moderation.access import (
    MODERATE,
    SUBMIT_TO_QUEUE,
    VIEW_MODERATION,
    platforms_in_scope,
    require_person,
)
from domain.moderation.catalogue import ModerationPolicy
from domain.moderation.closing import end_case
from domain.moderation.models import (
    CONTENT_ID,
    EXTERNAL_ID,
    CaseStatus,
    ItemKind,
    ItemStatus,
    ModerationCase,
    QueueItem,
    UserRef,
)
from domain.moderation.ports import ModerationUnitOfWork
from domain.moderation.services import QUEUE_ITEM, TEXT_LIMIT
from domain.moderation.settings import policy_in_force
from domain.org.models import Platform

QUEUE_SEQUENCE = {ItemKind.REPORT: "RPT", ItemKind.APPEAL: "APL"}


async def submit_report(
    uow: ModerationUnitOfWork,
    actor: Actor,
    ref: UserRef,
    *,
    reporter: str,
    content_id: str,
    reason: str,
    handle: str | None = None,
) -> QueueItem:
    """A platform user flagged by others lands in the queue, reminded until someone handles it."""
    platform = await lookup.platform_of(uow, ref)
    actor.require(SUBMIT_TO_QUEUE, platform_id=platform.id)
    errors = FieldErrors()
    if reporter and not EXTERNAL_ID.match(reporter.partition(":")[2] or reporter):
        errors.add("reporter", "mod.errors.ref", ref=reporter[:80])
    if content_id and not CONTENT_ID.match(content_id):
        errors.add("content_id", "mod.errors.content_id", value=content_id[:40])
    if not reason.strip():
        errors.add("reason", "mod.errors.reason_required")
    elif len(reason) > TEXT_LIMIT:
        errors.add("reason", "mod.errors.too_long", limit=TEXT_LIMIT)
    errors.raise_if_any()
    platform, user = await lookup.ensure_user(uow, ref, handle)
    assert platform.id is not None and user.id is not None
    item = await uow.moderation.add_item(
        QueueItem(
            id=None,
            number=await uow.next_number(QUEUE_SEQUENCE[ItemKind.REPORT]),
            kind=ItemKind.REPORT,
            platform_id=platform.id,
            user_id=user.id,
            created_at=uow.now(),
            text=reason.strip(),
            reporter=reporter.strip(),
            content_id=content_id.strip(),
        )
    )
    uow.record(
        actor,
        DomainEvent(
            "moderation.report_received",
            item.subject,
            {"item": item.key, "platform": platform.key, "platform_user_id": user.id},
            webhook_data=announce.identity(platform, user),
        ),
    )
    await _queue(uow, platform, item, await policy_in_force(uow))
    return item


async def submit_appeal(
    uow: ModerationUnitOfWork,
    actor: Actor,
    case_key: str,
    statement: str,
) -> QueueItem:
    """The user contests a case; a moderator other than the one who acted decides it."""
    case = await lookup.case_by_key(uow, case_key)
    platform = await uow.org.get_platform(case.platform_id)
    user = await uow.moderation.get_user(case.user_id)
    assert platform is not None and platform.id is not None and user is not None
    actor.require(SUBMIT_TO_QUEUE, platform_id=platform.id)
    if not statement.strip():
        raise ValidationFailed.single("statement", "mod.errors.statement_required")
    if len(statement) > TEXT_LIMIT:
        raise ValidationFailed.single("statement", "mod.errors.too_long", limit=TEXT_LIMIT)
    if case.status in (CaseStatus.REVOKED, CaseStatus.LAPSED):
        raise Conflict("mod.errors.case_closed", case=case.key, status=case.status.value)
    assert case.id is not None and user.id is not None
    if await uow.moderation.open_appeal_for(case.id) is not None:
        raise Conflict("mod.errors.appeal_open", case=case.key)
    item = await uow.moderation.add_item(
        QueueItem(
            id=None,
            number=await uow.next_number(QUEUE_SEQUENCE[ItemKind.APPEAL]),
            kind=ItemKind.APPEAL,
            platform_id=platform.id,
            user_id=user.id,
            created_at=uow.now(),
            text=statement.strip(),
            case_id=case.id,
        )
    )
    uow.record(
        actor,
        DomainEvent(
            "moderation.appeal_received",
            item.subject,
            {
                "item": item.key,
                "case": case.key,
                "platform": platform.key,
                "platform_user_id": user.id,
            },
            webhook_data=announce.identity(platform, user),
        ),
    )
    await _queue(uow, platform, item, await policy_in_force(uow))
    return item


async def _queue(
    uow: ModerationUnitOfWork, platform: Platform, item: QueueItem, policy: ModerationPolicy
) -> None:
    due = uow.now() + policy.queue_item_due
    await open_deadline(
        uow,
        QUEUE_ITEM,
        item.subject,
        due,
        [Step(timedelta(0), "remind"), Step(policy.queue_item_due, "remind")],
    )
    announce.show_item(uow, platform, item)
    await announce.refresh_moderator_homes(uow, platform)


async def take_item(uow: ModerationUnitOfWork, actor: Actor, item_id: int) -> QueueItem:
    """A moderator takes a queue item: it is theirs, and its reminders go to them."""
    item, platform = await _open_item(uow, actor, item_id)
    require_person(actor, item.key)  # a taken item is someone's: reminders go to them
    if item.status is ItemStatus.TAKEN:
        raise Conflict("mod.errors.item_taken", key=item.key, by=item.taken_by or "?")
    if item.kind is ItemKind.APPEAL:
        await _check_not_involved(uow, actor, item)
    item.status, item.taken_by = ItemStatus.TAKEN, actor.id_for_audit
    await uow.moderation.save_item(item)
    for deadline in await uow.deadlines.open_for(item.subject, [QUEUE_ITEM]):
        deadline.owner_id = actor.user_id
        await uow.deadlines.save(deadline)
    uow.record(
        actor,
        DomainEvent("moderation.item_taken", item.subject, {"item": item.key}, webhook=False),
    )
    announce.show_item(uow, platform, item)
    await announce.refresh_moderator_homes(uow, platform)
    return item


async def dismiss_item(
    uow: ModerationUnitOfWork, actor: Actor, item_id: int, note: str = ""
) -> QueueItem:
    item, platform = await _open_item(uow, actor, item_id)
    if item.kind is not ItemKind.REPORT:
        raise Conflict("mod.errors.not_a_report", key=item.key)
    await _decide(
        uow, actor, platform, item, ItemStatus.DISMISSED, note, "moderation.report_closed"
    )
    return item


async def decide_appeal(
    uow: ModerationUnitOfWork, actor: Actor, item_id: int, *, uphold: bool, note: str = ""
) -> QueueItem:
    """Uphold keeps the case; overturn revokes it (a ban ends). The user is told by webhook."""
    item, platform = await _open_item(uow, actor, item_id)
    if item.kind is not ItemKind.APPEAL or item.case_id is None:
        raise Conflict("mod.errors.not_an_appeal", key=item.key)
    case = await _check_not_involved(uow, actor, item)
    if not uphold:
        user = await uow.moderation.get_user(case.user_id)
        assert user is not None
        if not case.final:
            await end_case(
                uow, actor, platform, user, case, CaseStatus.REVOKED, "appeal " + item.key
            )
    status = ItemStatus.UPHELD if uphold else ItemStatus.OVERTURNED
    await _decide(uow, actor, platform, item, status, note, "moderation.appeal_decided", case.key)
    return item


async def _decide(
    uow: ModerationUnitOfWork,
    actor: Actor,
    platform: Platform,
    item: QueueItem,
    status: ItemStatus,
    note: str,
    event_type: str,
    case_key: str | None = None,
) -> None:
    if len(note) > TEXT_LIMIT:
        raise ValidationFailed.single("note", "mod.errors.too_long", limit=TEXT_LIMIT)
    item.status, item.decided_by, item.decided_at = status, actor.id_for_audit, uow.now()
    item.decision_note = note.strip()
    await uow.moderation.save_item(item)
    await close_deadlines(uow, item.subject, [QUEUE_ITEM])
    user = await uow.moderation.get_user(item.user_id)
    assert user is not None
    uow.record(
        actor,
        DomainEvent(
            event_type,
            item.subject,
            {
                "item": item.key,
                "outcome": status.value,
                "case": case_key,
                "platform": platform.key,
                "platform_user_id": user.id,
            },
            webhook_data=announce.identity(platform, user),
        ),
    )
    announce.show_item(uow, platform, item)
    await announce.refresh_moderator_homes(uow, platform)


async def _open_item(
    uow: ModerationUnitOfWork, actor: Actor, item_id: int
) -> tuple[QueueItem, Platform]:
    item = await uow.moderation.get_item(item_id)
    if item is None:
        raise NotFound("mod.errors.item_unknown", key=f"#{item_id}")
    platform = await uow.org.get_platform(item.platform_id)
    assert platform is not None
    actor.require(MODERATE, platform_id=platform.id)
    if not item.open:
        raise Conflict("mod.errors.item_closed", key=item.key, status=item.status.value)
    return item, platform


async def _check_not_involved(
    uow: ModerationUnitOfWork, actor: Actor, item: QueueItem
) -> ModerationCase:
    assert item.case_id is not None
    require_person(actor, item.key)
    case = await lookup.case_by_id(uow, item.case_id)
    if actor.user_id is not None and actor.user_id in (case.created_by, case.confirmed_by):
        raise PermissionDenied("mod.errors.appeal_own_case", case=case.key)
    return case


async def open_queue(
    uow: ModerationUnitOfWork,
    actor: Actor,
    kind: ItemKind | None = None,
    *,
    permission: Permission = VIEW_MODERATION,
    limit: int = 50,
) -> list[QueueItem]:
    """The open items of the platforms this person may see (`permission` MODERATE: act on)."""
    actor.require(permission)
    platform_ids = platforms_in_scope(actor, permission)
    return await uow.moderation.open_items(kind, limit, platform_ids)
