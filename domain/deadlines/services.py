"""The one engine for everything owed by someone by a time (SPEC §7a).

Areas open deadlines inside their use cases and register a policy per deadline kind that turns a
step (remind, re-notify, escalate, expire…) into notices or state changes. The scheduler's sweep
calls `fire_step` for each due deadline, each in its own unit of work.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import cast

from domain.access import Actor
from domain.deadlines.calendar import BusinessCalendar
from domain.deadlines.models import SNOOZE_CHOICES, Deadline, DeadlineState, Step
from domain.deadlines.ports import CalendarsUnitOfWork
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.events import DomainEvent, Subject
from domain.ports import UnitOfWork

# policy(uow, deadline, step) performs the step; it may close the deadline (e.g. on expiry).
DeadlinePolicy = Callable[[UnitOfWork, Deadline, Step], Awaitable[None]]


async def open_deadline(
    uow: UnitOfWork,
    kind: str,
    subject: Subject,
    due_at: datetime,
    steps: Sequence[Step],
    owner_id: str | None = None,
    params: Mapping[str, str | int | None] | None = None,
    calendar: BusinessCalendar | None = None,
) -> Deadline:
    """With a `calendar`, step offsets count working time from `due_at` (areas compute `due_at`
    itself with `calendar.add_business_time(uow.now(), sla)`)."""
    if calendar is not None:
        # Stored as plain offsets, so firing needs no calendar lookup and never drifts if the
        # calendar is edited later.
        steps = [
            Step(calendar.add_business_time(due_at, step.offset) - due_at, step.action, step.level)
            for step in steps
        ]
    deadline = Deadline(
        id=None,
        kind=kind,
        subject=subject,
        due_at=due_at,
        steps=list(steps),
        owner_id=owner_id,
        params=dict(params or {}),
        created_at=uow.now(),
        calendar=calendar.name if calendar is not None and calendar.name else None,
    )
    return await uow.deadlines.add(deadline)


async def close_deadlines(
    uow: UnitOfWork, subject: Subject, kinds: Sequence[str] = (), owner_id: str | None = None
) -> int:
    """Acting on a subject closes what it owed. Returns how many deadlines were closed."""
    closed = 0
    for deadline in await uow.deadlines.open_for(subject, kinds):
        if owner_id is not None and deadline.owner_id != owner_id:
            continue
        deadline.close(uow.now())
        await uow.deadlines.save(deadline)
        closed += 1
    return closed


async def snooze_deadline(uow: UnitOfWork, actor: Actor, deadline_id: int, choice: str) -> Deadline:
    duration = SNOOZE_CHOICES.get(choice)
    if duration is None:
        raise ValidationFailed.single(
            "snooze", "errors.snooze.choice", choices=", ".join(SNOOZE_CHOICES)
        )
    deadline = await uow.deadlines.get(deadline_id)
    if deadline is None:
        raise NotFound("errors.deadline.not_found", id=deadline_id)
    if deadline.state is DeadlineState.CLOSED:
        raise Conflict("errors.deadline.closed")
    if deadline.owner_id is not None and actor.user_id != deadline.owner_id and not actor.is_admin:
        raise Conflict("errors.deadline.not_owner")
    until = _snooze_until(uow.now(), choice, duration)
    if choice == "tomorrow" and deadline.calendar:
        # A deadline that follows business hours wakes up when the next working day opens.
        calendar = await cast(CalendarsUnitOfWork, uow).calendars.get(deadline.calendar)
        if calendar is not None:
            until = calendar.next_day_opening(uow.now())
    if deadline.snoozed_until == until:
        return deadline  # a double click or a Slack retry: already snoozed exactly so
    deadline.snooze(until)
    await uow.deadlines.save(deadline)
    uow.record(
        actor,
        DomainEvent(
            "deadline.snoozed",
            deadline.subject,
            {"deadline_id": deadline_id, "kind": deadline.kind, "until": until.isoformat()},
            webhook=False,
        ),
    )
    return deadline


def _snooze_until(now: datetime, choice: str, duration: timedelta) -> datetime:
    if choice != "tomorrow":
        return now + duration
    # "tomorrow" means the next morning (09:00 UTC), not merely 24 hours later.
    next_day = (now + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    return next_day


async def fire_step(
    uow: UnitOfWork, deadline_id: int, policies: Mapping[str, DeadlinePolicy]
) -> bool:
    """Fire the due step of one deadline exactly once. Returns False when nothing was due."""
    now = uow.now()
    deadline = await uow.deadlines.get(deadline_id)
    if (
        deadline is None
        or deadline.state is not DeadlineState.OPEN
        or deadline.next_fire_at is None
        or deadline.next_fire_at > now
    ):
        return False
    step = deadline.current_step
    if step is None:
        return False
    assert deadline.id is not None
    if not await uow.deadlines.record_step(deadline.id, deadline.next_step, now):
        return False
    policy = policies.get(deadline.kind)
    if policy is not None:
        await policy(uow, deadline, step)
    if deadline.state is DeadlineState.OPEN:
        deadline.advance(now)
    await uow.deadlines.save(deadline)
    return True
