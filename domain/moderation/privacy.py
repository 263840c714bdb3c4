"""Erasing a platform user's personal data on request (Art. 11).

Case records stay (what was decided, when, by whom, under which rule) but lose everything that
identifies or quotes the user: external id, handle, notice text, evidence, content ids, notes.
The audit log never held those (events name the user by internal id), so its chain stays intact.
"""

from __future__ import annotations

from domain.access import Actor
from domain.deadlines.services import close_deadlines
from domain.events import DomainEvent, Subject
from domain.moderation import announce, lookup
from domain.moderation.access import ERASE_USER
from domain.moderation.models import ItemStatus, PlatformUser, UserRef
from domain.moderation.ports import ModerationUnitOfWork


async def erase_user(uow: ModerationUnitOfWork, actor: Actor, ref: UserRef) -> PlatformUser:
    platform = await lookup.platform_of(uow, ref)
    actor.require(ERASE_USER, platform_id=platform.id)
    platform, user = await lookup.existing_user(uow, ref)
    assert user.id is not None
    identity = announce.identity(platform, user)
    now = uow.now()
    user.external_id, user.handle, user.erased_at = f"erased-{user.id}", None, now
    await uow.moderation.save_user(user)
    cases = await uow.moderation.cases_of(user.id)
    for case in cases:
        case.notice_text = case.evidence = case.internal_note = case.close_reason = ""
        case.content_ids = []
        await uow.moderation.save_case(case)
        announce.show_case(uow, platform, case, update_only=True)  # scrub, never repost
    items = await uow.moderation.items_of(user.id)
    for item in items:
        item.text = item.reporter = item.content_id = item.decision_note = ""
        if item.open:
            item.status, item.decided_by, item.decided_at = (
                ItemStatus.DISMISSED,
                actor.id_for_audit,
                now,
            )
            await close_deadlines(uow, item.subject)
        await uow.moderation.save_item(item)
        announce.show_item(uow, platform, item, update_only=True)
    await uow.moderation.anonymise_deliveries(
        [c.id for c in cases if c.id is not None],
        {"external_id": user.external_id, "notice_text": "", "content_ids": []},
    )
    uow.record(
        actor,
        DomainEvent(
            "moderation.user_erased",
            Subject("platform_user", user.id),
            {"platform": platform.key, "platform_user_id": user.id, "cases": len(cases)},
            # The platform asked for this erasure; it needs to know whom it concerned, once.
            webhook_data=identity,
        ),
    )
    return user
