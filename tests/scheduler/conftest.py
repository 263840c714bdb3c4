"""Deadlines opened directly through the engine, and policies that record what they did."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from bot.bootstrap import Container, build_container
from domain.deadlines.models import Deadline, Step
from domain.deadlines.services import open_deadline
from domain.events import Subject
from domain.ports import UnitOfWork
from storage.db import build_database
from tests.support.harness import Harness


@dataclass
class Recorder:
    """A deadline policy that remembers (deadline id, action) for every step it performs."""

    fired: list[tuple[int, str]] = field(default_factory=list)

    async def __call__(self, uow: UnitOfWork, deadline: Deadline, step: Step) -> None:
        assert deadline.id is not None
        self.fired.append((deadline.id, step.action))


async def broken_policy(uow: UnitOfWork, deadline: Deadline, step: Step) -> None:
    raise RuntimeError("this area's policy has a bug")


LADDER = [
    Step(timedelta(0), "remind"),
    Step(timedelta(hours=1), "renotify", 1),
    Step(timedelta(hours=4), "escalate", 2),
]


async def open_test_deadline(
    container: Container, kind: str = "test.kind", steps: list[Step] | None = None, subject_id=1
) -> int:
    async with container.uow() as uow:
        deadline = await open_deadline(
            uow,
            kind,
            Subject("thing", subject_id, f"THING-{subject_id}"),
            container.clock.now() + timedelta(minutes=10),
            steps or LADDER,
            owner_id="UBOB",
        )
        await uow.commit()
    assert deadline.id is not None
    return deadline.id


@pytest.fixture
def recorder(any_harness: Harness) -> Recorder:
    recorder = Recorder()
    any_harness.container.deadline_policies["test.kind"] = recorder
    any_harness.container.deadline_policies["test.broken"] = broken_policy
    return recorder


@pytest.fixture
async def second_process(any_harness: Harness) -> AsyncIterator[Container]:
    """Another process on the same database: its own container, clock shared with the test.

    On SQLite it gets its own engines and write lock (only SQLite's file lock separates the two),
    on PostgreSQL its own pooled connections to the same schema."""
    first = any_harness.container
    database = first.database
    if database.is_sqlite:
        database = build_database(first.settings.database_url)
    other = build_container(
        first.settings,
        clock=any_harness.clock,
        database=database,
        deadline_policies=first.deadline_policies,
    )
    yield other
    if database is not first.database:
        await database.dispose()
