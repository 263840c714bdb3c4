"""A real unit of work on a migrated SQLite copy: no Slack, no HTTP, just the use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from typing import Any, TypeVar

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from domain.access import Actor
from domain.org import services as org
from domain.people import services as people
from domain.requirements.drafts import RequirementDraft
from storage.db import build_database
from storage.models.core import EventRow
from storage.uow import SqlUnitOfWork

T = TypeVar("T")
SYSTEM = Actor.system("test")


def draft(**changes: Any) -> RequirementDraft:
    values: dict[str, Any] = {
        "title": "Newsletter sign-up",
        "department": "marketing",
        "description": "A sign-up box on every page.",
        "justification": "We lose leads without it.",
        "priority": "medium",
        "wanted_by": date(2026, 3, 1),
        "platform": "web",
    }
    values.update(changes)
    return RequirementDraft(**values)


class World:
    """Marketing with approvers Carol, Dave and Frank, members Bob and Carol, engineer Erin."""

    def __init__(self, database: Any) -> None:
        self.database = database
        self.clock = ManualClock()

    async def run(self, step: Callable[[SqlUnitOfWork], Awaitable[T]]) -> T:
        """One transaction, committed only when the step succeeds (like every door does)."""
        async with SqlUnitOfWork(self.database, self.clock) as uow:
            result = await step(uow)
            await uow.commit()
        return result

    async def as_(
        self, user_id: str, use_case: Callable[..., Awaitable[T]], *args: Any, **kw: Any
    ) -> T:
        async def step(uow: SqlUnitOfWork) -> T:
            return await use_case(uow, await uow.actor_for(user_id), *args, **kw)

        return await self.run(step)

    async def grant(self, user_id: str, role: str, scope: str | None = "marketing") -> None:
        await self.run(lambda uow: people.grant_role(uow, SYSTEM, user_id, role, scope))

    async def revoke(self, user_id: str, role: str, scope: str | None = "marketing") -> None:
        await self.run(lambda uow: people.revoke_role(uow, SYSTEM, user_id, role, scope))

    async def quorum(self, n: int) -> None:
        await self.run(
            lambda uow: org.configure_department(uow, SYSTEM, "marketing", approval_quorum=n)
        )

    async def event_types(self) -> list[str]:
        async with self.database.read_session() as session:
            rows = await session.scalars(
                select(EventRow.type)
                .where(EventRow.type.like("requirement.%"))
                .order_by(EventRow.id)
            )
            return list(rows)


@pytest.fixture
async def world(sqlite_url: str) -> AsyncIterator[World]:
    database = build_database(sqlite_url)
    w = World(database)

    async def seed(uow: SqlUnitOfWork) -> None:
        await org.add_department(uow, SYSTEM, "marketing", "Marketing", "CMARKETING")
        await org.add_platform(uow, SYSTEM, "web", "Web shop", "CWEBOPS")
        for user_id, role, scope in [
            ("UBOB", "member", "marketing"),
            ("UCAROL", "member", "marketing"),
            ("UCAROL", "approver", "marketing"),
            ("UDAVE", "approver", "marketing"),
            ("UFRANK", "approver", "marketing"),
            ("UERIN", "engineer", None),
        ]:
            await people.grant_role(uow, SYSTEM, user_id, role, scope)

    await w.run(seed)
    yield w
    await database.dispose()
