"""Posts the operations reports whose schedule is due (every minute), one per transaction."""

from __future__ import annotations

import logging

from bot.bootstrap import Container
from domain.reports.services import post_scheduled_report

log = logging.getLogger("platops.scheduler.reports")
BATCH = 200


async def post_due_reports(container: Container) -> int:
    """Once per tick even with several processes (compare-and-set on next_run_at); after an
    outage the latest missed report is posted once."""
    async with container.reader() as reader:
        schedule_ids = await reader.reports.due_schedule_ids(container.clock.now(), BATCH)
    posted = 0
    for schedule_id in schedule_ids:
        try:
            async with container.uow() as uow:
                if await post_scheduled_report(uow, schedule_id) is not None:
                    await uow.commit()
                    posted += 1
        except Exception:  # one broken schedule must not stop the others
            log.exception("posting report schedule %s failed", schedule_id)
    return posted
