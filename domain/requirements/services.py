"""Submitting requirements and approving them (Art. 6 step 1; SPEC §5.1).

Approval policy per department: a quorum of N approvers (default 1) approves; any reject
rejects; changes requested sends it back to the submitter, whose resubmission opens a new round.
The submitter never sits on their own round; each seat votes once; a delegate votes for a seat
while its approver is away.
"""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from domain.access import Actor, Permission, Role
from domain.deadlines.calendar import BusinessCalendar
from domain.deadlines.models import Step
from domain.deadlines.ports import CalendarsUnitOfWork
from domain.deadlines.services import close_deadlines, open_deadline
from domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from domain.events import DomainEvent, JSONDict
from domain.org.models import Department
from domain.ports import UnitOfWork
from domain.requirements import notices
from domain.requirements.drafts import CheckedDraft, RequirementDraft, check_draft
from domain.requirements.models import (
    KEY_SEQUENCE,
    REASON_MAX,
    Decision,
    Requirement,
    Stage,
    Vote,
)
from domain.requirements.ports import RequirementsUnitOfWork

SUBMIT = Permission("requirement.submit", (Role.MEMBER,), scope="requirements:write")
VOTE = Permission("requirement.vote", (Role.APPROVER,), scope="requirements:write")
VIEW = Permission(
    "requirement.view",
    (Role.ADMIN, Role.APPROVER, Role.MEMBER, Role.ENGINEER, Role.AUDITOR),
    scope="requirements:read",
)
APPROVAL_DEADLINE = "requirement.approval"


def parse_key(text: str) -> int:
    """`REQ-12`, `req-12` or `12` → 12."""
    raw = (text or "").strip().upper().removeprefix(f"{KEY_SEQUENCE}-")
    if not raw.isdigit() or int(raw) < 1:
        raise ValidationFailed.single("key", "req.errors.key", key=text)
    return int(raw)


async def load(uow: UnitOfWork, key_or_id: str | int) -> Requirement:
    repo = cast(RequirementsUnitOfWork, uow).requirements
    if isinstance(key_or_id, int):
        requirement = await repo.get(key_or_id)
    else:
        requirement = await repo.find(parse_key(key_or_id))
    if requirement is None:
        raise NotFound("req.errors.not_found", key=str(key_or_id))
    return requirement


async def get_requirement(uow: UnitOfWork, actor: Actor, key_or_id: str | int) -> Requirement:
    actor.require(VIEW)
    return await load(uow, key_or_id)


async def department_of(uow: UnitOfWork, requirement: Requirement) -> Department:
    department = await uow.org.get_department(requirement.department_id)
    assert department is not None
    return department


def _user(actor: Actor) -> str:
    if actor.user_id is None:
        raise PermissionDenied("req.errors.needs_person")
    return actor.user_id


async def submit_requirement(uow: UnitOfWork, actor: Actor, draft: RequirementDraft) -> Requirement:
    submitter = _user(actor)
    checked = await check_draft(uow, actor, draft)
    actor.require(SUBMIT, department_id=checked.department.id)
    repo = cast(RequirementsUnitOfWork, uow).requirements
    now = uow.now()
    requirement = Requirement(
        id=None,
        number=0,
        title=checked.title,
        department_id=_id(checked.department.id),
        platform_id=checked.platform.id if checked.platform else None,
        description=checked.description,
        justification=checked.justification,
        priority=checked.priority,
        wanted_by=checked.wanted_by,
        submitter_id=submitter,
        created_at=now,
        stage_changed_at=now,
        updated_at=now,
    )
    await _seat_round(uow, requirement, checked.department)
    requirement.number = await uow.next_number(KEY_SEQUENCE)
    requirement = await repo.add(requirement)
    await _open_deadlines(uow, requirement, checked.department)
    data = _describe(requirement, checked)
    data.update({"from": None, "to": Stage.APPROVAL.value})
    uow.record(actor, DomainEvent("requirement.submitted", requirement.subject, data))
    notices.announce(uow, requirement, checked.department, new_round=True)
    return requirement


async def resubmit_requirement(
    uow: UnitOfWork, actor: Actor, key_or_id: str | int, draft: RequirementDraft
) -> Requirement:
    requirement = await ensure_can_resubmit(uow, actor, key_or_id)
    checked = await check_draft(uow, actor, draft)
    before = _fields(requirement)
    requirement.title, requirement.description = checked.title, checked.description
    requirement.justification, requirement.priority = checked.justification, checked.priority
    requirement.wanted_by = checked.wanted_by
    requirement.department_id = _id(checked.department.id)
    requirement.platform_id = checked.platform.id if checked.platform else None
    after = _fields(requirement)
    requirement.round += 1
    requirement.enter(Stage.APPROVAL, uow.now())
    await _seat_round(uow, requirement, checked.department)
    await cast(RequirementsUnitOfWork, uow).requirements.save(requirement)
    await _open_deadlines(uow, requirement, checked.department)
    changed = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
    data = _describe(requirement, checked)
    data.update({"from": Stage.CHANGES_REQUESTED.value, "to": Stage.APPROVAL.value})
    data["changes"] = cast(JSONDict, changed)
    uow.record(actor, DomainEvent("requirement.resubmitted", requirement.subject, data))
    notices.announce(uow, requirement, checked.department, new_round=True)
    return requirement


