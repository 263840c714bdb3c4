"""Ending cases (revoke, unban, expiry) and the escalation ladder's one-click ban."""

from __future__ import annotations

from datetime import timedelta

from domain.access import Actor
from domain.deadlines.services import close_deadlines
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.events import DomainEvent
from domain.moderation import announce, lookup
from domain.moderation.access import MODERATE
from domain.moderation.models import CaseKind, CaseStatus, ModerationCase, PlatformUser, UserRef
from domain.moderation.ports import ModerationUnitOfWork
from domain.moderation.services import (
    TEXT_LIMIT,
    CaseDraft,
    authorize,
    ban_user,
    case_context,
    current_ban,
)
from domain.org.models import Platform


async def revocable_case(
    uow: ModerationUnitOfWork, actor: Actor, case_id: int
) -> tuple[ModerationCase, Platform, PlatformUser]:
    """The case, if this actor may revoke it now (Slack asks before opening the reason form)."""
    case = await lookup.case_by_id(uow, case_id)
    platform, user = await case_context(uow, case)
    actor.require(MODERATE, platform_id=platform.id)
    if case.final:
        raise Conflict("mod.errors.case_closed", case=case.key, status=case.status.value)
    return case, platform, user


async def revoke_case(
    uow: ModerationUnitOfWork, actor: Actor, case_id: int, reason: str
) -> ModerationCase:
    """Withdraw a case (a mistake, a pending action nobody should confirm): the reason is kept
    on the case and the platform is told."""
    case, platform, user = await revocable_case(uow, actor, case_id)
    if not reason.strip():
        raise ValidationFailed.single("reason", "mod.errors.reason_required")
    if len(reason) > TEXT_LIMIT:
        raise ValidationFailed.single("reason", "mod.errors.too_long", limit=TEXT_LIMIT)
    await end_case(uow, actor, platform, user, case, CaseStatus.REVOKED, reason.strip())
    return case


async def unban_user(
    uow: ModerationUnitOfWork, actor: Actor, ref: UserRef, reason: str
) -> ModerationCase:
    await authorize(uow, actor, ref)
    if not reason.strip():
        raise ValidationFailed.single("reason", "mod.errors.reason_required")
    platform, user = await lookup.existing_user(uow, ref)
    assert user.id is not None
    case = await current_ban(uow, user.id, uow.now())
    if case is None:
        raise NotFound("mod.errors.not_banned", ref=f"{platform.key}:{ref.external_id}")
    await end_case(uow, actor, platform, user, case, CaseStatus.LIFTED, reason.strip())
    return case


async def lift_expired_ban(uow: ModerationUnitOfWork, case_id: int) -> bool:
    """The scheduler's side of a temporary ban: lift it once its time is up (recorded once)."""
    case = await uow.moderation.get_case(case_id)
    if case is None or case.status is not CaseStatus.ACTIVE or case.kind is not CaseKind.BAN:
        return False
    if case.ends_at is None or case.ends_at > uow.now():
        return False
    platform, user = await case_context(uow, case)
    await end_case(uow, Actor.system("scheduler"), platform, user, case, CaseStatus.EXPIRED)
    return True


async def end_case(
    uow: ModerationUnitOfWork,
    actor: Actor,
    platform: Platform,
    user: PlatformUser,
    case: ModerationCase,
    status: CaseStatus,
    reason: str = "",
) -> None:
    # An expiring ban is in effect up to this very moment, so check the status, not the time.
    was_in_effect = case.kind is CaseKind.BAN and case.status is CaseStatus.ACTIVE
    before = case.status
    case.close(status, actor.id_for_audit, uow.now(), reason[:TEXT_LIMIT])
    await uow.moderation.save_case(case)
    await close_deadlines(uow, case.subject)
    data = {**announce.case_data(platform, user, case), "before": before.value}
    who = announce.identity(platform, user)
    if status is CaseStatus.REVOKED:
        uow.record(
            actor, DomainEvent("moderation.case_revoked", case.subject, data, webhook_data=who)
        )
    if was_in_effect:
        lifted = {**data, "reason": "expired" if status is CaseStatus.EXPIRED else status.value}
        uow.record(
            actor, DomainEvent("moderation.ban_lifted", case.subject, lifted, webhook_data=who)
        )
        announce.log_line(uow, platform, f"mod.log.{status.value}", case, by=actor.id_for_audit)
    announce.show_case(uow, platform, case)
    await announce.refresh_moderator_homes(uow, platform)


async def apply_proposal(uow: ModerationUnitOfWork, actor: Actor, case_id: int) -> ModerationCase:
    """One click on the ladder's proposal: ban the warned user as proposed."""
    warning = await lookup.case_by_id(uow, case_id)
    if warning.proposal is None:
        raise Conflict("mod.errors.no_proposal", case=warning.key)
    platform, user = await case_context(uow, warning)
    proposal = warning.proposal
    draft = CaseDraft(
        rule_code=warning.rule_code,
        notice_text=warning.notice_text,
        internal_note="",
    )
    until = None if proposal.days is None else uow.now() + timedelta(days=proposal.days)
    ban = await ban_user(
        uow,
        actor,
        UserRef(platform.key, user.external_id),
        draft,
        permanent=proposal.days is None,
        until=until,
        reason=f"ladder: {proposal.warnings} warnings / {proposal.within_days} d ({warning.key})",
    )
    warning.proposal = None  # taken: the card stops offering it
    await uow.moderation.save_case(warning)
    announce.show_case(uow, platform, warning)
    return ban
