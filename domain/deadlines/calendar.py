"""Business-hours calendars: working days and hours, holidays, a timezone (SPEC §7a).

A department or platform may follow one, so "remind after 8 hours" means 8 working hours, not
a night and a weekend. All arithmetic is done on absolute (UTC) instants; the calendar's local
time is only used to find where each working window opens and closes, so DST days simply have
a window of a different absolute length.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import FieldErrors, ValidationFailed

# Two years without a single working day is a misconfiguration, not a long holiday.
_SEARCH_DAYS = 366 * 2
MONDAY_TO_FRIDAY = frozenset({0, 1, 2, 3, 4})


class NoBusinessDays(ValueError):
    """The calendar has no working window within two years of the given time."""


@dataclass(frozen=True)
class BusinessCalendar:
    timezone: str
    workdays: frozenset[int] = MONDAY_TO_FRIDAY  # 0 = Monday … 6 = Sunday
    start: time = time(9, 0)
    end: time = time(17, 0)
    holidays: frozenset[date] = frozenset()
    name: str = ""
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        errors = FieldErrors()
        try:
            object.__setattr__(self, "_zone", ZoneInfo(self.timezone))
        except (ZoneInfoNotFoundError, ValueError):
            errors.add("timezone", "errors.calendar.timezone", timezone=self.timezone)
        if not self.workdays or not self.workdays <= frozenset(range(7)):
            errors.add("workdays", "errors.calendar.workdays")
        if self.start >= self.end:
            errors.add(
                "hours", "errors.calendar.hours", start=_hhmm(self.start), end=_hhmm(self.end)
            )
        errors.raise_if_any()

    # -- questions -----------------------------------------------------------------------------
    @property
    def working_day(self) -> timedelta:
        """The length of one working window: what "N working days" of working time add up to."""
        return datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() in self.workdays and day not in self.holidays

    def is_business_time(self, moment: datetime) -> bool:
        local = moment.astimezone(self._zone)
        if not self.is_business_day(local.date()):
            return False
        opens, closes = self._window(local.date())
        return opens <= moment < closes

    # -- arithmetic ----------------------------------------------------------------------------
    def next_business_moment(self, moment: datetime) -> datetime:
        """`moment` itself during working hours, else when the next working window opens."""
        first_day = moment.astimezone(self._zone).date()
        for day in self._days_from(first_day, step=1):
            opens, closes = self._window(day)
            if moment < closes:
                return max(opens, moment).astimezone(UTC)
        raise NoBusinessDays(self.name or self.timezone)

    def next_day_opening(self, moment: datetime) -> datetime:
        """When the first working window of a later local day opens ("tomorrow morning")."""
        tomorrow = moment.astimezone(self._zone).date() + timedelta(days=1)
        for day in self._days_from(tomorrow, step=1):
            return self._window(day)[0].astimezone(UTC)
        raise NoBusinessDays(self.name or self.timezone)

    def add_business_time(self, start: datetime, delta: timedelta) -> datetime:
        """The instant `delta` of working time after `start` (before it when negative)."""
        if delta < timedelta(0):
            return self._subtract(start, -delta)
        current, remaining = self.next_business_moment(start), delta
        while True:
            closes = self._window(current.astimezone(self._zone).date())[1]
            available = closes - current
            if remaining <= available:
                return (current + remaining).astimezone(UTC)
            remaining -= available
            current = self.next_business_moment(closes)

    def _subtract(self, end: datetime, delta: timedelta) -> datetime:
        current, remaining = self._previous_business_moment(end), delta
        while True:
            opens = self._window(current.astimezone(self._zone).date())[0]
            available = current - opens
            if remaining <= available:
                return (current - remaining).astimezone(UTC)
            remaining -= available
            current = self._previous_business_moment(opens)

    def _previous_business_moment(self, moment: datetime) -> datetime:
        """`moment` itself when inside (open, close], else the close of the last window before."""
        last_day = moment.astimezone(self._zone).date()
        for day in self._days_from(last_day, step=-1):
            opens, closes = self._window(day)
            if moment > opens:
                return min(closes, moment).astimezone(UTC)
        raise NoBusinessDays(self.name or self.timezone)

    # -- windows -------------------------------------------------------------------------------
    def _days_from(self, first: date, step: int) -> Iterator[date]:
        for offset in range(_SEARCH_DAYS):
            day = first + timedelta(days=step * offset)
            if self.is_business_day(day):
                yield day

    def _window(self, day: date) -> tuple[datetime, datetime]:
        # zoneinfo resolves wall times in a DST gap or overlap (fold=0); compare as instants.
        opens = datetime.combine(day, self.start, tzinfo=self._zone)
        closes = datetime.combine(day, self.end, tzinfo=self._zone)
        return opens.astimezone(UTC), closes.astimezone(UTC)


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def parse_hhmm(field_name: str, value: str) -> time:
    """`"09:00"` → time(9, 0); raises ValidationFailed naming the field otherwise."""
    try:
        hours, minutes = (int(part) for part in value.split(":"))
        return time(hours, minutes)
    except ValueError:
        raise ValidationFailed.single(field_name, "errors.calendar.time", value=value) from None
