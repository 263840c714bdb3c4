"""Schedules: friendly presets, cron validation, ticks in the schedule's timezone across DST."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.errors import ValidationFailed
from domain.inspections.schedule import Schedule, check_timezone, parse_cron


@pytest.mark.parametrize(
    ("text", "cron"),
    [
        ("every weekday 09:00", "0 9 * * 1-5"),
        ("weekdays", "0 9 * * 1-5"),
        ("every day at 18:30", "30 18 * * *"),
        ("Monday 8:05", "5 8 * * 1"),
        ("monthly 07:00", "0 7 1 * *"),
        ("every hour", "0 * * * *"),
        ("*/15 * * * *", "*/15 * * * *"),
    ],
)
def test_presets_and_cron(text: str, cron: str) -> None:
    assert parse_cron("cron", text) == cron


@pytest.mark.parametrize(
    "text", ["", "every blue moon", "61 * * * *", "* * * * * *", "daily 25:00"]
)
def test_bad_schedules_name_the_field(text: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        parse_cron("cron", text)
    assert set(error.value.fields) == {"cron"}


def test_unknown_timezone() -> None:
    assert check_timezone("tz", " Asia/Shanghai ") == "Asia/Shanghai"
    with pytest.raises(ValidationFailed):
        check_timezone("tz", "Mars/Olympus")


def test_nine_oclock_stays_nine_oclock_across_daylight_saving() -> None:
    schedule = Schedule("0 9 * * *", "Europe/Berlin")
    before = schedule.next_after(datetime(2026, 3, 28, 12, 0, tzinfo=UTC))
    after = schedule.next_after(before)
    assert before == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)  # CEST, UTC+2
    assert schedule.next_after(datetime(2026, 3, 27, 12, tzinfo=UTC)) == datetime(
        2026, 3, 28, 8, 0, tzinfo=UTC
    )  # CET, UTC+1
    assert after == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)


def test_latest_tick_includes_an_exact_tick() -> None:
    schedule = Schedule("0 * * * *", "UTC")
    tick = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    assert schedule.latest_at_or_before(tick) == tick
    assert schedule.latest_at_or_before(tick.replace(minute=59)) == tick
