"""Report facts from indexed SQL over the events table and inspection runs (SQLAlchemy Core:
no ORM objects on this hot path), and report schedules.

Each query is a range on (type, occurred_at) or a lookup on (type, subject_id, occurred_at);
sections for other areas read their events by type, never their tables.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from domain.org.models import Platform
from domain.reports.models import (
    DeclaredIncident,
    InspectionCounts,
    ReportFacts,
    ReportKind,
    Transition,
)
from domain.reports.ports import ReportSchedule
from storage.models.core import EventRow
from storage.models.inspections import InspectionRunRow, ReportScheduleRow

COUNTED = (
    "requirement.submitted",
    "requirement.approved",
    "requirement.rejected",
    "requirement.changes_requested",
    "requirement.withdrawn",
    "incident.resolved",
    "moderation.warning_issued",
    "moderation.ban_started",
    "moderation.ban_confirmed",
    "moderation.ban_lifted",
    "moderation.appeal_received",
    "moderation.appeal_decided",
    "moderation.report_received",
)
# Requirement events that move it into a stage; `data.to` names it, else the type implies it.
TRANSITIONS = {
    "requirement.submitted": "approval",
    "requirement.resubmitted": "approval",
    "requirement.approved": "design",
    "requirement.rejected": "rejected",
    "requirement.changes_requested": "changes_requested",
    "requirement.withdrawn": "withdrawn",
    "requirement.stage_changed": "",
}
RECEIVED = ("moderation.report_received", "moderation.appeal_received")
HANDLED = ("moderation.report_closed", "moderation.appeal_decided")
OPEN_TOTALS = ("incident.declared", "incident.reopened", "incident.resolved")


def _in_period(start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(EventRow.occurred_at >= start, EventRow.occurred_at < end)


def _of_requirements_on(platform: Platform | None) -> ColumnElement[bool] | None:
    """Requirement events carry their platform only when submitted: select by subject."""
    if platform is None:
        return None
    submitted = select(EventRow.subject_id).where(
        EventRow.type == "requirement.submitted",
        EventRow.data["platform"].as_string() == platform.key,
    )
    clause: ColumnElement[bool] = EventRow.subject_id.in_(submitted.scalar_subquery())
    return clause


def _on_platform(platform: Platform | None) -> ColumnElement[bool] | None:
    if platform is None:
        return None
    clause: ColumnElement[bool] = EventRow.data["platform"].as_string() == platform.key
    return clause


class SqlReports:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def facts(
        self, start: datetime, end: datetime, now: datetime, platform: Platform | None
    ) -> ReportFacts:
        facts = ReportFacts()
        facts.counts = await self._counts(start, end, platform)
        await self._requirements(facts, start, end, _of_requirements_on(platform))
        await self._incidents(facts, start, end, now, platform)
        facts.handled = await self._handled(start, end, platform)
        facts.inspections = await self._inspections(start, end, platform)
        return facts

    async def _rows(self, query: Any) -> list[Any]:
        return list((await self.session.execute(query)).all())

    async def _counts(
        self, start: datetime, end: datetime, platform: Platform | None
    ) -> dict[str, int]:
        counts: dict[str, int] = {}
        for names, clause in (
            ([t for t in COUNTED if t.startswith("requirement.")], _of_requirements_on(platform)),
            ([t for t in COUNTED if not t.startswith("requirement.")], _on_platform(platform)),
        ):
            query = (
                select(EventRow.type, func.count())
                .where(EventRow.type.in_(names), _in_period(start, end))
                .group_by(EventRow.type)
            )
            if clause is not None:
                query = query.where(clause)
            counts.update({row[0]: int(row[1]) for row in await self._rows(query)})
        return counts

    async def _requirements(
        self,
        facts: ReportFacts,
        start: datetime,
        end: datetime,
        scoped: ColumnElement[bool] | None,
    ) -> None:
        to = EventRow.data["to"].as_string()
        flow_types = ["requirement.submitted", "requirement.approved", "requirement.stage_changed"]
        moving = select(EventRow.type, EventRow.occurred_at, to).where(
            EventRow.type.in_(flow_types), _in_period(start, end)
        )
        moved = await self._rows(moving if scoped is None else moving.where(scoped))
        facts.flows = defaultdict(list)
        for kind, at, target in moved:
            if kind == "requirement.stage_changed":
                if target == "live":
                    facts.live_at.append(at)
            else:
                facts.flows[kind.removeprefix("requirement.")].append(at)
        facts.flows = dict(facts.flows)
        active = select(EventRow.subject_id).where(
            EventRow.type.in_(list(TRANSITIONS)), _in_period(start, end)
        )
        if scoped is not None:
            active = active.where(scoped)
        rows = await self._rows(
            select(EventRow.subject_id, EventRow.type, EventRow.occurred_at, to).where(
                EventRow.type.in_(list(TRANSITIONS)),
                EventRow.subject_id.in_(active.scalar_subquery()),
                EventRow.occurred_at < end,
            )
        )
        facts.transitions = [
            Transition(subject_id, target or TRANSITIONS[kind], at)
            for subject_id, kind, at, target in rows
            if target or TRANSITIONS[kind]
        ]

    async def _incidents(
        self,
        facts: ReportFacts,
        start: datetime,
        end: datetime,
        now: datetime,
        platform: Platform | None,
    ) -> None:
        scoped = _on_platform(platform)
        declared = select(
            EventRow.subject_id, EventRow.occurred_at, EventRow.data["severity"].as_string()
        ).where(EventRow.type == "incident.declared", _in_period(start, end))
        if scoped is not None:
            declared = declared.where(scoped)
        facts.incidents = [
            DeclaredIncident(subject_id, at, severity or "SEV4")
            for subject_id, at, severity in await self._rows(declared)
        ]
        if facts.incidents:
            # Incident ids grow with time, so a period's incidents sit in one id range: two
            # range scans of the covering (type, subject_id, occurred_at) index instead of one
            # probe per incident. Rows outside the set are dropped here.
            wanted = {incident.subject_id for incident in facts.incidents}
            later = await self._rows(
                select(EventRow.subject_id, EventRow.type, EventRow.occurred_at).where(
                    EventRow.type.in_(["incident.acknowledged", "incident.resolved"]),
                    EventRow.subject_id.between(min(wanted), max(wanted)),
                    EventRow.occurred_at >= start,
                )
            )
            for subject_id, kind, at in later:
                if subject_id not in wanted:
                    continue
                target = facts.first_ack if kind == "incident.acknowledged" else facts.first_resolve
                if subject_id not in target or at < target[subject_id]:
                    target[subject_id] = at
        totals = (
            select(EventRow.type, func.count())
            .where(EventRow.type.in_(OPEN_TOTALS), EventRow.occurred_at <= now)
            .group_by(EventRow.type)
        )
        if scoped is not None:
            totals = totals.where(scoped)
        facts.incident_totals = {kind: int(n) for kind, n in await self._rows(totals)}

    async def _handled(
        self, start: datetime, end: datetime, platform: Platform | None
    ) -> list[tuple[datetime, datetime]]:
        """(received, handled) times of moderation items handled in the period."""
        scoped = _on_platform(platform)
        done: list[tuple[str, int, datetime]] = []
        for kind in HANDLED:  # one equality per query keeps SQLite on the (type, time) index
            query = select(EventRow.subject_type, EventRow.subject_id, EventRow.occurred_at).where(
                EventRow.type == kind, _in_period(start, end)
            )
            if scoped is not None:
                query = query.where(scoped)
            done.extend(await self._rows(query))
        if not done:
            return []
        received: dict[tuple[str, int], datetime] = {}
        ids = sorted({subject_id for _, subject_id, _ in done})
        for kind in RECEIVED:
            rows = await self._rows(
                select(EventRow.subject_type, EventRow.subject_id, EventRow.occurred_at).where(
                    EventRow.type == kind, EventRow.subject_id.in_(ids)
                )
            )
            for subject_type, subject_id, at in rows:
                key = (subject_type, subject_id)
                received[key] = min(at, received.get(key, at))
        return [
            (received[(subject_type, subject_id)], at)
            for subject_type, subject_id, at in done
            if (subject_type, subject_id) in received
        ]

    async def _inspections(
        self, start: datetime, end: datetime, platform: Platform | None
    ) -> InspectionCounts:
        def ranged(column: Any) -> Any:
            clause = and_(column >= start, column < end)
            if platform is not None:
                clause = and_(clause, InspectionRunRow.platform_id == platform.id)
            return clause

        opened, late = (
            await self._rows(
                select(func.count(), func.count().filter(InspectionRunRow.late.is_(True))).where(
                    ranged(InspectionRunRow.opened_at)
                )
            )
        )[0]
        done, failed = (
            await self._rows(
                select(
                    func.count(), func.coalesce(func.sum(InspectionRunRow.failed_count), 0)
                ).where(ranged(InspectionRunRow.completed_at))
            )
        )[0]
        missed = await self.session.scalar(
            select(func.count())
            .select_from(InspectionRunRow)
            .where(ranged(InspectionRunRow.missed_at))
        )
        return InspectionCounts(int(opened), int(done), int(missed or 0), int(failed), int(late))

    # -- schedules -----------------------------------------------------------------------------
    async def add_schedule(self, schedule: ReportSchedule) -> ReportSchedule:
        row = ReportScheduleRow()
        _fill(row, schedule)
        self.session.add(row)
        await self.session.flush()
        schedule.id = row.id
        return schedule

    async def get_schedule(self, schedule_id: int) -> ReportSchedule | None:
        row = await self.session.get(ReportScheduleRow, schedule_id)
        return _schedule(row) if row else None

    async def list_schedules(self) -> list[ReportSchedule]:
        rows = await self.session.scalars(select(ReportScheduleRow).order_by(ReportScheduleRow.id))
        return [_schedule(row) for row in rows]

    async def save_schedule(self, schedule: ReportSchedule) -> None:
        row = await self.session.get(ReportScheduleRow, schedule.id)
        assert row is not None
        _fill(row, schedule)

    async def due_schedule_ids(self, now: datetime, limit: int) -> list[int]:
        rows = await self.session.scalars(
            select(ReportScheduleRow.id)
            .where(ReportScheduleRow.active.is_(True), ReportScheduleRow.next_run_at <= now)
            .order_by(ReportScheduleRow.next_run_at)
            .limit(limit)
        )
        return list(rows)

    async def claim_schedule(
        self, schedule_id: int, expected_run_at: datetime, next_run_at: datetime
    ) -> bool:
        result = await self.session.execute(
            update(ReportScheduleRow)
            .where(
                ReportScheduleRow.id == schedule_id,
                ReportScheduleRow.next_run_at == expected_run_at,
                ReportScheduleRow.active.is_(True),
            )
            .values(next_run_at=next_run_at)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _schedule(row: ReportScheduleRow) -> ReportSchedule:
    return ReportSchedule(
        id=row.id,
        kind=ReportKind(row.kind),
        channel_id=row.channel_id,
        cron=row.cron,
        timezone=row.timezone,
        created_by=row.created_by,
        created_at=row.created_at,
        platform_id=row.platform_id,
        language=row.locale,
        active=row.active,
        next_run_at=row.next_run_at,
        last_run_at=row.last_run_at,
    )


def _fill(row: ReportScheduleRow, schedule: ReportSchedule) -> None:
    row.kind, row.channel_id, row.cron = schedule.kind.value, schedule.channel_id, schedule.cron
    row.timezone, row.platform_id, row.active = (
        schedule.timezone,
        schedule.platform_id,
        schedule.active,
    )
    row.next_run_at, row.last_run_at = schedule.next_run_at, schedule.last_run_at
    row.locale = schedule.language
    row.created_by, row.created_at = schedule.created_by, schedule.created_at
