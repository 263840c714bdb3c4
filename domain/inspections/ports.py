"""What the inspection use cases need from storage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.inspections.models import InspectionPlan, InspectionRun, RunState
from domain.ports import UnitOfWork


@dataclass(frozen=True)
class RunFilter:
    plan_id: int | None = None
    platform_id: int | None = None
    state: RunState | None = None
    assignee_id: str | None = None
    roles_on_platforms: tuple[tuple[str, int | None], ...] = ()  # (role, platform id or any)
    opened_from: datetime | None = None
    opened_to: datetime | None = None
    before_id: int | None = None  # cursor: newest first, ids below this one
    limit: int = 20


class InspectionRepository(Protocol):
    async def add_plan(self, plan: InspectionPlan) -> InspectionPlan: ...
    async def get_plan(self, plan_id: int) -> InspectionPlan | None: ...
    async def load_plans(self, plan_ids: list[int]) -> None:
        """Warm-up for a batch: fetch these plans at once (a performance hint only)."""
        ...

    async def find_plan_by_name(self, name: str) -> InspectionPlan | None:
        """A live (not deleted) plan with this name, case-insensitively."""
        ...

    async def save_plan(self, plan: InspectionPlan) -> None: ...
    async def list_plans(
        self,
        platform_id: int | None = None,
        include_deleted: bool = False,
        after_id: int | None = None,
        limit: int = 200,
    ) -> list[InspectionPlan]: ...
    async def due_plan_ids(self, now: datetime, limit: int) -> list[int]:
        """Active plans whose next due time has passed, oldest first."""
        ...

    async def claim_tick(
        self, plan_id: int, expected_due_at: datetime, next_due_at: datetime
    ) -> bool:
        """Advance the plan's next due time only if it is still `expected_due_at`; False when
        another worker already took this tick (two processes never open the same run)."""
        ...

    async def add_run(self, run: InspectionRun) -> InspectionRun:
        """Fails (the unique plan + tick constraint) when that run exists already."""
        ...

    async def get_run(self, run_id: int) -> InspectionRun | None: ...
    async def find_run(self, number: int) -> InspectionRun | None: ...
    async def save_run(self, run: InspectionRun) -> None: ...
    async def list_runs(self, query: RunFilter) -> list[InspectionRun]: ...


class InspectionsUnitOfWork(UnitOfWork, Protocol):
    @property
    def inspections(self) -> InspectionRepository: ...
