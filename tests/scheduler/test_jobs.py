"""Job registration and APScheduler's catch-up behaviour, the outbox sweep, the nightly backup."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobEvent
from sqlalchemy import select

from scheduler import jobs
from scheduler.setup import build_scheduler, register_jobs, scheduled_jobs
from storage.models.core import EventRow, OutboxRow
from tests.support.harness import Harness


async def test_jobs_are_registered_once_with_stable_ids(harness: Harness):
    scheduler = build_scheduler(harness.container.settings)
    register_jobs(scheduler, harness.container)
    register_jobs(scheduler, harness.container)  # e.g. a re-run of start-up: replaces
    scheduler.start(paused=True)
    try:
        by_id = {job.id: job for job in scheduler.get_jobs()}
        assert len(scheduler.get_jobs()) == len(scheduled_jobs())  # replaced, not doubled
        assert {"daily_backup", "sweep_deadlines", "sweep_outbox"} <= set(by_id)
        assert all(job.coalesce and job.max_instances == 1 for job in by_id.values())
        backup_trigger = str(by_id["daily_backup"].trigger)
        assert "hour='3'" in backup_trigger and "minute='0'" in backup_trigger
    finally:
        scheduler.shutdown(wait=False)


async def test_a_ten_minute_stall_gives_exactly_one_catch_up_run(harness: Harness):
    scheduler = build_scheduler(harness.container.settings)
    register_jobs(scheduler, harness.container)
    events: list[JobEvent] = []
    scheduler.add_listener(events.append, EVENT_JOB_EXECUTED | EVENT_JOB_MISSED | EVENT_JOB_ERROR)
    scheduler.start(paused=True)
    try:
        # As if the event loop had been blocked: the outbox sweep (every 60 s) last ran 10 minutes
        # ago, so ten run times have passed.
        scheduler.modify_job(
            "sweep_outbox", next_run_time=datetime.now(UTC) - timedelta(minutes=10)
        )
        scheduler.resume()
        for _ in range(100):  # bounded: the catch-up run happens at once
            if events:
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)  # and nothing else follows it
        outbox_events = [e for e in events if e.job_id == "sweep_outbox"]
        assert [e.code for e in outbox_events] == [EVENT_JOB_EXECUTED]
        next_run = scheduler.get_job("sweep_outbox").next_run_time
        assert next_run > datetime.now(UTC)
    finally:
        scheduler.shutdown(wait=False)


async def add_outbox_row(h: Harness, state: str, claimed_minutes_ago: int) -> int:
    now = h.clock.now()
    row = OutboxRow(
        created_at=now - timedelta(hours=1),
        kind="slack",
        lane="slack:CGENERAL",
        payload={
            "template": "text",
            "to": {"channel": "CGENERAL"},
            "params": {"key": "home.title"},
        },
        state=state,
        attempts=1,
        next_attempt_at=now - timedelta(minutes=claimed_minutes_ago),
    )
    async with h.container.database.write_session() as session:
        session.add(row)
        await session.commit()
    return row.id


async def outbox_states(h: Harness) -> dict[int, str]:
    async with h.container.database.read_session() as session:
        return {row.id: row.state for row in await session.scalars(select(OutboxRow))}


async def test_outbox_sweep_requeues_only_deliveries_stuck_for_ten_minutes(harness: Harness):
    h = harness
    stuck = await add_outbox_row(h, "sending", claimed_minutes_ago=11)
    in_flight = await add_outbox_row(h, "sending", claimed_minutes_ago=1)
    parked = await add_outbox_row(h, "parked", claimed_minutes_ago=30)

    assert await jobs.sweep_outbox(h.container) == 1
    states = await outbox_states(h)
    assert states == {stuck: "pending", in_flight: "sending", parked: "parked"}

    await h.dispatcher.drain()  # the requeued row is then delivered normally
    assert (await outbox_states(h))[stuck] == "done"
    assert h.fake.messages_in("CGENERAL")[-1].text == "PlatOps"


async def test_a_claim_stamps_the_time_so_fresh_deliveries_are_not_requeued(harness: Harness):
    h = harness
    row_id = await add_outbox_row(h, "pending", claimed_minutes_ago=60)  # queued long ago
    assert await h.dispatcher._claim(row_id)
    assert await jobs.sweep_outbox(h.container) == 0
    assert (await outbox_states(h))[row_id] == "sending"


async def test_nightly_backup_writes_a_file_and_audits_it(any_harness: Harness, tmp_path: Path):
    h = any_harness
    settings = h.container.settings
    h.container.settings = settings.model_copy(update={"backup_dir": tmp_path / "backups"})
    backup = await jobs.daily_backup(h.container)
    if not h.container.database.is_sqlite:
        assert backup is None  # PostgreSQL: pg_dump's job; logged, nothing written
        assert not (tmp_path / "backups").exists()
        return
    assert backup is not None
    assert (tmp_path / "backups" / backup.name).is_file()
    async with h.container.database.read_session() as session:
        event = await session.scalar(select(EventRow).where(EventRow.type == "backup.created"))
    assert event is not None
    assert event.actor_id == "system:scheduler"
    assert event.data["sha256"] == backup.sha256
