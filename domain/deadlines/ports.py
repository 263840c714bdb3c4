"""What the deadline engine needs beyond the shared unit of work: the named calendars."""

from __future__ import annotations

from typing import Protocol

from domain.deadlines.calendar import BusinessCalendar
from domain.ports import UnitOfWork


class CalendarRepository(Protocol):
    async def get(self, name: str) -> BusinessCalendar | None: ...
    async def list(self) -> list[BusinessCalendar]: ...
    async def save(self, calendar: BusinessCalendar) -> None:
        """Insert or replace the calendar with this name."""
        ...

    async def remove(self, name: str) -> bool: ...


class CalendarsUnitOfWork(UnitOfWork, Protocol):
    @property
    def calendars(self) -> CalendarRepository: ...
