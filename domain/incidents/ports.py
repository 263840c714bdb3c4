"""What the incident use cases need from storage, on top of the shared unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from domain.deadlines.ports import CalendarsUnitOfWork
from domain.incidents.models import (
    Incident,
    IncidentPolicy,
    IncidentStatus,
    PlatformOverride,
    Severity,
)
from domain.incidents.oncall import Rotation


@dataclass(frozen=True)
class IncidentFilter:
    statuses: tuple[IncidentStatus, ...] = ()
    severities: tuple[Severity, ...] = ()
    platform_id: int | None = None
    since: datetime | None = None
    involving: str | None = None  # declared, acknowledged or owes the review
    after_id: int | None = None  # cursor: incidents with a smaller id (newest first)
    limit: int = 50


@dataclass(frozen=True)
class TimelineEntry:
    """One line of an incident's timeline, read from the audit events of the incident."""

    at: datetime
    type: str  # the event type, e.g. "incident.acknowledged"
    actor_kind: str
    actor_id: str
    data: dict[str, Any]


class IncidentRepository(Protocol):
    async def add(self, incident: Incident) -> Incident: ...
    async def get(self, incident_id: int) -> Incident | None: ...
    async def get_by_number(self, number: int) -> Incident | None: ...
    async def save(self, incident: Incident) -> None: ...
    async def find_open_by_dedup_key(self, dedup_key: str) -> Incident | None: ...
    async def search(self, query: IncidentFilter) -> list[Incident]: ...
    async def open_on_platforms(self, platform_ids: list[int]) -> list[Incident]: ...
    async def reviews_owed_by(self, user_id: str) -> list[Incident]: ...
    async def timeline(self, incident_id: int) -> list[TimelineEntry]: ...


class OnCallRepository(Protocol):
    async def get_rotation(self, platform_id: int) -> Rotation | None: ...
    async def save_rotation(self, rotation: Rotation) -> None: ...
    async def rotations_with(self, user_id: str) -> list[Rotation]: ...
    async def get_policy(self) -> IncidentPolicy | None:
        """The global policy (None: the defaults)."""
        ...

    async def save_policy(self, policy: IncidentPolicy, now: datetime) -> None: ...
    async def get_override(self, platform_id: int) -> PlatformOverride | None: ...
    async def save_override(
        self, platform_id: int, override: PlatformOverride, now: datetime
    ) -> None: ...


class IncidentsUnitOfWork(CalendarsUnitOfWork, Protocol):
    """Incidents follow their platform's business-hours calendar, hence the calendars."""

    @property
    def incidents(self) -> IncidentRepository: ...
    @property
    def oncall(self) -> OnCallRepository: ...
