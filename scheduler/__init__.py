"""APScheduler wiring: a few periodic jobs that query for what is due."""

from __future__ import annotations

from typing import Any

from bot.bootstrap import Container


async def start_scheduler(container: Container) -> Any:
    from scheduler.setup import build_scheduler, register_jobs

    scheduler = build_scheduler(container.settings)
    register_jobs(scheduler, container)
    scheduler.start()
    return scheduler
