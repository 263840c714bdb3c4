"""Business-hours arithmetic: weekends, holidays, DST in Europe/Berlin, crossing days."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.deadlines.calendar import BusinessCalendar, parse_hhmm
from domain.errors import ValidationFailed

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = BusinessCalendar("Europe/Berlin", name="office")


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def test_a_moment_inside_working_hours_is_its_own_next_business_moment():
    monday_10 = berlin(2026, 1, 5, 10, 0)
    assert OFFICE.next_business_moment(monday_10) == utc(monday_10)
    assert OFFICE.is_business_time(monday_10)


def test_before_opening_waits_for_the_same_morning():
    assert OFFICE.next_business_moment(berlin(2026, 1, 5, 7, 30)) == utc(berlin(2026, 1, 5, 9))


def test_friday_evening_and_the_weekend_move_to_monday_morning():
    monday_9 = utc(berlin(2026, 1, 12, 9))
    assert OFFICE.next_business_moment(berlin(2026, 1, 9, 17, 0)) == monday_9  # close is exclusive
    assert OFFICE.next_business_moment(berlin(2026, 1, 10, 12)) == monday_9
    assert not OFFICE.is_business_time(berlin(2026, 1, 11, 12))


def test_holidays_are_skipped():
    calendar = BusinessCalendar("Europe/Berlin", holidays=frozenset({date(2026, 1, 12)}))
    assert calendar.next_business_moment(berlin(2026, 1, 10, 12)) == utc(berlin(2026, 1, 13, 9))


def test_adding_time_within_one_day():
    assert OFFICE.add_business_time(berlin(2026, 1, 5, 10), timedelta(hours=3)) == utc(
        berlin(2026, 1, 5, 13)
    )


def test_adding_exactly_the_rest_of_the_day_ends_at_closing_time():
    assert OFFICE.add_business_time(berlin(2026, 1, 5, 9), timedelta(hours=8)) == utc(
        berlin(2026, 1, 5, 17)
    )


def test_adding_time_crosses_nights_and_weekends():
    # Friday 15:00 + 4 working hours = 2 on Friday + 2 on Monday.
    assert OFFICE.add_business_time(berlin(2026, 1, 9, 15), timedelta(hours=4)) == utc(
        berlin(2026, 1, 12, 11)
    )
    # Monday 10:00 + 16 working hours = Wednesday 10:00.
    assert OFFICE.add_business_time(berlin(2026, 1, 5, 10), timedelta(hours=16)) == utc(
        berlin(2026, 1, 7, 10)
    )


def test_adding_time_from_outside_hours_starts_at_the_next_opening():
    assert OFFICE.add_business_time(berlin(2026, 1, 3, 23), timedelta(minutes=30)) == utc(
        berlin(2026, 1, 5, 9, 30)
    )


def test_adding_across_a_holiday():
    calendar = BusinessCalendar("Europe/Berlin", holidays=frozenset({date(2026, 1, 6)}))
    assert calendar.add_business_time(berlin(2026, 1, 5, 16), timedelta(hours=2)) == utc(
        berlin(2026, 1, 7, 10)
    )


def test_local_office_hours_hold_across_the_spring_dst_change():
    # Clocks go forward on Sunday 29 March 2026: Friday is UTC+1, Monday is UTC+2.
    friday_16 = berlin(2026, 3, 27, 16)
    result = OFFICE.add_business_time(friday_16, timedelta(hours=2))
    assert result == utc(berlin(2026, 3, 30, 10))
    assert result == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)


def test_local_office_hours_hold_across_the_autumn_dst_change():
    # Clocks go back on Sunday 25 October 2026: Friday is UTC+2, Monday is UTC+1.
    result = OFFICE.add_business_time(berlin(2026, 10, 23, 16), timedelta(hours=2))
    assert result == datetime(2026, 10, 26, 9, 0, tzinfo=UTC)


def test_a_window_that_spans_the_dst_gap_is_shorter_in_absolute_time():
    # Every day 01:00–05:00; on 29 March 02:00–03:00 does not exist, so the window lasts 3 hours.
    night = BusinessCalendar("Europe/Berlin", frozenset(range(7)), time(1), time(5))
    result = night.add_business_time(berlin(2026, 3, 29, 1), timedelta(hours=4))
    assert result == utc(berlin(2026, 3, 30, 2))  # 3 h on Sunday, the 4th hour on Monday


def test_subtracting_time_walks_back_over_the_weekend():
    assert OFFICE.add_business_time(berlin(2026, 1, 12, 10), timedelta(hours=-2)) == utc(
        berlin(2026, 1, 9, 16)
    )
    assert OFFICE.add_business_time(berlin(2026, 1, 12, 8), timedelta(hours=-1)) == utc(
        berlin(2026, 1, 9, 16)
    )


def test_next_day_opening_is_the_next_working_morning():
    assert OFFICE.next_day_opening(berlin(2026, 1, 9, 10)) == utc(berlin(2026, 1, 12, 9))
    assert OFFICE.next_day_opening(berlin(2026, 1, 5, 2)) == utc(berlin(2026, 1, 6, 9))


def test_other_timezones_and_workweeks():
    # A Sunday–Thursday week in Asia/Dubai (UTC+4), 08:00–16:00.
    dubai = BusinessCalendar("Asia/Dubai", frozenset({6, 0, 1, 2, 3}), time(8), time(16))
    thursday_15 = datetime(2026, 1, 8, 11, 0, tzinfo=UTC)  # 15:00 local
    assert dubai.add_business_time(thursday_15, timedelta(hours=2)) == datetime(
        2026, 1, 11, 5, 0, tzinfo=UTC
    )  # Sunday 09:00 local


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "UTC", "workdays": frozenset()}, "workdays"),
        ({"timezone": "UTC", "workdays": frozenset({7})}, "workdays"),
        ({"timezone": "UTC", "start": time(17), "end": time(9)}, "hours"),
    ],
)
def test_invalid_calendars_name_the_bad_field(kwargs, field):
    with pytest.raises(ValidationFailed) as caught:
        BusinessCalendar(**kwargs)
    assert field in caught.value.fields


def test_parse_hhmm():
    assert parse_hhmm("start", "08:30") == time(8, 30)
    with pytest.raises(ValidationFailed) as caught:
        parse_hhmm("start", "8h")
    assert "start" in caught.value.fields
