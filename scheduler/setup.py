"""Scheduler construction and job registration (stable ids, replace_existing)."""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.bootstrap import Container
from bot.settings import Settings


def build_scheduler(settings: Settings) -> AsyncIOScheduler:
    return AsyncIOScheduler(timezone=settings.timezone)


def register_jobs(scheduler: AsyncIOScheduler, container: Container) -> None:
    pass
