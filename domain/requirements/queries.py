"""Reading requirements: lists with filters and cursor, the approver's queue, the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import cast

from domain.access import Actor
from domain.errors import ValidationFailed
from domain.ports import UnitOfWork
from domain.requirements.models import Requirement, Stage, Status
from domain.requirements.ports import HistoryEntry, RequirementFilter, RequirementsUnitOfWork
from domain.requirements.services import VIEW, active_delegates

MAX_PAGE = 100


class Scope(StrEnum):
    MINE = "mine"  # submitted by me or owned by me
    PENDING = "pending"  # awaiting my vote (mine or as a delegate)
    ALL = "all"


@dataclass(frozen=True)
class Page:
    items: list[Requirement]
    next_cursor: int | None


@dataclass(frozen=True)
class Waiting:
    requirement: Requirement
    seat: str  # whose vote is owed: the viewer's own, or the approver they stand in for


async def awaiting_vote(uow: UnitOfWork, user_id: str) -> list[Waiting]:
    """Requirements in approval whose current round still waits for this person's click."""
    delegators = [
        seat
        for seat, delegate in (await _delegations_to(uow, user_id)).items()
        if delegate == user_id
    ]
    repo = cast(RequirementsUnitOfWork, uow).requirements
    waiting = []
    for requirement in await repo.pending_for_approver([user_id, *delegators]):
        if requirement.submitter_id == user_id:
            continue
        for seat in requirement.waiting_for():
            if seat == user_id or seat in delegators:
                waiting.append(Waiting(requirement, seat))
    return waiting


async def _delegations_to(uow: UnitOfWork, user_id: str) -> dict[str, str]:
    repo = cast(RequirementsUnitOfWork, uow).requirements
    now = uow.now()
    seats = [d.delegator_id for d in await repo.delegations_to(user_id) if d.active_at(now)]
    return await active_delegates(uow, seats) if seats else {}


async def list_requirements(
    uow: UnitOfWork,
    actor: Actor,
    scope: Scope = Scope.ALL,
    *,
    department: str | None = None,
    stage: str | None = None,
    status: str | None = None,
    submitted_after: datetime | None = None,
    cursor: int | None = None,
    limit: int = 10,
) -> Page:
    actor.require(VIEW)
    department_id = None
    if department:
        found = await uow.org.find_department(department.strip().lower())
        if found is None:
            raise ValidationFailed.single(
                "department", "req.errors.department_unknown", department=department
            )
        department_id = found.id
    stages: tuple[Stage, ...] = ()
    if stage:
        try:
            stages = (Stage(stage.strip().lower()),)
        except ValueError:
            choices = ", ".join(s.value for s in Stage)
            raise ValidationFailed.single(
                "stage", "req.errors.stage", stage=stage, stages=choices
            ) from None
    wanted_status = None
    if status:
        try:
            wanted_status = Status(status.strip().lower())
        except ValueError:
            choices = ", ".join(s.value for s in Status)
            raise ValidationFailed.single(
                "status", "req.errors.status", status=status, statuses=choices
            ) from None
    ids = None
    if scope is Scope.PENDING:
        ids = tuple(sorted({w.requirement.id or 0 for w in await awaiting_vote(uow, _me(actor))}))
    query = RequirementFilter(
        department_id=department_id,
        stages=stages,
        status=wanted_status,
        submitter_id=_me(actor) if scope is Scope.MINE else None,
        submitted_after=submitted_after,
        ids=ids,
        after_id=cursor,
        limit=max(1, min(limit, MAX_PAGE)) + 1,  # one more tells whether a next page exists
    )
    found_items = await cast(RequirementsUnitOfWork, uow).requirements.search(query)
    page = found_items[: query.limit - 1]
    next_cursor = page[-1].id if len(found_items) >= query.limit and page else None
    return Page(page, next_cursor)


async def requirement_history(uow: UnitOfWork, requirement: Requirement) -> list[HistoryEntry]:
    assert requirement.id is not None
    return await cast(RequirementsUnitOfWork, uow).requirements.history(requirement.id)


def _me(actor: Actor) -> str:
    return actor.user_id or ""
