"""Schedules as cron expressions in a timezone, with friendly presets ("weekdays 09:00").

Shared by inspection plans and report schedules. Ticks are computed in the schedule's own
timezone (so "09:00" stays 09:00 across daylight-saving changes) and returned in UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from domain.errors import ValidationFailed

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_DAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 0}
# Preset name → cron with {minute}/{hour} placeholders; also the modal's preset choices.
PRESETS: dict[str, str] = {
    "weekdays": "{minute} {hour} * * 1-5",
    "daily": "{minute} {hour} * * *",
    "weekly": "{minute} {hour} * * 1",
    "monthly": "{minute} {hour} 1 * *",
    "hourly": "0 * * * *",
}
DEFAULT_TIME = "09:00"
# "every weekday 09:00", "every day 18:00" read as the presets.
_SYNONYMS = {"weekday": "weekdays", "day": "daily", "hour": "hourly", "week": "weekly"}
_SYNONYMS |= {"month": "monthly", "at": ""}


@dataclass(frozen=True)
class Schedule:
    cron: str
    timezone: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def next_after(self, moment: datetime) -> datetime:
        """The first tick strictly after `moment`, in UTC."""
        local = moment.astimezone(self.zone)
        tick: datetime = croniter(self.cron, local).get_next(datetime)
        return tick.astimezone(UTC)

    def latest_at_or_before(self, moment: datetime) -> datetime:
        """The last tick at or before `moment` (a tick exactly at `moment` counts), in UTC."""
        local = moment.astimezone(self.zone)
        # croniter's get_prev is strict: a tick exactly at `moment` is found as the next one.
        tick: datetime = croniter(self.cron, local).get_prev(datetime)
        following: datetime = croniter(self.cron, tick).get_next(datetime)
        if following <= local:
            tick = following
        return tick.astimezone(UTC)


def check_timezone(field: str, value: str) -> str:
    name = value.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed.single(field, "errors.schedule.timezone", timezone=value) from None
    if not name:
        raise ValidationFailed.single(field, "errors.schedule.timezone", timezone=value)
    return name


def parse_cron(field: str, text: str) -> str:
    """A 5-field cron expression or a friendly form: `weekdays 09:00`, `daily 8:30`,
    `mon 09:00` (one weekday), `weekly`, `monthly 07:00`, `hourly`."""
    words = [_SYNONYMS.get(w, w) for w in text.strip().lower().split()]
    if words[:1] == ["every"]:
        words = words[1:]
    if not words:
        raise ValidationFailed.single(field, "errors.schedule.empty")
    friendly = _friendly(words)
    cron = friendly or " ".join(words)
    if len(cron.split()) != 5 or not croniter.is_valid(cron):
        raise ValidationFailed.single(field, "errors.schedule.cron", cron=text.strip())
    return cron


def _friendly(words: list[str]) -> str | None:
    name, rest = words[0], words[1:]
    rest = [word for word in rest if word]
    if len(rest) > 1:
        return None
    at = rest[0] if rest else DEFAULT_TIME
    match = _TIME.match(at)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if name in PRESETS:
        return PRESETS[name].format(minute=minute, hour=hour)
    if name[:3] in _DAYS and name in (name[:3], _full_day(name[:3])):
        return f"{minute} {hour} * * {_DAYS[name[:3]]}"
    return None


def _full_day(short: str) -> str:
    return {
        "mon": "monday",
        "tue": "tuesday",
        "wed": "wednesday",
        "thu": "thursday",
        "fri": "friday",
        "sat": "saturday",
        "sun": "sunday",
    }[short]


def preset_cron(preset: str, at: str = DEFAULT_TIME) -> str:
    return parse_cron("schedule", f"{preset} {at}" if preset != "hourly" else preset)
