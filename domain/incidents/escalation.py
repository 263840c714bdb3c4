"""The acknowledge SLA: a deadline per triggered incident, fired by the deadline sweep.

Ladder (SLA = the severity's ack time, counted from the trigger): at SLA re-notify the on-call,
at 2×SLA page every operator of the platform, at 3×SLA page the admins. Each step is posted once
(the deadline engine records it), by DM and in the ops channel. Acknowledging closes the deadline;
an un-acknowledge or reopen starts a new one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, cast

from domain.access import Actor, Role
from domain.deadlines.models import Deadline, Step
from domain.deadlines.services import close_deadlines, open_deadline
from domain.events import DomainEvent
from domain.incidents.announce import facts, page, subject_of, update_card
from domain.incidents.models import Incident, IncidentPolicy, IncidentStatus
from domain.incidents.oncall import on_call_now
from domain.ports import UnitOfWork

if TYPE_CHECKING:
    from domain.incidents.ports import IncidentsUnitOfWork

ACK_DEADLINE = "incident.ack"
LEVEL_ONCALL, LEVEL_OPERATORS, LEVEL_ADMINS = 0, 1, 2
MAX_LEVEL = LEVEL_ADMINS


def ack_steps(sla: timedelta) -> list[Step]:
    return [
        Step(timedelta(0), "renotify", LEVEL_ONCALL),
        Step(sla, "escalate", LEVEL_OPERATORS),
        Step(sla * 2, "escalate", LEVEL_ADMINS),
    ]


async def start_ack_clock(
    uow: IncidentsUnitOfWork, incident: Incident, policy: IncidentPolicy
) -> None:
    sla = policy.ack_sla(incident.severity)
    start = incident.triggered_at or incident.created_at
    await open_deadline(
        uow,
        ACK_DEADLINE,
        subject_of(incident),
        due_at=start + sla,
        steps=ack_steps(sla),
        owner_id=await on_call_now(uow, incident.platform_id),
        params={"severity": incident.severity.value},
    )


async def stop_ack_clock(uow: IncidentsUnitOfWork, incident: Incident) -> None:
    await close_deadlines(uow, subject_of(incident), [ACK_DEADLINE])


async def targets_for(uow: IncidentsUnitOfWork, incident: Incident, level: int) -> list[str]:
    """Who is paged at a level: the on-call (or, with no rotation, the operators), the
    platform's operators, then the admins."""
    if level == LEVEL_ONCALL:
        on_call = await on_call_now(uow, incident.platform_id)
        if on_call:
            return [on_call]
        level = LEVEL_OPERATORS
    if level == LEVEL_OPERATORS:
        return await uow.people.holders_of(Role.OPERATOR, platform_id=incident.platform_id)
    return await uow.people.holders_of(Role.ADMIN)


async def escalate_to(
    uow: IncidentsUnitOfWork, actor: Actor, incident: Incident, level: int, reason: str
) -> list[str]:
    """Page level `level`, record it and refresh the card. The caller saves the incident."""
    platform = await uow.org.get_platform(incident.platform_id)
    assert platform is not None
    targets = await targets_for(uow, incident, level)
    paged = page(uow, incident, platform, targets, level=level, reason=reason)
    uow.record(
        actor,
        DomainEvent(
            "incident.escalated",
            subject_of(incident),
            facts(incident, platform, level=level, reason=reason, paged=list(paged)),
        ),
    )
    update_card(uow, incident, platform)
    return paged


async def ack_deadline_policy(uow: UnitOfWork, deadline: Deadline, step: Step) -> None:
    iuow = cast("IncidentsUnitOfWork", uow)
    incident = await iuow.incidents.get(deadline.subject.id)
    if incident is None or incident.status is not IncidentStatus.TRIGGERED:
        deadline.close(uow.now())  # acted on meanwhile: nothing is owed any more
        return
    if step.level <= incident.escalation_level and step.level > LEVEL_ONCALL:
        return  # someone already escalated this far by hand; never page a level twice
    reason = "ack_sla"
    if step.level > incident.escalation_level:
        incident.escalation_level = step.level
        await iuow.incidents.save(incident)
    await escalate_to(iuow, Actor.system("sla"), incident, step.level, reason)
