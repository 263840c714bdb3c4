"""What the deadline sweep does for an overdue inspection run (SPEC §7a).

Step "remind" fires when the grace period ends: the run counts as missed and the assignees are
reminded (they may snooze). "escalate" level 1 tells the platform's operators in the operations
channel, level 2 the admins by DM. A completed run has closed its deadline, so nothing fires.
"""

from __future__ import annotations

from typing import cast

from domain.access import Actor, Role
from domain.deadlines.models import Deadline, Step
from domain.events import ChannelRecipient, DomainEvent, JSONDict, Notice, UserRecipient
from domain.inspections.models import RunState
from domain.inspections.ports import InspectionsUnitOfWork
from domain.inspections.runs import announce_run_change
from domain.ports import UnitOfWork

MAX_ADMIN_DMS = 10


async def run_overdue_policy(base_uow: UnitOfWork, deadline: Deadline, step: Step) -> None:
    uow = cast(InspectionsUnitOfWork, base_uow)
    run = await uow.inspections.get_run(deadline.subject.id)
    if run is None or run.state is RunState.COMPLETED:
        deadline.close(uow.now())
        return
    assert run.id is not None
    system = Actor.system("scheduler")
    params: JSONDict = {"deadline_id": deadline.id, "level": step.level}
    if step.action == "remind":
        if run.missed_at is None:
            run.missed_at = uow.now()
            await uow.inspections.save_run(run)
            uow.record(
                system,
                DomainEvent(
                    "inspection.run_missed",
                    run.subject,
                    {"plan_id": run.plan_id, "platform_id": run.platform_id},
                ),
            )
            announce_run_change(uow, run)
        for user_id in run.notified:
            uow.notify(
                Notice("inspection.overdue", UserRecipient(user_id), run.subject, params=params)
            )
        return
    uow.record(
        system,
        DomainEvent(
            "inspection.run_escalated",
            run.subject,
            {"plan_id": run.plan_id, "platform_id": run.platform_id, "level": step.level},
        ),
    )
    if step.level <= 1:
        platform = await uow.org.get_platform(run.platform_id)
        channel = (platform.ops_channel_id if platform else None) or run.channel_id
        uow.notify(
            Notice("inspection.escalation", ChannelRecipient(channel), run.subject, params=params)
        )
        return
    admins = await uow.people.holders_of(Role.ADMIN)
    for user_id in sorted(set(admins))[:MAX_ADMIN_DMS]:
        uow.notify(
            Notice("inspection.escalation", UserRecipient(user_id), run.subject, params=params)
        )
