"""Defining the business-hours calendars that departments' and platforms' deadlines follow."""

from __future__ import annotations

from domain.access import Actor
from domain.deadlines.calendar import BusinessCalendar
from domain.deadlines.ports import CalendarsUnitOfWork
from domain.errors import NotFound, ValidationFailed
from domain.events import DomainEvent, JSONDict, Subject
from domain.org.models import check_slug
from domain.org.services import MANAGE_ORG


def describe_calendar(calendar: BusinessCalendar) -> JSONDict:
    """The calendar as plain values (audit data, config plans)."""
    return {
        "timezone": calendar.timezone,
        "workdays": sorted(calendar.workdays),
        "start": calendar.start.strftime("%H:%M"),
        "end": calendar.end.strftime("%H:%M"),
        "holidays": [day.isoformat() for day in sorted(calendar.holidays)],
    }


async def define_calendar(
    uow: CalendarsUnitOfWork, actor: Actor, calendar: BusinessCalendar
) -> bool:
    """Create or change a calendar; False (and nothing recorded) when it is already so."""
    actor.require(MANAGE_ORG)
    if not calendar.name:
        raise ValidationFailed.single("name", "errors.calendar.name")
    check_slug("name", calendar.name)
    existing = await uow.calendars.get(calendar.name)
    if existing == calendar:
        return False
    await uow.calendars.save(calendar)
    data: JSONDict = {"name": calendar.name, "after": describe_calendar(calendar)}
    if existing is not None:
        data["before"] = describe_calendar(existing)
    uow.record(
        actor,
        DomainEvent(
            "calendar.changed" if existing else "calendar.defined",
            Subject("calendar", 0, calendar.name),
            data,
            webhook=False,
        ),
    )
    return True


async def remove_calendar(uow: CalendarsUnitOfWork, actor: Actor, name: str) -> None:
    actor.require(MANAGE_ORG)
    if not await uow.calendars.remove(name):
        raise NotFound("errors.calendar.not_found", calendar=name)
    uow.record(
        actor,
        DomainEvent(
            "calendar.removed", Subject("calendar", 0, name), {"name": name}, webhook=False
        ),
    )


async def calendar_named(uow: CalendarsUnitOfWork, name: str | None) -> BusinessCalendar | None:
    """The calendar a department/platform follows (None: plain wall-clock time)."""
    if not name:
        return None
    calendar = await uow.calendars.get(name)
    if calendar is None:
        raise NotFound("errors.calendar.not_found", calendar=name)
    return calendar
