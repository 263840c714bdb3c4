"""What the requirements use cases need from storage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from domain.ports import UnitOfWork
from domain.requirements.models import Delegation, Requirement, Stage, Status, TestRecord, Vote


@dataclass(frozen=True)
class RequirementFilter:
    department_id: int | None = None
    stages: tuple[Stage, ...] = ()
    status: Status | None = None
    submitter_id: str | None = None
    submitted_after: datetime | None = None
    ids: tuple[int, ...] | None = None  # restrict to these (e.g. "awaiting my vote")
    after_id: int | None = None  # cursor: newest first, so ids below this one
    limit: int = 20


@dataclass(frozen=True)
class HistoryEntry:
    """One audit event about a requirement, as the card and the API show it."""

    at: datetime
    type: str
    actor_id: str
    data: dict[str, Any]
    actor_kind: str = "user"  # user, integration or system


class RequirementRepository(Protocol):
    async def add(self, requirement: Requirement) -> Requirement: ...
    async def get(self, requirement_id: int) -> Requirement | None: ...
    async def find(self, number: int) -> Requirement | None: ...
    async def save(self, requirement: Requirement) -> None:
        """Write the requirement's own fields (votes and tests are added on their own)."""
        ...

    async def add_vote(self, vote: Vote) -> bool:
        """False when the seat already voted in that round (a double click)."""
        ...

    async def add_test(self, test: TestRecord) -> TestRecord: ...
    async def search(self, query: RequirementFilter) -> list[Requirement]: ...
    async def pending_for_approver(self, approver_ids: list[str]) -> list[Requirement]:
        """Requirements in approval whose current round has a seat for one of these people."""
        ...

    async def history(self, requirement_id: int, limit: int = 50) -> list[HistoryEntry]: ...
    async def add_delegation(self, delegation: Delegation) -> Delegation: ...
    async def save_delegation(self, delegation: Delegation) -> None: ...
    async def delegations_from(self, delegator_id: str) -> list[Delegation]: ...
    async def delegations_to(self, delegate_id: str) -> list[Delegation]: ...
    async def active_delegations(self, at: datetime) -> list[Delegation]: ...


class RequirementsUnitOfWork(UnitOfWork, Protocol):
    @property
    def requirements(self) -> RequirementRepository: ...
