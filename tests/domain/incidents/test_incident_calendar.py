"""Incidents on a platform that follows a business-hours calendar (pure): when a post-incident
review is due and reminded, and when the weekly on-call rotation hands over."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from domain.deadlines.calendar import BusinessCalendar
from domain.incidents.oncall import Rotation, monday_of
from domain.incidents.reviews import review_due_at, review_steps

# Europe/Berlin, Monday–Friday 09:00–18:00, Wednesday 14 January 2026 a holiday.
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


def test_a_working_day_is_the_length_of_the_working_window():
    assert BERLIN.working_day == timedelta(hours=9)
    assert BusinessCalendar("UTC").working_day == timedelta(hours=8)


def test_five_working_days_skip_the_weekend_and_the_holiday():
    # Fri 15:00 → Fri 16 15:00 Berlin without the holiday; the Wednesday off moves it to Monday.
    assert review_due_at(FRIDAY_AFTERNOON, 5, BERLIN) == utc(2026, 1, 19, 14, 0)
    without_holiday = BusinessCalendar("Europe/Berlin", start=time(9), end=time(18))
    assert review_due_at(FRIDAY_AFTERNOON, 5, without_holiday) == utc(2026, 1, 16, 14, 0)
    # Without a calendar: Monday–Friday in UTC, same time of day.
    assert review_due_at(FRIDAY_AFTERNOON, 5, None) == utc(2026, 1, 16, 14, 0)


def test_resolved_at_night_the_count_starts_when_the_office_opens():
    saturday_night = utc(2026, 1, 10, 22, 0)
    # Mon, Tue, (Wed off), Thu, Fri, Mon: due when Monday 19's working window closes.
    assert review_due_at(saturday_night, 5, BERLIN) == utc(2026, 1, 19, 17, 0)
    assert review_due_at(saturday_night, 1, BERLIN) == utc(2026, 1, 12, 17, 0)


def test_review_reminders_are_a_working_day_apart_with_a_calendar():
    steps = review_steps(BERLIN.working_day)
    assert [s.offset for s in steps] == [
        timedelta(hours=-9),
        timedelta(0),
        timedelta(hours=9),
        timedelta(hours=27),
    ]
    assert [s.action for s in steps] == ["remind", "due", "overdue", "escalate"]
    plain = review_steps(timedelta(days=1))
    assert [s.offset for s in plain] == [timedelta(days=d) for d in (-1, 0, 1, 3)]


def test_rotation_hands_over_at_monday_midnight_in_the_calendar_timezone():
    t0 = utc(2026, 1, 7, 12, 0)  # a Wednesday
    anchor = monday_of(t0, "Europe/Berlin")
    assert anchor == utc(2026, 1, 4, 23, 0)  # Monday 5 January 00:00 in Berlin (CET)
    rotation = Rotation(1, ["UA", "UB"], anchor, "UADMIN", t0, "Europe/Berlin")
    upcoming, handover = rotation.next_after(t0)
    assert (upcoming, handover) == ("UB", utc(2026, 1, 11, 23, 0))
    assert rotation.on_call_at(utc(2026, 1, 11, 22, 59)) == "UA"
    assert rotation.on_call_at(utc(2026, 1, 11, 23, 0)) == "UB"
    # The same rotation counted in UTC would still have UA on call until Monday 00:00 UTC.
    assert Rotation(1, ["UA", "UB"], anchor, "UADMIN", t0).on_call_at(utc(2026, 1, 11, 23)) == "UA"


def test_handover_stays_at_local_midnight_across_a_dst_change():
    # Berlin switches to summer time on Sunday 29 March 2026: the Monday after starts at 22:00 UTC.
    t0 = utc(2026, 3, 25, 12, 0)
    rotation = Rotation(1, ["UA", "UB"], monday_of(t0, "Europe/Berlin"), "U", t0, "Europe/Berlin")
    assert rotation.next_after(t0) == ("UB", utc(2026, 3, 29, 22, 0))
    assert rotation.on_call_at(utc(2026, 3, 29, 21, 59)) == "UA"
    assert rotation.on_call_at(utc(2026, 4, 5, 22, 0)) == "UA"  # two weeks on


def test_a_rotation_set_in_utc_keeps_its_weeks_when_the_platform_gets_a_calendar():
    t0 = utc(2026, 1, 5, 9, 0)  # Monday
    utc_anchor = monday_of(t0)
    for timezone in ("America/Los_Angeles", "Asia/Shanghai", "Pacific/Kiritimati"):
        rotation = Rotation(1, ["UA", "UB", "UC"], utc_anchor, "U", t0, timezone)
        assert rotation.on_call_at(t0 + timedelta(days=2)) == "UA", timezone
        assert rotation.on_call_at(t0 + timedelta(days=9)) == "UB", timezone