async def cast_vote(
    uow: UnitOfWork,
    actor: Actor,
    key_or_id: str | int,
    decision: Decision,
    *,
    reason: str | None = None,
    seat: str | None = None,
    round_: int | None = None,
) -> Requirement:
    """One seat's vote. `seat` defaults to the actor's own (or the one they stand in for);
    `round_` (from a DM button) makes a click on an earlier round's DM a stale click."""
    requirement, seat = await ensure_can_vote(uow, actor, key_or_id, seat=seat, round_=round_)
    voter = _user(actor)
    text = (reason or "").strip()
    if decision.needs_reason and not text:
        raise ValidationFailed.single("reason", "req.errors.reason_required")
    if len(text) > REASON_MAX:
        raise ValidationFailed.single("reason", "req.errors.too_long", max=REASON_MAX)
    now = uow.now()
    vote = Vote(_id(requirement.id), requirement.round, seat, decision, voter, now, text or None)
    repo = cast(RequirementsUnitOfWork, uow).requirements
    if not await repo.add_vote(vote):
        raise Conflict("req.errors.already_voted", key=requirement.key)
    requirement.votes.append(vote)
    requirement.updated_at = now
    uow.record(
        actor,
        DomainEvent(
            "requirement.vote_cast",
            requirement.subject,
            {
                "decision": decision.value,
                "round": requirement.round,
                "approver": seat,
                "on_behalf_of": seat if vote.on_behalf else None,
                "reason": vote.reason,
                "approvals": requirement.approvals,
                "quorum": requirement.quorum,
            },
        ),
    )
    await close_deadlines(uow, requirement.subject, [APPROVAL_DEADLINE], owner_id=seat)
    await _decide(uow, actor, requirement, vote)
    await repo.save(requirement)
    notices.announce(uow, requirement, await department_of(uow, requirement))
    return requirement


async def ensure_can_vote(
    uow: UnitOfWork,
    actor: Actor,
    key_or_id: str | int,
    *,
    seat: str | None = None,
    round_: int | None = None,
) -> tuple[Requirement, str]:
    """Every check of a vote without casting it (a reject click asks for a reason first)."""
    voter = _user(actor)
    requirement = await load(uow, key_or_id)
    if requirement.stage is not Stage.APPROVAL or round_ not in (None, requirement.round):
        raise Conflict("req.errors.decided", key=requirement.key, stage=requirement.stage.value)
    if voter == requirement.submitter_id:
        raise PermissionDenied("req.errors.own_requirement", key=requirement.key)
    seat = seat or await _seat_for(uow, requirement, voter)
    await _check_voter(uow, requirement, seat, voter)
    if requirement.vote_of(seat) is not None:
        raise Conflict("req.errors.already_voted", key=requirement.key)
    return requirement, seat


async def ensure_can_resubmit(uow: UnitOfWork, actor: Actor, key_or_id: str | int) -> Requirement:
    requirement = await load(uow, key_or_id)
    if actor.user_id != requirement.submitter_id:
        raise PermissionDenied("req.errors.only_submitter", key=requirement.key)
    if requirement.stage is not Stage.CHANGES_REQUESTED:
        raise Conflict("req.errors.not_changes_requested", key=requirement.key)
    return requirement


async def withdraw_requirement(
    uow: UnitOfWork, actor: Actor, key_or_id: str | int, reason: str | None = None
) -> Requirement:
    requirement = await load(uow, key_or_id)
    if actor.user_id != requirement.submitter_id:
        raise PermissionDenied("req.errors.only_submitter", key=requirement.key)
    if requirement.is_closed:
        raise Conflict("req.errors.closed", key=requirement.key, stage=requirement.stage.value)
    previous = requirement.enter(Stage.WITHDRAWN, uow.now())
    await cast(RequirementsUnitOfWork, uow).requirements.save(requirement)
    await close_deadlines(uow, requirement.subject, [APPROVAL_DEADLINE])
    uow.record(
        actor,
        DomainEvent(
            "requirement.withdrawn",
            requirement.subject,
            {"from": previous.value, "to": Stage.WITHDRAWN.value, "reason": reason},
        ),
    )
    notices.announce(uow, requirement, await department_of(uow, requirement))
    return requirement


# -- approval rounds -------------------------------------------------------------------------


async def _seat_round(uow: UnitOfWork, requirement: Requirement, department: Department) -> None:
    """Fix who approves this round: the department's approvers except the submitter."""
    approvers = await uow.people.holders_of(Role.APPROVER, department_id=department.id)
    seats = sorted(a for a in set(approvers) if a != requirement.submitter_id)
    if not seats:
        raise Conflict("req.errors.no_approvers", department=department.name)
    requirement.seats = seats
    requirement.quorum = min(department.approval_quorum, len(seats))
    delegates = await active_delegates(uow, seats)
    requirement.recipients = [(seat, seat) for seat in seats]
    requirement.recipients += [
        (seat, delegates[seat])
        for seat in seats
        if delegates.get(seat) and delegates[seat] != requirement.submitter_id
    ]


