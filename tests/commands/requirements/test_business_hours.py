"""A department that follows a business-hours calendar counts reminders in working time."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.access import Actor
from domain.deadlines.calendar import BusinessCalendar
from domain.deadlines.calendar_services import define_calendar
from domain.org.services import configure_department
from scheduler.jobs import sweep_deadlines

OFFICE = BusinessCalendar("Europe/Berlin", name="office")  # Mon–Fri 09:00–17:00
FRIDAY_EVENING = datetime(2026, 1, 9, 17, 30, tzinfo=UTC)  # 18:30 in Berlin


async def follow_office_hours(h, remind: int, escalate: int) -> None:
    system = Actor.system("test")
    async with h.container.uow() as uow:
        await define_calendar(uow, system, OFFICE)
        await configure_department(
            uow,
            system,
            "marketing",
            calendar="office",
            remind_after_hours=remind,
            escalate_after_hours=escalate,
        )
        await uow.commit()


async def test_a_friday_evening_request_is_reminded_on_monday_in_working_hours(req):
    h = req.h
    await follow_office_hours(h, remind=4, escalate=8)
    h.clock.set(FRIDAY_EVENING)
    await req.submit()

    def reminders(user: str) -> list[str]:
        return [m.all_text for m in h.fake.dms_to(user) if "Reminder" in m.all_text]

    async def sweep_at(moment: datetime) -> int:
        h.clock.set(moment)
        fired = await sweep_deadlines(h.container)
        await h.settle()
        return fired

    # Four wall-clock hours later it is Friday night: nothing is owed yet, nor at the weekend.
    assert await sweep_at(datetime(2026, 1, 9, 21, 30, tzinfo=UTC)) == 0
    assert await sweep_at(datetime(2026, 1, 11, 20, 0, tzinfo=UTC)) == 0
    # Monday 09:00 Berlin + 4 working hours = 13:00 Berlin (12:00 UTC).
    assert await sweep_at(datetime(2026, 1, 12, 11, 59, tzinfo=UTC)) == 0
    assert reminders("UCAROL") == []
    assert await sweep_at(datetime(2026, 1, 12, 12, 0, tzinfo=UTC)) == 2
    assert len(reminders("UCAROL")) == 1 and len(reminders("UDAVE")) == 1
    # Escalation 4 more working hours later: 17:00 Berlin, still Monday.
    assert await sweep_at(datetime(2026, 1, 12, 15, 59, tzinfo=UTC)) == 0
    assert await sweep_at(datetime(2026, 1, 12, 16, 0, tzinfo=UTC)) == 2
    escalations = [m for m in h.fake.dms_to("UALICE") if "Escalation" in m.all_text]
    assert len(escalations) == 2
    req.assert_valid_block_kit()


async def test_without_a_calendar_the_clock_runs_through_the_weekend(req):
    h = req.h
    h.clock.set(FRIDAY_EVENING)
    await req.submit()
    h.clock.set(datetime(2026, 1, 10, 17, 30, tzinfo=UTC))  # Saturday, 24 h later
    assert await sweep_deadlines(h.container) == 2
