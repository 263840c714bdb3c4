"""A platform that follows a business-hours calendar: post-incident reviews are due (and reminded)
in its working days, and the on-call rotation hands over at Monday midnight in its timezone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from commands.blocks import slack_date
from domain.access import Actor
from domain.deadlines.calendar import BusinessCalendar
from domain.deadlines.calendar_services import define_calendar
from domain.org.services import configure_platform
from scheduler.jobs import sweep_deadlines
from tests.commands.incidents.conftest import (
    WEBOPS,
    assert_all_valid,
    card,
    declare,
    events,
    last_ephemeral,
)
from tests.support.harness import Harness

# Berlin office hours, Monday–Friday 09:00–18:00; Wednesday 14 January 2026 is a holiday.
BERLIN = BusinessCalendar(
    "Europe/Berlin",
    start=time(9),
    end=time(18),
    holidays=frozenset({date(2026, 1, 14)}),
    name="berlin",
)
FRIDAY_AFTERNOON = datetime(2026, 1, 9, 14, 0, tzinfo=UTC)  # 15:00 in Berlin


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def follow_berlin_hours(h: Harness) -> None:
    system = Actor.system("test")
    async with h.container.uow() as uow:
        await define_calendar(uow, system, BERLIN)
        await configure_platform(uow, system, "web", calendar="berlin")
        await uow.commit()


async def sweep_at(h: Harness, moment: datetime) -> int:
    h.clock.set(moment)
    fired = await sweep_deadlines(h.container)
    await h.settle()
    return fired


def reminders(h: Harness, user_id: str) -> list[str]:
    return [m.all_text for m in h.fake.dms_to(user_id) if "post-incident review" in m.all_text]


async def test_a_friday_afternoon_review_is_due_five_berlin_working_days_later(seeded_any: Harness):
    h = seeded_any
    await follow_berlin_hours(h)
    h.clock.set(FRIDAY_AFTERNOON)
    await declare(h, severity="SEV2")
    await h.command("UOLIVIA", "/incident", "resolve INC-1 Rolled back the release")

    # Fri 15:00 + 5 working days: Mon, Tue, (Wed off), Thu, Fri, Mon → Monday 19th 15:00 Berlin.
    due = utc(2026, 1, 19, 14, 0)
    resolved = next(e for e in await events(h) if e.type == "incident.resolved")
    assert resolved.data["review_due_at"] == due.isoformat()
    assert slack_date(due) in card(h).all_text and "owed by <@UOLIVIA>" in card(h).all_text

    # The reminders count working days too: the day before is Friday 16th, not Sunday.
    assert await sweep_at(h, utc(2026, 1, 16, 13, 59)) == 0
    assert await sweep_at(h, utc(2026, 1, 16, 14, 0)) == 1
    assert len(reminders(h, "UOLIVIA")) == 1 and "is due" in reminders(h, "UOLIVIA")[0]
    assert await sweep_at(h, utc(2026, 1, 18, 12, 0)) == 0  # the weekend: nothing
    assert await sweep_at(h, due) == 1
    assert "is due now" in reminders(h, "UOLIVIA")[-1]
    # Overdue one working day later (Tuesday), escalated three (Thursday), not on calendar days.
    assert await sweep_at(h, utc(2026, 1, 20, 13, 59)) == 0
    assert await sweep_at(h, utc(2026, 1, 20, 14, 0)) == 1
    assert "overdue" in h.fake.messages_in(WEBOPS)[-1].all_text
    assert await sweep_at(h, utc(2026, 1, 22, 13, 59)) == 0
    assert await sweep_at(h, utc(2026, 1, 22, 14, 0)) == 1
    assert "Admins, please follow up" in reminders(h, "UALICE")[-1]
    assert len(reminders(h, "UOLIVIA")) == 4
    assert_all_valid(h)


async def test_without_a_calendar_the_review_counts_monday_to_friday_in_utc(seeded: Harness):
    h = seeded
    h.clock.set(FRIDAY_AFTERNOON)
    await declare(h, severity="SEV1")
    await h.command("UOSCAR", "/incident", "resolve INC-1 Fixed")
    resolved = next(e for e in await events(h) if e.type == "incident.resolved")
    assert resolved.data["review_due_at"] == utc(2026, 1, 16, 14, 0).isoformat()


async def test_the_rotation_hands_over_at_monday_midnight_in_berlin(seeded_any: Harness):
    h = seeded_any
    await follow_berlin_hours(h)
    await h.command("UOSCAR", "/incident", "oncall set web <@UOSCAR|oscar> <@UOLIVIA>")
    assert "handover Mondays 00:00 Europe/Berlin" in last_ephemeral(h, "UOSCAR")
    await h.command("UOSCAR", "/incident", "oncall web")
    # Monday 12 January 00:00 in Berlin is Sunday 23:00 UTC.
    assert slack_date(utc(2026, 1, 11, 23, 0)) in last_ephemeral(h, "UOSCAR")
    assert "<@UOSCAR> is on call now" in last_ephemeral(h, "UOSCAR")

    h.clock.set(utc(2026, 1, 11, 22, 59))
    await h.command("UOSCAR", "/incident", "oncall web")
    assert "<@UOSCAR> is on call now" in last_ephemeral(h, "UOSCAR")
    h.clock.set(utc(2026, 1, 11, 23, 30))  # Monday 00:30 in Berlin, still Sunday in UTC
    await h.command("UOSCAR", "/incident", "oncall web")
    assert "<@UOLIVIA> is on call now" in last_ephemeral(h, "UOSCAR")
    await declare(h, severity="SEV3")
    assert "<@UOLIVIA>" in card(h).text  # the new week's on-call is mentioned on the card
    declared = next(e for e in await events(h) if e.type == "incident.declared")
    assert declared.data["on_call"] == "UOLIVIA"
    await h.sim.open_home("UOLIVIA")
    await h.settle()
    assert "INC-1" in str(h.fake.home_views["UOLIVIA"].view)
