"""Opening inspection runs on time, after an outage, and from two workers at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from domain.access import Actor
from domain.inspections.models import RunState
from domain.inspections.services import PlanDraft, create_plan
from scheduler.inspections import open_due_inspections
from storage.models.inspections import InspectionRunRow
from tests.support.harness import Harness

MONDAY_0800 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)  # 09:00 in Berlin


@pytest.fixture
async def seeded(any_harness: Harness) -> Harness:
    """The demo organisation, on SQLite and on PostgreSQL (where two workers truly race)."""
    await any_harness.seed_org()
    return any_harness


async def make_plan(h: Harness, schedule: str = "weekdays 09:00", **kw: object) -> int:
    draft = PlanDraft(
        name=str(kw.pop("name", "Web health")),
        platform="web",
        checklist=["Dashboards green", "Backups fresh", "Certificates valid"],
        schedule=schedule,
        timezone="Europe/Berlin",
        grace_minutes=int(kw.pop("grace_minutes", 60)),  # type: ignore[call-overload]
        **kw,  # type: ignore[arg-type]
    )
    async with h.container.uow() as uow:
        plan = await create_plan(uow, Actor.system("test"), draft)
        await uow.commit()
    assert plan.id is not None
    return plan.id


async def runs(h: Harness) -> list[InspectionRunRow]:
    async with h.container.database.read_session() as session:
        return list(
            (await session.scalars(select(InspectionRunRow).order_by(InspectionRunRow.id))).all()
        )


async def test_a_run_opens_at_the_due_time_and_only_once(seeded: Harness) -> None:
    seeded.clock.set(MONDAY_0800 - timedelta(hours=1))
    await make_plan(seeded)
    assert await open_due_inspections(seeded.container) == 0
    seeded.clock.set(MONDAY_0800 + timedelta(seconds=20))
    assert await open_due_inspections(seeded.container) == 1
    assert await open_due_inspections(seeded.container) == 0
    [run] = await runs(seeded)
    assert run.scheduled_for == MONDAY_0800
    assert run.number == 1 and run.state == RunState.OPEN.value and not run.late
    assert run.due_at == MONDAY_0800 + timedelta(seconds=20) + timedelta(hours=1)


async def test_after_an_outage_exactly_one_late_run_opens(seeded: Harness) -> None:
    seeded.clock.set(MONDAY_0800 - timedelta(hours=1))
    await make_plan(seeded, "hourly")
    # Down from 07:00 to 12:30 UTC: the 07:00 … 12:00 ticks were all missed.
    seeded.clock.set(MONDAY_0800 + timedelta(hours=4, minutes=30))
    assert await open_due_inspections(seeded.container) == 1
    assert await open_due_inspections(seeded.container) == 0
    [run] = await runs(seeded)
    assert run.late
    assert run.scheduled_for == MONDAY_0800 + timedelta(hours=4)
    await seeded.settle()
    [reminder] = [m for m in seeded.fake.messages_in("CWEBOPS") if "RUN-1" in m.all_text]
    assert "Opened late" in reminder.all_text
    # The schedule resumes normally afterwards.
    seeded.clock.advance(minutes=30)
    assert await open_due_inspections(seeded.container) == 1
    assert not (await runs(seeded))[-1].late


async def test_two_workers_at_once_open_each_run_once(seeded: Harness) -> None:
    seeded.clock.set(MONDAY_0800 - timedelta(hours=1))
    for index in range(5):
        await make_plan(seeded, name=f"Plan {index}")
    seeded.clock.set(MONDAY_0800 + timedelta(seconds=5))
    opened = await asyncio.gather(
        open_due_inspections(seeded.container), open_due_inspections(seeded.container)
    )
    assert sum(opened) == 5
    async with seeded.container.database.read_session() as session:
        count = await session.scalar(select(func.count()).select_from(InspectionRunRow))
    assert count == 5
