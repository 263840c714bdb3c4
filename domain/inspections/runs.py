"""Inspection runs: opened by the scheduler at each due time, completed through the checklist.

Restart safety: the plan's `next_due_at` is advanced in the same transaction that opens the run,
guarded by a compare-and-set (`claim_tick`) and a unique (plan, tick) constraint. After an outage
the job opens exactly one run — for the latest tick — marked late, and skips the older ticks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from domain.access import Actor, Permission, Role
from domain.deadlines.models import Step
from domain.deadlines.services import close_deadlines, open_deadline
from domain.errors import Conflict, FieldErrors, NotFound, PermissionDenied
from domain.events import ChannelRecipient, DomainEvent, Notice, UserRecipient, home_refresh
from domain.inspections.models import (
    MAX_NOTE_LENGTH,
    InspectionPlan,
    InspectionRun,
    ItemResult,
    PlanState,
    RunState,
    parse_run_key,
)
from domain.inspections.ports import InspectionsUnitOfWork, RunFilter
from domain.inspections.schedule import Schedule
from domain.inspections.services import VIEW_INSPECTIONS, get_plan

PERFORM_INSPECTIONS = Permission(
    "inspections.perform", roles=(Role.ADMIN, Role.OPERATOR), scope="inspections:write"
)
DEADLINE_KIND = "inspection.run"
# A run opened this long after its tick was not opened on time (the process was down).
LATE_AFTER = timedelta(minutes=2)
ESCALATE_OPERATORS_AFTER = timedelta(hours=1)  # after the grace period ended
ESCALATE_ADMINS_AFTER = timedelta(hours=4)
MAX_REMINDER_DMS = 10
MAX_COUNTED_SKIPS = 1000


def reminder_ref(run_id: int, user_id: str | None = None) -> str:
    return f"inspection.run:{run_id}" + (f":dm:{user_id}" if user_id else "")


def result_ref(run_id: int) -> str:
    return f"inspection.result:{run_id}"


async def open_due_run(uow: InspectionsUnitOfWork, plan_id: int) -> InspectionRun | None:
    """Open the run owed by one plan, if its due time has passed. None when nothing was owed or
    another worker opened it first. The caller commits."""
    now = uow.now()
    plan = await uow.inspections.get_plan(plan_id)
    if (
        plan is None
        or plan.id is None
        or plan.state is not PlanState.ACTIVE
        or plan.next_due_at is None
        or plan.next_due_at > now
    ):
        return None
    schedule = Schedule(plan.cron, plan.timezone)
    tick = max(schedule.latest_at_or_before(now), plan.next_due_at)
    late = now - plan.next_due_at > LATE_AFTER
    skipped = _ticks_between(schedule, plan.next_due_at, tick) if late else 0
    if not await uow.inspections.claim_tick(plan.id, plan.next_due_at, schedule.next_after(now)):
        return None
    recipients = await _reminder_recipients(uow, plan)
    run = await uow.inspections.add_run(
        InspectionRun(
            id=None,
            number=await uow.next_number("RUN"),
            plan_id=plan.id,
            platform_id=plan.platform_id,
            scheduled_for=tick,
            opened_at=now,
            due_at=now + plan.grace,
            checklist=list(plan.checklist),
            assignee_id=plan.assignee_id,
            assignee_role=plan.assignee_role,
            channel_id=plan.channel_id,
            late=late,
            notified=recipients,
        )
    )
    assert run.id is not None
    uow.record(
        Actor.system("scheduler"),
        DomainEvent(
            "inspection.run_opened",
            run.subject,
            {
                "plan_id": plan.id,
                "plan": plan.name,
                "platform_id": plan.platform_id,
                "scheduled_for": tick.isoformat(),
                "due_at": run.due_at.isoformat(),
                "late": late,
                "skipped_ticks": skipped,
            },
        ),
    )
    await open_deadline(
        uow,
        DEADLINE_KIND,
        run.subject,
        run.due_at,
        [
            Step(timedelta(0), "remind"),
            Step(ESCALATE_OPERATORS_AFTER, "escalate", 1),
            Step(ESCALATE_ADMINS_AFTER, "escalate", 2),
        ],
        owner_id=run.assignee_id,
        params={"platform_id": run.platform_id},
    )
    uow.notify(
        Notice(
            "inspection.reminder",
            ChannelRecipient(run.channel_id),
            run.subject,
            reminder_ref(run.id),
        )
    )
    for user_id in recipients:
        uow.notify(
            Notice(
                "inspection.reminder",
                UserRecipient(user_id),
                run.subject,
                reminder_ref(run.id, user_id),
            )
        )
        uow.notify(home_refresh(user_id))
    return run


def _ticks_between(schedule: Schedule, first: datetime, last: datetime) -> int:
    """How many ticks from `first` up to (not including) `last` were skipped (bounded)."""
    count, tick = 0, first
    while tick < last and count < MAX_COUNTED_SKIPS:
        count += 1
        tick = schedule.next_after(tick)
    return count


async def _reminder_recipients(uow: InspectionsUnitOfWork, plan: InspectionPlan) -> list[str]:
    if plan.assignee_id:
        return [plan.assignee_id]
    if plan.assignee_role is None:
        return []
    holders = await uow.people.holders_of(plan.assignee_role, platform_id=plan.platform_id)
    return sorted(set(holders))[:MAX_REMINDER_DMS]


async def get_run(uow: InspectionsUnitOfWork, run_key: str) -> InspectionRun:
    number = parse_run_key(run_key)
    run = await uow.inspections.find_run(number) if number is not None else None
    if run is None:
        raise NotFound("errors.inspection.run_not_found", run=run_key)
    return run


def may_perform(actor: Actor, run: InspectionRun) -> bool:
    if actor.user_id is not None and actor.user_id == run.assignee_id:
        return True
    if run.assignee_role is not None and actor.has_role(
        run.assignee_role, platform_id=run.platform_id
    ):
        return True
    return actor.can(PERFORM_INSPECTIONS, platform_id=run.platform_id)


def require_perform(actor: Actor, run: InspectionRun) -> None:
    if not may_perform(actor, run):
        roles = [Role.ADMIN, Role.OPERATOR]
        if run.assignee_role is not None and run.assignee_role not in roles:
            roles.append(run.assignee_role)
        raise PermissionDenied(
            "errors.permission_denied",
            action=PERFORM_INSPECTIONS.name,
            roles=", ".join(r.value for r in roles),
        )


async def start_run(uow: InspectionsUnitOfWork, actor: Actor, run_key: str) -> InspectionRun:
    """Check that this person may fill in the checklist now (before the modal opens)."""
    run = await get_run(uow, run_key)
    require_perform(actor, run)
    if run.state is RunState.COMPLETED:
        raise Conflict("errors.inspection.run_done", run=run.key, by=f"<@{run.completed_by}>")
    return run


async def complete_run(
    uow: InspectionsUnitOfWork,
    actor: Actor,
    run_key: str,
    outcomes: Sequence[tuple[bool | None, str]],
) -> InspectionRun:
    """Record pass/fail (+ note) per checklist item, in checklist order."""
    run = await start_run(uow, actor, run_key)
    assert run.id is not None
    errors = FieldErrors()
    if len(outcomes) != len(run.checklist):
        errors.add("item_0", "errors.inspection.results_count", expected=len(run.checklist))
    for index, (passed, note) in enumerate(outcomes):
        if passed is None:
            errors.add(f"item_{index}", "errors.inspection.result_missing")
        if len(note) > MAX_NOTE_LENGTH:
            errors.add(f"note_{index}", "errors.inspection.note_long", max=MAX_NOTE_LENGTH)
    errors.raise_if_any()
    now = uow.now()
    run.results = [
        ItemResult(item, bool(passed), note.strip())
        for item, (passed, note) in zip(run.checklist, outcomes, strict=True)
    ]
    run.state, run.completed_at, run.completed_by = RunState.COMPLETED, now, actor.id_for_audit
    await uow.inspections.save_run(run)
    await close_deadlines(uow, run.subject, [DEADLINE_KIND])
    failed = run.failed_items
    uow.record(
        actor,
        DomainEvent(
            "inspection.run_completed",
            run.subject,
            {
                "plan_id": run.plan_id,
                "platform_id": run.platform_id,
                "passed": len(run.results) - len(failed),
                "failed": len(failed),
                "failed_items": [r.item for _, r in failed],
                "late": run.late,
                "missed": run.missed,
            },
        ),
    )
    announce_run_change(uow, run)
    uow.notify(
        Notice(
            "inspection.result", ChannelRecipient(run.channel_id), run.subject, result_ref(run.id)
        )
    )
    if actor.user_id:
        uow.notify(home_refresh(actor.user_id))
    return run


def announce_run_change(uow: InspectionsUnitOfWork, run: InspectionRun) -> None:
    """Update the reminder in the channel and in every DM in place."""
    assert run.id is not None
    uow.notify(
        Notice(
            "inspection.reminder",
            ChannelRecipient(run.channel_id),
            run.subject,
            reminder_ref(run.id),
            update_only=True,
        )
    )
    for user_id in run.notified:
        uow.notify(
            Notice(
                "inspection.reminder",
                UserRecipient(user_id),
                run.subject,
                reminder_ref(run.id, user_id),
                update_only=True,
            )
        )
        uow.notify(home_refresh(user_id))


async def link_incident(
    uow: InspectionsUnitOfWork, actor: Actor, run: InspectionRun, index: int, incident_key: str
) -> InspectionRun:
    """Remember which incident was opened for a failed item (shown on the result message)."""
    assert run.id is not None
    if not 0 <= index < len(run.results) or run.results[index].passed:
        raise Conflict("errors.inspection.item_not_failed")
    run.results[index] = replace(run.results[index], incident_key=incident_key)
    await uow.inspections.save_run(run)
    uow.record(
        actor,
        DomainEvent(
            "inspection.incident_opened",
            run.subject,
            {"item": run.results[index].item, "incident": incident_key},
            webhook=False,
        ),
    )
    uow.notify(
        Notice(
            "inspection.result",
            ChannelRecipient(run.channel_id),
            run.subject,
            result_ref(run.id),
            update_only=True,
        )
    )
    return run


async def list_due_runs(uow: InspectionsUnitOfWork, actor: Actor) -> list[InspectionRun]:
    """Open runs this person is expected to do: assigned to them or to a role they hold."""
    roles = tuple(
        (grant.role.value, grant.platform_id)
        for grant in actor.grants
        if grant.role in (Role.OPERATOR, Role.ENGINEER)
    )
    return await uow.inspections.list_runs(
        RunFilter(
            state=RunState.OPEN,
            assignee_id=actor.user_id or "",
            roles_on_platforms=roles,
            limit=50,
        )
    )


async def run_history(
    uow: InspectionsUnitOfWork,
    actor: Actor,
    plan_ref: str | None = None,
    limit: int = 20,
    before_id: int | None = None,
    state: RunState | None = None,
) -> list[InspectionRun]:
    actor.require(VIEW_INSPECTIONS)
    plan_id = (await get_plan(uow, plan_ref)).id if plan_ref else None
    return await uow.inspections.list_runs(
        RunFilter(plan_id=plan_id, state=state, before_id=before_id, limit=limit)
    )
