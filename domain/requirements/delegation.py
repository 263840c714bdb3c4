"""An approver hands their approvals to another approver for a period (holiday).

The delegate then receives the approval DMs of the absent approver's seats and votes "on behalf
of" them. Creating and ending a delegation is audited.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import cast

from domain.access import Actor, Grant, Role
from domain.errors import Conflict, PermissionDenied, ValidationFailed
from domain.events import DomainEvent, Subject
from domain.ports import UnitOfWork
from domain.requirements import notices
from domain.requirements.models import Delegation
from domain.requirements.ports import RequirementsUnitOfWork

MAX_DAYS = 366


def _approver_departments(grants: frozenset[Grant]) -> set[int | None]:
    return {g.department_id for g in grants if g.role is Role.APPROVER}


async def delegate_approvals(
    uow: UnitOfWork, actor: Actor, delegate_id: str, until: date
) -> Delegation:
    """Until the end of `until` (UTC), `delegate_id` votes for the actor's seats."""
    delegator = actor.user_id
    if delegator is None or not actor.has_role(Role.APPROVER):
        raise PermissionDenied("req.errors.delegate_not_approver")
    if delegate_id == delegator:
        raise ValidationFailed.single("delegate", "req.errors.delegate_self")
    delegate = await uow.actor_for(delegate_id)
    shared = _approver_departments(actor.grants) & _approver_departments(delegate.grants)
    if not shared and None not in _approver_departments(delegate.grants):
        raise ValidationFailed.single("delegate", "req.errors.delegate_not_peer", user=delegate_id)
    now = uow.now()
    ends = datetime.combine(until, time.min, tzinfo=UTC) + timedelta(days=1)
    if until < now.date():
        raise ValidationFailed.single("until", "req.errors.date_past", date=until.isoformat())
    if ends - now > timedelta(days=MAX_DAYS):
        raise ValidationFailed.single("until", "req.errors.delegate_too_long", days=MAX_DAYS)
    repo = cast(RequirementsUnitOfWork, uow).requirements
    for existing in await repo.delegations_from(delegator):
        if existing.active_at(now):
            if existing.delegate_id == delegate_id and existing.until == ends:
                raise Conflict("req.errors.delegate_exists", user=delegate_id)
            existing.revoked_at = now  # one stand-in at a time: the new one replaces it
            await repo.save_delegation(existing)
    delegation = await repo.add_delegation(Delegation(delegator, delegate_id, now, ends, now))
    uow.record(
        actor,
        DomainEvent(
            "requirement.delegated",
            Subject("user", 0, delegator),
            {"delegator": delegator, "delegate": delegate_id, "until": ends.isoformat()},
        ),
    )
    await _hand_over_pending(uow, delegator, delegate_id)
    return delegation


async def end_delegation(uow: UnitOfWork, actor: Actor) -> Delegation:
    delegator = actor.user_id
    repo = cast(RequirementsUnitOfWork, uow).requirements
    now = uow.now()
    active = [d for d in await repo.delegations_from(delegator or "") if d.active_at(now)]
    if delegator is None or not active:
        raise Conflict("req.errors.no_delegation")
    for delegation in active:
        delegation.revoked_at = now
        await repo.save_delegation(delegation)
    uow.record(
        actor,
        DomainEvent(
            "requirement.delegation_ended",
            Subject("user", 0, delegator),
            {"delegator": delegator, "delegate": active[-1].delegate_id},
        ),
    )
    return active[-1]


async def _hand_over_pending(uow: UnitOfWork, seat: str, delegate_id: str) -> None:
    """Requests already waiting for the absent approver reach the delegate at once."""
    repo = cast(RequirementsUnitOfWork, uow).requirements
    for requirement in await repo.pending_for_approver([seat]):
        if seat not in requirement.waiting_for() or delegate_id == requirement.submitter_id:
            continue
        if (seat, delegate_id) in requirement.recipients:
            continue
        requirement.recipients.append((seat, delegate_id))
        await repo.save(requirement)
        uow.notify(notices.approval_request(requirement, seat, delegate_id, update=False))
