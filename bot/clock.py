"""Clocks: the real one, and a controllable one for tests and the sandbox's time travel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """Starts at a given instant and moves only when told (tests advance it past deadlines)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta | None = None, **units: float) -> datetime:
        self._now += delta or timedelta(**units)
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment
