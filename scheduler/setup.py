"""Scheduler construction and job registration (stable ids, replace_existing).

Timing choices, so a stall or short outage gives exactly one catch-up run:
- `coalesce=True`: when several run times were missed (the loop was blocked, the host slept),
  APScheduler runs the job once for the newest of them instead of once per missed time.
- `misfire_grace_time` = two periods: with coalescing the newest missed run time is at most one
  period old, so it is inside the grace time and runs (the second period absorbs the
  scheduler's own wake-up latency); a grace below one period could drop it as "missed". The
  nightly backup gets hours of grace so an event loop stalled over 03:00 still takes the
  night's backup when it wakes.
- `max_instances=1`: a slow sweep is never overlapped by the next one.
The job store is in memory on purpose: what is due lives in our tables (deadlines, outbox), so a
restart only recomputes the next run times; nothing is lost and nothing fires twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from api.idempotency import purge_idempotency_keys
from bot.bootstrap import Container
from bot.settings import Settings
from scheduler import inspections, jobs, reports

Job = Callable[[Container], Awaitable[object]]
TriggerFactory = Callable[[Settings], BaseTrigger]


@dataclass(frozen=True)
class ScheduledJob:
    id: str  # stable: re-registering replaces, never duplicates
    run: Job
    trigger: TriggerFactory
    misfire_grace_s: int


def every(seconds: int) -> TriggerFactory:
    return lambda settings: IntervalTrigger(seconds=seconds, timezone=settings.timezone)


def daily_at(hour: int, minute: int = 0) -> TriggerFactory:
    """Wall-clock time in PLATOPS_TIMEZONE."""
    return lambda settings: CronTrigger(hour=hour, minute=minute, timezone=settings.timezone)


def scheduled_jobs() -> list[ScheduledJob]:
    # Areas add their periodic job here, one line each (e.g. inspection runs, report schedules).
    return [
        ScheduledJob("sweep_deadlines", jobs.sweep_deadlines, every(30), misfire_grace_s=60),
        ScheduledJob("sweep_outbox", jobs.sweep_outbox, every(60), misfire_grace_s=120),
        ScheduledJob("daily_backup", jobs.daily_backup, daily_at(3), misfire_grace_s=6 * 3600),
        ScheduledJob("open_due_inspections", inspections.open_due_inspections, every(60), 120),
        ScheduledJob("post_due_reports", reports.post_due_reports, every(60), 120),
        ScheduledJob("purge_idempotency_keys", purge_idempotency_keys, every(3600), 7200),
    ]


def build_scheduler(settings: Settings) -> AsyncIOScheduler:
    return AsyncIOScheduler(timezone=settings.timezone)


def register_jobs(scheduler: AsyncIOScheduler, container: Container) -> None:
    for job in scheduled_jobs():
        scheduler.add_job(
            job.run,
            job.trigger(container.settings),
            args=[container],
            id=job.id,
            name=job.id,
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=job.misfire_grace_s,
            max_instances=1,
        )
