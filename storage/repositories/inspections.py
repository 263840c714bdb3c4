"""Inspection plans and runs: rows ↔ domain dataclasses."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.access import Role
from domain.inspections.models import (
    InspectionPlan,
    InspectionRun,
    ItemResult,
    PlanState,
    RunState,
)
from domain.inspections.ports import RunFilter
from storage.models.inspections import InspectionPlanRow, InspectionRunRow


def _plan(row: InspectionPlanRow) -> InspectionPlan:
    return InspectionPlan(
        id=row.id,
        name=row.name,
        platform_id=row.platform_id,
        checklist=list(row.checklist),
        cron=row.cron,
        timezone=row.timezone,
        channel_id=row.channel_id,
        grace=timedelta(minutes=row.grace_minutes),
        assignee_id=row.assignee_id,
        assignee_role=Role(row.assignee_role) if row.assignee_role else None,
        state=PlanState(row.state),
        next_due_at=row.next_due_at,
        source=row.source,
        created_by=row.created_by,
        created_at=row.created_at,
    )


def _fill_plan(row: InspectionPlanRow, plan: InspectionPlan) -> None:
    row.name, row.name_folded = plan.name, plan.name.casefold()
    row.platform_id, row.checklist = plan.platform_id, list(plan.checklist)
    row.cron, row.timezone, row.channel_id = plan.cron, plan.timezone, plan.channel_id
    row.grace_minutes = int(plan.grace.total_seconds() // 60)
    row.assignee_id = plan.assignee_id
    row.assignee_role = plan.assignee_role.value if plan.assignee_role else None
    row.state, row.next_due_at, row.source = plan.state.value, plan.next_due_at, plan.source
    row.created_by = plan.created_by
    if plan.created_at is not None:
        row.created_at = plan.created_at


def _results_json(results: list[ItemResult]) -> list[Any]:
    return [
        {"item": r.item, "passed": r.passed, "note": r.note, "incident": r.incident_key}
        for r in results
    ]


def _run(row: InspectionRunRow) -> InspectionRun:
    return InspectionRun(
        id=row.id,
        number=row.number,
        plan_id=row.plan_id,
        platform_id=row.platform_id,
        scheduled_for=row.scheduled_for,
        opened_at=row.opened_at,
        due_at=row.due_at,
        checklist=list(row.checklist),
        assignee_id=row.assignee_id,
        assignee_role=Role(row.assignee_role) if row.assignee_role else None,
        channel_id=row.channel_id,
        state=RunState(row.state),
        late=row.late,
        missed_at=row.missed_at,
        completed_at=row.completed_at,
        completed_by=row.completed_by,
        results=[
            ItemResult(r["item"], bool(r["passed"]), r.get("note") or "", r.get("incident"))
            for r in row.results
        ],
        notified=list(row.notified),
    )


def _fill_run(row: InspectionRunRow, run: InspectionRun) -> None:
    row.number, row.plan_id, row.platform_id = run.number, run.plan_id, run.platform_id
    row.scheduled_for, row.opened_at, row.due_at = run.scheduled_for, run.opened_at, run.due_at
    row.checklist, row.assignee_id = list(run.checklist), run.assignee_id
    row.assignee_role = run.assignee_role.value if run.assignee_role else None
    row.channel_id, row.state, row.late = run.channel_id, run.state.value, run.late
    row.missed_at, row.completed_at, row.completed_by = (
        run.missed_at,
        run.completed_at,
        run.completed_by,
    )
    row.results = _results_json(run.results)
    row.failed_count = len(run.failed_items)
    row.notified = list(run.notified)


class SqlInspections:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- plans ---------------------------------------------------------------------------------
    async def add_plan(self, plan: InspectionPlan) -> InspectionPlan:
        row = InspectionPlanRow()
        _fill_plan(row, plan)
        self.session.add(row)
        await self.session.flush()
        plan.id = row.id
        return plan

    async def get_plan(self, plan_id: int) -> InspectionPlan | None:
        row = await self.session.get(InspectionPlanRow, plan_id)
        return _plan(row) if row else None

    async def load_plans(self, plan_ids: list[int]) -> None:
        """Load these plans in one query; later `get_plan` calls are answered from memory."""
        await self.session.scalars(
            select(InspectionPlanRow).where(InspectionPlanRow.id.in_(plan_ids))
        )

    async def find_plan_by_name(self, name: str) -> InspectionPlan | None:
        row = await self.session.scalar(
            select(InspectionPlanRow)
            .where(
                InspectionPlanRow.name_folded == name.casefold(),
                InspectionPlanRow.state != PlanState.DELETED.value,
            )
            .limit(1)
        )
        return _plan(row) if row else None

    async def save_plan(self, plan: InspectionPlan) -> None:
        row = await self.session.get(InspectionPlanRow, plan.id)
        assert row is not None
        _fill_plan(row, plan)

    async def list_plans(
        self,
        platform_id: int | None = None,
        include_deleted: bool = False,
        after_id: int | None = None,
        limit: int = 200,
    ) -> list[InspectionPlan]:
        query = select(InspectionPlanRow).order_by(InspectionPlanRow.id).limit(limit)
        if platform_id is not None:
            query = query.where(InspectionPlanRow.platform_id == platform_id)
        if not include_deleted:
            query = query.where(InspectionPlanRow.state != PlanState.DELETED.value)
        if after_id is not None:
            query = query.where(InspectionPlanRow.id > after_id)
        return [_plan(row) for row in await self.session.scalars(query)]

    async def due_plan_ids(self, now: datetime, limit: int) -> list[int]:
        rows = await self.session.scalars(
            select(InspectionPlanRow.id)
            .where(
                InspectionPlanRow.state == PlanState.ACTIVE.value,
                InspectionPlanRow.next_due_at <= now,
            )
            .order_by(InspectionPlanRow.next_due_at, InspectionPlanRow.id)
            .limit(limit)
        )
        return list(rows)

    async def claim_tick(
        self, plan_id: int, expected_due_at: datetime, next_due_at: datetime
    ) -> bool:
        result = await self.session.execute(
            update(InspectionPlanRow)
            .where(
                InspectionPlanRow.id == plan_id,
                InspectionPlanRow.next_due_at == expected_due_at,
                InspectionPlanRow.state == PlanState.ACTIVE.value,
            )
            .values(next_due_at=next_due_at)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    # -- runs ----------------------------------------------------------------------------------
    async def add_run(self, run: InspectionRun) -> InspectionRun:
        # Callers claim the tick first (claim_tick), so a duplicate here means two writers raced
        # past it: the unique (plan, tick) constraint fails that whole transaction.
        row = InspectionRunRow()
        _fill_run(row, run)
        self.session.add(row)
        await self.session.flush()
        run.id = row.id
        return run

    async def get_run(self, run_id: int) -> InspectionRun | None:
        row = await self.session.get(InspectionRunRow, run_id)
        return _run(row) if row else None

    async def find_run(self, number: int) -> InspectionRun | None:
        row = await self.session.scalar(
            select(InspectionRunRow).where(InspectionRunRow.number == number)
        )
        return _run(row) if row else None

    async def save_run(self, run: InspectionRun) -> None:
        row = await self.session.get(InspectionRunRow, run.id)
        assert row is not None
        _fill_run(row, run)

    async def list_runs(self, query: RunFilter) -> list[InspectionRun]:
        statement = select(InspectionRunRow).order_by(InspectionRunRow.id.desc())
        if query.plan_id is not None:
            statement = statement.where(InspectionRunRow.plan_id == query.plan_id)
        if query.platform_id is not None:
            statement = statement.where(InspectionRunRow.platform_id == query.platform_id)
        if query.state is not None:
            statement = statement.where(InspectionRunRow.state == query.state.value)
        if query.opened_from is not None:
            statement = statement.where(InspectionRunRow.opened_at >= query.opened_from)
        if query.opened_to is not None:
            statement = statement.where(InspectionRunRow.opened_at < query.opened_to)
        if query.before_id is not None:
            statement = statement.where(InspectionRunRow.id < query.before_id)
        if query.assignee_id is not None:
            mine = [InspectionRunRow.assignee_id == query.assignee_id]
            for role, platform_id in query.roles_on_platforms:
                clause = InspectionRunRow.assignee_role == role
                if platform_id is not None:
                    clause = clause & (InspectionRunRow.platform_id == platform_id)
                mine.append(clause)
            statement = statement.where(or_(*mine))
        rows = await self.session.scalars(statement.limit(query.limit))
        return [_run(row) for row in rows]
