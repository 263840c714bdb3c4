"""What report use cases need from storage: indexed fact queries and report schedules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.org.models import Platform
from domain.ports import UnitOfWork
from domain.reports.models import ReportFacts, ReportKind


@dataclass
class ReportSchedule:
    id: int | None
    kind: ReportKind
    channel_id: str
    cron: str
    timezone: str
    created_by: str
    created_at: datetime
    platform_id: int | None = None
    language: str | None = None  # reports are written in the language of who scheduled them
    active: bool = True
    next_run_at: datetime | None = None
    last_run_at: datetime | None = None


class ReportRepository(Protocol):
    async def facts(
        self, start: datetime, end: datetime, now: datetime, platform: Platform | None
    ) -> ReportFacts: ...
    async def add_schedule(self, schedule: ReportSchedule) -> ReportSchedule: ...
    async def get_schedule(self, schedule_id: int) -> ReportSchedule | None: ...
    async def list_schedules(self) -> list[ReportSchedule]: ...
    async def save_schedule(self, schedule: ReportSchedule) -> None: ...
    async def due_schedule_ids(self, now: datetime, limit: int) -> list[int]: ...
    async def claim_schedule(
        self, schedule_id: int, expected_run_at: datetime, next_run_at: datetime
    ) -> bool:
        """Advance next_run_at only if unchanged since read: one post per tick, any process."""
        ...


class ReportsUnitOfWork(UnitOfWork, Protocol):
    @property
    def reports(self) -> ReportRepository: ...
