"""Deadline policies: pending approvals are reminded, then escalated to admins (SPEC §7a)."""

from __future__ import annotations

from typing import cast

from domain.access import Actor, Role
from domain.deadlines.models import Deadline, Step
from domain.events import DomainEvent, JSONDict, Notice, UserRecipient
from domain.ports import UnitOfWork
from domain.requirements.notices import ESCALATION, REMINDER
from domain.requirements.ports import RequirementsUnitOfWork
from domain.requirements.services import active_delegates


async def approval_step(uow: UnitOfWork, deadline: Deadline, step: Step) -> None:
    repo = cast(RequirementsUnitOfWork, uow).requirements
    requirement = await repo.get(deadline.subject.id)
    seat = deadline.owner_id
    if (
        requirement is None
        or seat is None
        or seat not in requirement.waiting_for()
        or deadline.params.get("round") not in (None, requirement.round)
    ):
        deadline.close(uow.now())  # decided, voted or superseded meanwhile: nothing is owed
        return
    system = Actor.system("deadlines")
    params: JSONDict = {"approver": seat, "deadline_id": deadline.id, "round": requirement.round}
    if step.action == "escalate":
        admins = await uow.people.holders_of(Role.ADMIN)
        for admin in sorted(set(admins)):
            uow.notify(Notice(ESCALATION, UserRecipient(admin), requirement.subject, params=params))
        event = "requirement.escalated"
    else:
        recipients = [seat]
        delegate = (await active_delegates(uow, [seat])).get(seat)
        if delegate:
            recipients.append(delegate)
        for user_id in recipients:
            uow.notify(Notice(REMINDER, UserRecipient(user_id), requirement.subject, params=params))
        event = "requirement.reminded"
    uow.record(
        system,
        DomainEvent(
            event,
            requirement.subject,
            {"approver": seat, "round": requirement.round, "step": step.action},
        ),
    )
