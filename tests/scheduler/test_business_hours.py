"""Deadlines that follow a business-hours calendar, stored and swept on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from domain.access import Actor
from domain.deadlines.calendar import BusinessCalendar
from domain.deadlines.calendar_services import define_calendar
from domain.deadlines.models import Step
from domain.deadlines.services import open_deadline, snooze_deadline
from domain.events import Subject
from scheduler import jobs
from tests.scheduler.conftest import Recorder
from tests.support.harness import Harness

OFFICE = BusinessCalendar("Europe/Berlin", holidays=frozenset({date(2026, 1, 12)}), name="office")
FRIDAY_5PM_BERLIN = datetime(2026, 1, 9, 16, 0, tzinfo=UTC)


async def store_office(h: Harness) -> None:
    async with h.container.uow() as uow:
        assert await define_calendar(uow, Actor.system("test"), OFFICE)
        assert not await define_calendar(uow, Actor.system("test"), OFFICE)  # already so
        await uow.commit()


async def test_calendars_round_trip(any_harness: Harness):
    await store_office(any_harness)
    async with any_harness.container.reader() as uow:
        assert await uow.calendars.get("office") == OFFICE
        assert [c.name for c in await uow.calendars.list()] == ["office"]


async def test_steps_count_working_hours_and_skip_weekends_and_holidays(
    any_harness: Harness, recorder: Recorder
):
    h = any_harness
    await store_office(h)
    h.clock.set(FRIDAY_5PM_BERLIN)
    steps = [Step(timedelta(0), "remind"), Step(timedelta(hours=4), "escalate", 1)]
    async with h.container.uow() as uow:
        due = OFFICE.add_business_time(uow.now(), timedelta(hours=2))
        deadline = await open_deadline(
            uow, "test.kind", Subject("thing", 1), due, steps, "UBOB", calendar=OFFICE
        )
        await uow.commit()
    # Monday 12 January is a holiday: due Tuesday 11:00 Berlin, escalation at 15:00.
    assert due == datetime(2026, 1, 13, 10, 0, tzinfo=UTC)
    assert deadline.calendar == "office"

    h.clock.set(datetime(2026, 1, 12, 12, 0, tzinfo=UTC))
    assert await jobs.sweep_deadlines(h.container) == 0
    h.clock.set(due)
    assert await jobs.sweep_deadlines(h.container) == 1
    h.clock.set(datetime(2026, 1, 13, 13, 59, tzinfo=UTC))
    assert await jobs.sweep_deadlines(h.container) == 0
    h.clock.set(datetime(2026, 1, 13, 14, 0, tzinfo=UTC))
    assert await jobs.sweep_deadlines(h.container) == 1
    assert [action for _, action in recorder.fired] == ["remind", "escalate"]


async def test_snoozing_until_tomorrow_means_the_next_working_morning(any_harness: Harness):
    h = any_harness
    await store_office(h)
    h.clock.set(datetime(2026, 1, 9, 10, 0, tzinfo=UTC))  # Friday
    async with h.container.uow() as uow:
        deadline = await open_deadline(
            uow,
            "test.kind",
            Subject("thing", 1),
            uow.now(),
            [Step(timedelta(0), "remind")],
            "UBOB",
            calendar=OFFICE,
        )
        assert deadline.id is not None
        snoozed = await snooze_deadline(uow, await uow.actor_for("UBOB"), deadline.id, "tomorrow")
        await uow.commit()
    # Monday is a holiday in this calendar: Tuesday 09:00 in Berlin.
    assert snoozed.snoozed_until == datetime(2026, 1, 13, 8, 0, tzinfo=UTC)