async def active_delegates(uow: UnitOfWork, seats: list[str]) -> dict[str, str]:
    now = uow.now()
    active = await cast(RequirementsUnitOfWork, uow).requirements.active_delegations(now)
    return {d.delegator_id: d.delegate_id for d in active if d.delegator_id in seats}


async def _open_deadlines(
    uow: UnitOfWork, requirement: Requirement, department: Department
) -> None:
    """Each seat owes a vote: reminded, then escalated, counting the department's working hours
    when it follows a calendar (a Friday-evening request is not "overdue" on Saturday)."""
    remind = timedelta(hours=department.remind_after_hours)
    escalate = max(timedelta(hours=department.escalate_after_hours) - remind, timedelta(0))
    calendar = await _calendar_of(uow, department)
    now = uow.now()
    due = calendar.add_business_time(now, remind) if calendar else now + remind
    for seat in requirement.seats:
        await open_deadline(
            uow,
            APPROVAL_DEADLINE,
            requirement.subject,
            due,
            [Step(timedelta(0), "remind"), Step(escalate, "escalate", level=1)],
            owner_id=seat,
            params={"round": requirement.round},
            calendar=calendar,
        )


async def _calendar_of(uow: UnitOfWork, department: Department) -> BusinessCalendar | None:
    if not department.calendar:
        return None
    # A calendar removed while a department still names it must not block submissions:
    # the deadlines then count plain wall-clock time.
    return await cast(CalendarsUnitOfWork, uow).calendars.get(department.calendar)


async def _seat_for(uow: UnitOfWork, requirement: Requirement, voter: str) -> str:
    if voter in requirement.seats:
        return voter
    delegates = await active_delegates(uow, requirement.waiting_for())
    standing_in = [seat for seat, delegate in delegates.items() if delegate == voter]
    if standing_in:
        return standing_in[0]
    raise PermissionDenied("req.errors.not_approver", key=requirement.key)


async def _check_voter(uow: UnitOfWork, requirement: Requirement, seat: str, voter: str) -> None:
    """The seat must be in this round and still held; a stand-in needs a live delegation."""
    approvers = set(
        await uow.people.holders_of(Role.APPROVER, department_id=requirement.department_id)
    )
    if seat not in requirement.seats or seat not in approvers or voter not in approvers:
        raise PermissionDenied("req.errors.not_approver", key=requirement.key)
    if voter != seat and (await active_delegates(uow, [seat])).get(seat) != voter:
        raise PermissionDenied("req.errors.not_delegate", key=requirement.key, approver=seat)


async def _decide(uow: UnitOfWork, actor: Actor, requirement: Requirement, vote: Vote) -> None:
    outcome = None
    if vote.decision is Decision.REJECT:
        outcome = Stage.REJECTED
    elif vote.decision is Decision.CHANGES:
        outcome = Stage.CHANGES_REQUESTED
    elif requirement.approvals >= requirement.quorum:
        outcome = Stage.DESIGN
    if outcome is None:
        return
    previous = requirement.enter(outcome, uow.now())
    await close_deadlines(uow, requirement.subject, [APPROVAL_DEADLINE])
    event_type = {
        Stage.REJECTED: "requirement.rejected",
        Stage.CHANGES_REQUESTED: "requirement.changes_requested",
        Stage.DESIGN: "requirement.approved",
    }[outcome]
    approvers = [v.approver_id for v in requirement.round_votes() if v.decision is Decision.APPROVE]
    data: JSONDict = {
        "from": previous.value,
        "to": outcome.value,
        "round": requirement.round,
        "reason": vote.reason,
        "decided_by": vote.cast_by,
        "approved_by": cast(list[str | None], approvers),
    }
    uow.record(actor, DomainEvent(event_type, requirement.subject, data))
    notices.tell(uow, requirement, requirement.submitter_id, outcome.value)


# -- small pieces ----------------------------------------------------------------------------


def _id(value: int | None) -> int:
    assert value is not None
    return value


def _fields(requirement: Requirement) -> dict[str, str | None]:
    return {
        "title": requirement.title,
        "description": requirement.description,
        "justification": requirement.justification,
        "priority": requirement.priority.value,
        "wanted_by": requirement.wanted_by.isoformat() if requirement.wanted_by else None,
        "department_id": str(requirement.department_id),
        "platform_id": str(requirement.platform_id) if requirement.platform_id else None,
    }


def _describe(requirement: Requirement, checked: CheckedDraft) -> JSONDict:
    return {
        "key": requirement.key,
        "title": requirement.title,
        "department": checked.department.key,
        "platform": checked.platform.key if checked.platform else None,
        "priority": requirement.priority.value,
        "wanted_by": requirement.wanted_by.isoformat() if requirement.wanted_by else None,
        "submitter": requirement.submitter_id,
        "round": requirement.round,
        "approvers": cast(list[str | None], list(requirement.seats)),
        "quorum": requirement.quorum,
    }
