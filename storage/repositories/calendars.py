"""Calendars: rows ↔ domain BusinessCalendar."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.deadlines.calendar import BusinessCalendar, parse_hhmm
from domain.ports import Clock
from storage.models.calendars import CalendarRow


def _calendar(row: CalendarRow) -> BusinessCalendar:
    return BusinessCalendar(
        timezone=row.timezone,
        workdays=frozenset(int(day) for day in row.workdays),
        start=parse_hhmm("start", row.start),
        end=parse_hhmm("end", row.end),
        holidays=frozenset(date.fromisoformat(day) for day in row.holidays),
        name=row.name,
    )


class SqlCalendars:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def get(self, name: str) -> BusinessCalendar | None:
        row = await self.session.get(CalendarRow, name)
        return _calendar(row) if row else None

    async def list(self) -> list[BusinessCalendar]:
        rows = await self.session.scalars(select(CalendarRow).order_by(CalendarRow.name))
        return [_calendar(row) for row in rows]

    async def save(self, calendar: BusinessCalendar) -> None:
        row = await self.session.get(CalendarRow, calendar.name)
        if row is None:
            row = CalendarRow(name=calendar.name)
            self.session.add(row)
        row.timezone = calendar.timezone
        row.workdays = sorted(calendar.workdays)
        row.start, row.end = calendar.start.strftime("%H:%M"), calendar.end.strftime("%H:%M")
        row.holidays = [day.isoformat() for day in sorted(calendar.holidays)]
        row.updated_at = self.clock.now()
        await self.session.flush()

    async def remove(self, name: str) -> bool:
        result = await self.session.execute(delete(CalendarRow).where(CalendarRow.name == name))
        return bool(result.rowcount)  # type: ignore[attr-defined]
