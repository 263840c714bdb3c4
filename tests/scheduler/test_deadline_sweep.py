"""The deadline sweep: steps fire in order, once each, whatever fails, restarts or races."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from domain.deadlines.models import DeadlineState
from domain.deadlines.services import close_deadlines
from domain.events import Subject
from scheduler import jobs
from storage.models.core import DeadlineStepRow
from tests.scheduler.conftest import Recorder, open_test_deadline
from tests.support.harness import Harness


async def recorded_steps(h: Harness, deadline_id: int) -> list[int]:
    async with h.container.database.read_session() as session:
        rows = await session.scalars(
            select(DeadlineStepRow.step_index)
            .where(DeadlineStepRow.deadline_id == deadline_id)
            .order_by(DeadlineStepRow.step_index)
        )
        return list(rows)


async def test_steps_fire_in_order_once_each(any_harness: Harness, recorder: Recorder):
    h = any_harness
    deadline_id = await open_test_deadline(h.container)
    assert await jobs.sweep_deadlines(h.container) == 0  # not due yet

    h.clock.advance(minutes=10)
    assert await jobs.sweep_deadlines(h.container) == 1
    assert await jobs.sweep_deadlines(h.container) == 0  # the next sweep finds nothing new
    h.clock.advance(hours=1)
    assert await jobs.sweep_deadlines(h.container) == 1
    h.clock.advance(hours=3)
    assert await jobs.sweep_deadlines(h.container) == 1
    h.clock.advance(days=3)
    assert await jobs.sweep_deadlines(h.container) == 0

    assert recorder.fired == [
        (deadline_id, "remind"),
        (deadline_id, "renotify"),
        (deadline_id, "escalate"),
    ]
    assert await recorded_steps(h, deadline_id) == [0, 1, 2]
    async with h.container.reader() as uow:
        finished = await uow.deadlines.get(deadline_id)
    assert finished is not None and finished.next_fire_at is None


async def test_after_an_outage_every_overdue_step_fires_once_in_order(
    any_harness: Harness, recorder: Recorder
):
    h = any_harness
    deadline_id = await open_test_deadline(h.container)
    h.clock.advance(days=2)
    assert await jobs.sweep_deadlines(h.container) == 3
    assert [action for _, action in recorder.fired] == ["remind", "renotify", "escalate"]
    assert await jobs.sweep_deadlines(h.container) == 0
    assert await recorded_steps(h, deadline_id) == [0, 1, 2]


async def test_a_failing_policy_does_not_stop_the_others(any_harness: Harness, recorder: Recorder):
    h = any_harness
    broken = await open_test_deadline(h.container, kind="test.broken", subject_id=1)
    healthy = await open_test_deadline(h.container, subject_id=2)
    h.clock.advance(minutes=10)

    assert await jobs.sweep_deadlines(h.container) == 1
    assert recorder.fired == [(healthy, "remind")]
    # The broken step was rolled back, not recorded: it is tried again by the next sweep.
    assert await recorded_steps(h, broken) == []
    async with h.container.reader() as uow:
        still_due = await uow.deadlines.due(h.clock.now(), 10)
    assert [d.id for d in still_due] == [broken]
    assert await jobs.sweep_deadlines(h.container) == 0


async def test_closed_deadlines_never_fire(any_harness: Harness, recorder: Recorder):
    h = any_harness
    deadline_id = await open_test_deadline(h.container)
    async with h.container.uow() as uow:
        assert await close_deadlines(uow, Subject("thing", 1)) == 1
        await uow.commit()
    h.clock.advance(days=1)
    assert await jobs.sweep_deadlines(h.container) == 0
    assert recorder.fired == []
    async with h.container.reader() as uow:
        closed = await uow.deadlines.get(deadline_id)
    assert closed is not None and closed.state is DeadlineState.CLOSED


async def test_a_restart_does_not_fire_a_step_again(
    any_harness: Harness, recorder: Recorder, second_process
):
    h = any_harness
    deadline_id = await open_test_deadline(h.container)
    h.clock.advance(minutes=10)
    assert await jobs.sweep_deadlines(h.container) == 1
    # The process restarts: a fresh container (no memory of the sweep) on the same database.
    assert await jobs.sweep_deadlines(second_process) == 0
    assert recorder.fired == [(deadline_id, "remind")]


async def test_two_concurrent_sweeps_fire_each_step_once(
    any_harness: Harness, recorder: Recorder, second_process
):
    h = any_harness
    ids = [await open_test_deadline(h.container, subject_id=n) for n in range(1, 6)]
    h.clock.advance(minutes=10)

    counts = await asyncio.gather(
        jobs.sweep_deadlines(h.container), jobs.sweep_deadlines(second_process)
    )

    assert sum(counts) == len(ids)
    assert sorted(recorder.fired) == sorted((i, "remind") for i in ids)
    async with h.container.database.read_session() as session:
        assert await session.scalar(select(func.count()).select_from(DeadlineStepRow)) == len(ids)


async def test_the_same_step_raced_directly_is_recorded_once(
    any_harness: Harness, recorder: Recorder, second_process
):
    """Both sweeps read the deadline before either commits; record_step is the only guard."""
    from domain.deadlines.services import fire_step

    h = any_harness
    deadline_id = await open_test_deadline(h.container)
    h.clock.advance(minutes=10)

    async def fire(container) -> bool:
        async with container.uow() as uow:
            fired = await fire_step(uow, deadline_id, container.deadline_policies)
            await asyncio.sleep(0.01)  # widen the window between reading and committing
            if fired:
                await uow.commit()
            return fired

    results = await asyncio.gather(fire(h.container), fire(second_process))
    assert sorted(results) == [False, True]
    assert await recorded_steps(h, deadline_id) == [0]
    assert recorder.fired == [(deadline_id, "remind")]  # the loser never ran the policy
