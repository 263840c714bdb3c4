"""Moderation use cases on cases: warn, ban, confirm (four-eyes), revoke, unban, escalate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from domain.access import Actor
from domain.deadlines.models import Step
from domain.deadlines.services import close_deadlines, open_deadline
from domain.errors import Conflict, FieldErrors, NotFound, PermissionDenied
from domain.events import DomainEvent
from domain.moderation import announce, lookup
from domain.moderation.access import MODERATE, require_person
from domain.moderation.catalogue import ModerationPolicy
from domain.moderation.models import (
    CONTENT_ID,
    MAX_CONTENT_IDS,
    CaseKind,
    CaseStatus,
    Confirmation,
    ItemKind,
    ItemStatus,
    ModerationCase,
    PlatformUser,
    UserRef,
)
from domain.moderation.ports import ModerationUnitOfWork
from domain.moderation.settings import policy_in_force
from domain.org.models import Platform

BAN_EXPIRY = "moderation.ban_expiry"
CONFIRMATION = "moderation.confirmation"
QUEUE_ITEM = "moderation.queue_item"
TEXT_LIMIT = 3000
MAX_BAN = timedelta(days=3650)


@dataclass(frozen=True)
class CaseDraft:
    """What a moderator fills in for a warning or a ban (the modal, or the API body)."""

    rule_code: str
    notice_text: str
    evidence: str = ""
    content_ids: Sequence[str] = ()
    internal_note: str = ""
    handle: str | None = None
    source_item_id: int | None = None
    request_key: str | None = None  # e.g. the Slack view id: a repeated submit is a replay


def _check_draft(errors: FieldErrors, draft: CaseDraft, policy: ModerationPolicy) -> None:
    if policy.rule(draft.rule_code) is None:
        errors.add(
            "rule",
            "mod.errors.rule_unknown",
            rule=draft.rule_code,
            rules=", ".join(r.code for r in policy.rules),
        )
    if not draft.notice_text.strip():
        errors.add("notice_text", "mod.errors.notice_required")
    for name, value in (
        ("notice_text", draft.notice_text),
        ("evidence", draft.evidence),
        ("internal_note", draft.internal_note),
    ):
        if len(value) > TEXT_LIMIT:
            errors.add(name, "mod.errors.too_long", limit=TEXT_LIMIT)
    bad = [c for c in draft.content_ids if not CONTENT_ID.match(c)]
    if bad:
        errors.add("content_ids", "mod.errors.content_id", value=bad[0][:40])
    elif len(draft.content_ids) > MAX_CONTENT_IDS:
        errors.add("content_ids", "mod.errors.content_ids_many", limit=MAX_CONTENT_IDS)


async def _new_case(
    uow: ModerationUnitOfWork,
    actor: Actor,
    platform: Platform,
    user: PlatformUser,
    kind: CaseKind,
    draft: CaseDraft,
    policy: ModerationPolicy,
    **fields: object,
) -> ModerationCase:
    assert platform.id is not None and user.id is not None and actor.id_for_audit
    rule = policy.rule(draft.rule_code)
    assert rule is not None
    case = ModerationCase(
        id=None,
        number=await uow.next_number("CASE"),
        platform_id=platform.id,
        user_id=user.id,
        kind=kind,
        rule_code=rule.code,
        severity=rule.severity.value,
        notice_text=draft.notice_text.strip(),
        evidence=draft.evidence.strip(),
        content_ids=list(dict.fromkeys(draft.content_ids)),
        internal_note=draft.internal_note.strip(),
        created_by=actor.id_for_audit,
        created_at=uow.now(),
        source_item_id=draft.source_item_id,
        request_key=draft.request_key,
    )
    for name, value in fields.items():
        setattr(case, name, value)
    return await uow.moderation.add_case(case)


async def _replayed(uow: ModerationUnitOfWork, draft: CaseDraft) -> ModerationCase | None:
    """The case a repeated submission of the same form already created (double submit)."""
    if draft.request_key is None:
        return None
    return await uow.moderation.find_by_request(draft.request_key)


async def authorize(uow: ModerationUnitOfWork, actor: Actor, ref: UserRef) -> Platform:
    platform = await lookup.platform_of(uow, ref)
    actor.require(MODERATE, platform_id=platform.id)
    return platform


async def warn_user(
    uow: ModerationUnitOfWork,
    actor: Actor,
    ref: UserRef,
    draft: CaseDraft,
) -> ModerationCase:
    """A warning notice for a minor violation (Art. 13): the user is told what they did."""
    await authorize(uow, actor, ref)
    if (replay := await _replayed(uow, draft)) is not None:
        return replay
    policy = await policy_in_force(uow)
    errors = FieldErrors()
    _check_draft(errors, draft, policy)
    errors.raise_if_any()
    platform, user = await lookup.ensure_user(uow, ref, draft.handle)
    assert user.id is not None
    now = uow.now()
    ages_before = [now - c.created_at for c in await _active_warnings(uow, user.id, now)]
    case = await _new_case(
        uow,
        actor,
        platform,
        user,
        CaseKind.WARNING,
        draft,
        policy,
        ends_at=now + policy.warning_ttl,
    )
    before = policy.proposal_for(ages_before)
    after = policy.proposal_for([*ages_before, timedelta(0)])
    if after is not None and (before is None or before.days != after.days):
        case.proposal = after  # the ladder was crossed by this warning: offer the next step
        await uow.moderation.save_case(case)
    uow.record(
        actor,
        DomainEvent(
            "moderation.warning_issued",
            case.subject,
            {**announce.case_data(platform, user, case), "expires_at": _iso(case.ends_at)},
            webhook_data={
                **announce.identity(platform, user),
                "notice_text": case.notice_text,
                "content_ids": list(case.content_ids),
            },
        ),
    )
    announce.show_case(uow, platform, case)
    await _settle_source_item(uow, actor, platform, case)
    return case


async def ban_user(
    uow: ModerationUnitOfWork,
    actor: Actor,
    ref: UserRef,
    draft: CaseDraft,
    *,
    permanent: bool,
    until: datetime | None,
    reason: str,
    pursue_responsibility: bool = False,
) -> ModerationCase:
    """A ban for a serious violation. Permanent bans and content deletion wait for a second
    moderator (four-eyes); a temporary ban takes effect at once and lifts itself on time."""
    await authorize(uow, actor, ref)
    if (replay := await _replayed(uow, draft)) is not None:
        return replay
    policy = await policy_in_force(uow)
    now = uow.now()
    errors = FieldErrors()
    _check_draft(errors, draft, policy)
    if not permanent:
        if until is None:
            errors.add("until", "mod.errors.until_required")
        elif until <= now:
            errors.add("until", "errors.date_in_past")
        elif until - now > MAX_BAN:
            errors.add("until", "mod.errors.until_too_far", days=MAX_BAN.days)
    if not reason.strip():
        errors.add("reason", "mod.errors.reason_required")
    elif len(reason) > TEXT_LIMIT:
        errors.add("reason", "mod.errors.too_long", limit=TEXT_LIMIT)
    errors.raise_if_any()
    platform, user = await lookup.ensure_user(uow, ref, draft.handle)
    assert user.id is not None
    current = await current_ban(uow, user.id, now)
    if current is not None:
        raise Conflict("mod.errors.already_banned", ref=str(ref), case=current.key)
    deletes = bool(draft.content_ids)
    case = await _new_case(
        uow,
        actor,
        platform,
        user,
        CaseKind.BAN,
        replace(draft, internal_note=reason),
        policy,
        permanent=permanent,
        ends_at=None if permanent else until,
        status=CaseStatus.PENDING if permanent else CaseStatus.ACTIVE,
        delete_content=deletes,
        pursue_responsibility=pursue_responsibility,
        confirmation=Confirmation.PENDING if permanent or deletes else Confirmation.NOT_NEEDED,
    )
    data = announce.case_data(platform, user, case)
    who = {**announce.identity(platform, user), "notice_text": case.notice_text}
    if permanent:
        # Not in effect yet: audit only; the platform hears of it once a second moderator confirms.
        uow.record(
            actor, DomainEvent("moderation.ban_requested", case.subject, data, webhook=False)
        )
    else:
        uow.record(
            actor, DomainEvent("moderation.ban_started", case.subject, data, webhook_data=who)
        )
        assert case.ends_at is not None
        await open_deadline(
            uow, BAN_EXPIRY, case.subject, case.ends_at, [Step(timedelta(0), "lift")]
        )
    if case.confirmation is Confirmation.PENDING:
        window = policy.confirmation_window
        await open_deadline(
            uow,
            CONFIRMATION,
            case.subject,
            now + window,
            [Step(policy.confirmation_reminder - window, "remind"), Step(timedelta(0), "expire")],
        )
        await announce.refresh_moderator_homes(uow, platform)
    announce.show_case(uow, platform, case)
    await _settle_source_item(uow, actor, platform, case)
    return case


async def confirm_case(uow: ModerationUnitOfWork, actor: Actor, case_id: int) -> ModerationCase:
    """The second pair of eyes: a different moderator makes a permanent ban / deletion effective."""
    case = await lookup.case_by_id(uow, case_id)
    platform, user = await case_context(uow, case)
    actor.require(MODERATE, platform_id=platform.id)
    if case.confirmation is not Confirmation.PENDING or case.final:
        raise Conflict("mod.errors.not_pending", case=case.key)
    require_person(actor, case.key)
    if actor.user_id == case.created_by:
        raise PermissionDenied("mod.errors.four_eyes", case=case.key)
    now = uow.now()
    case.confirmation, case.confirmed_by, case.confirmed_at = (
        Confirmation.CONFIRMED,
        actor.id_for_audit,
        now,
    )
    if case.status is CaseStatus.PENDING:
        case.status = CaseStatus.ACTIVE
    await uow.moderation.save_case(case)
    await close_deadlines(uow, case.subject, [CONFIRMATION])
    data = announce.case_data(platform, user, case)
    who = announce.identity(platform, user)
    if case.kind is CaseKind.BAN and case.permanent:
        uow.record(
            actor,
            DomainEvent(
                "moderation.ban_confirmed",
                case.subject,
                data,
                webhook_data={**who, "notice_text": case.notice_text},
            ),
        )
    if case.delete_content and case.content_ids:
        uow.record(
            actor,
            DomainEvent(
                "moderation.content_deletion_requested",
                case.subject,
                {**data, "content_count": len(case.content_ids)},
                webhook_data={**who, "content_ids": list(case.content_ids)},
            ),
        )
    announce.show_case(uow, platform, case)
    await announce.refresh_moderator_homes(uow, platform)
    return case


async def case_context(
    uow: ModerationUnitOfWork, case: ModerationCase
) -> tuple[Platform, PlatformUser]:
    platform = await uow.org.get_platform(case.platform_id)
    user = await uow.moderation.get_user(case.user_id)
    assert platform is not None and user is not None
    return platform, user


async def _active_warnings(
    uow: ModerationUnitOfWork, user_id: int, now: datetime
) -> list[ModerationCase]:
    return [
        c
        for c in await uow.moderation.cases_of(user_id)
        if c.kind is CaseKind.WARNING and c.is_active(now)
    ]


async def current_ban(
    uow: ModerationUnitOfWork, user_id: int, now: datetime
) -> ModerationCase | None:
    """The ban in effect or waiting for confirmation, if any."""
    for case in await uow.moderation.cases_of(user_id):
        if case.kind is CaseKind.BAN and (case.status is CaseStatus.PENDING or case.is_active(now)):
            return case
    return None


async def _settle_source_item(
    uow: ModerationUnitOfWork, actor: Actor, platform: Platform, case: ModerationCase
) -> None:
    """A warning or ban made from a report closes that report (and tells the platform)."""
    if case.source_item_id is None:
        return
    item = await uow.moderation.get_item(case.source_item_id)
    if item is None or item.kind is not ItemKind.REPORT:
        raise NotFound("mod.errors.item_unknown", key=f"#{case.source_item_id}")
    if not item.open:
        raise Conflict("mod.errors.item_closed", key=item.key, status=item.status.value)
    item.status, item.decided_by, item.decided_at = (
        ItemStatus.ACTIONED,
        actor.id_for_audit,
        uow.now(),
    )
    item.outcome_case_id = case.id
    await uow.moderation.save_item(item)
    await close_deadlines(uow, item.subject, [QUEUE_ITEM])
    uow.record(
        actor,
        DomainEvent(
            "moderation.report_closed",
            item.subject,
            {
                "item": item.key,
                "outcome": item.status.value,
                "case": case.key,
                "platform": platform.key,
                "platform_user_id": case.user_id,
            },
        ),
    )
    announce.show_item(uow, platform, item)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
