"""Reading incidents: keys, lookups, the effective policy and calendar, the VIEW permission."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.access import Actor, Permission, Role
from domain.deadlines.calendar import BusinessCalendar
from domain.errors import NotFound, ValidationFailed
from domain.incidents.models import Incident, IncidentPolicy
from domain.org.models import Platform

if TYPE_CHECKING:
    from domain.incidents.ports import IncidentFilter, IncidentsUnitOfWork, TimelineEntry

VIEW = Permission("incident.view", roles=tuple(Role), scope="incidents:read")


def parse_key(text: str) -> int:
    """`INC-12`, `inc-12` or `12` → 12."""
    raw = text.strip().upper().removeprefix("INC-")
    if not raw.isdigit():
        raise ValidationFailed.single("key", "inc.errors.key", value=text)
    return int(raw)


async def find_incident(uow: IncidentsUnitOfWork, key: str | int) -> tuple[Incident, Platform]:
    number = key if isinstance(key, int) else parse_key(key)
    incident = await uow.incidents.get_by_number(number)
    if incident is None:
        raise NotFound("inc.errors.not_found", key=f"INC-{number}")
    platform = await uow.org.get_platform(incident.platform_id)
    assert platform is not None
    return incident, platform


async def incident_by_id(uow: IncidentsUnitOfWork, incident_id: int) -> tuple[Incident, Platform]:
    incident = await uow.incidents.get(incident_id)
    if incident is None:
        raise NotFound("inc.errors.not_found", key=f"#{incident_id}")
    return await find_incident(uow, incident.number)


async def policy_for(uow: IncidentsUnitOfWork, platform_id: int | None) -> IncidentPolicy:
    """The global policy (or the defaults) with the platform's overrides applied."""
    policy = await uow.oncall.get_policy() or IncidentPolicy()
    if platform_id is not None:
        override = await uow.oncall.get_override(platform_id)
        if override is not None:
            return override.over(policy)
    return policy


async def calendar_of(uow: IncidentsUnitOfWork, platform: Platform) -> BusinessCalendar | None:
    """The business-hours calendar the platform follows, None without one (Monday–Friday UTC).

    A calendar removed while the platform still names it must not block resolving incidents:
    it then counts as none.
    """
    if not platform.calendar:
        return None
    return await uow.calendars.get(platform.calendar)


async def get_incident(
    uow: IncidentsUnitOfWork, actor: Actor, key: str | int
) -> tuple[Incident, Platform, list[TimelineEntry]]:
    actor.require(VIEW)
    incident, platform = await find_incident(uow, key)
    assert incident.id is not None
    return incident, platform, await uow.incidents.timeline(incident.id)


async def list_incidents(
    uow: IncidentsUnitOfWork, actor: Actor, query: IncidentFilter
) -> list[Incident]:
    actor.require(VIEW)
    return await uow.incidents.search(query)
