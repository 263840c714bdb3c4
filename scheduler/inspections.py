"""Opens the inspection runs that are due (every minute), one plan per transaction."""

from __future__ import annotations

import logging

from bot.bootstrap import Container
from domain.inspections.runs import open_due_run

log = logging.getLogger("platops.scheduler.inspections")
BATCH = 2000


async def open_due_inspections(container: Container) -> int:
    """Open one run per due plan. Safe to run in several processes at once and after any
    outage: each plan's tick is claimed by a compare-and-set, so nothing opens twice."""
    opened = 0
    while True:
        async with container.reader() as reader:
            plan_ids = await reader.inspections.due_plan_ids(container.clock.now(), BATCH)
        if not plan_ids:
            return opened
        progressed = False
        for plan_id in plan_ids:
            try:
                async with container.uow() as uow:
                    run = await open_due_run(uow, plan_id)
                    if run is not None:
                        await uow.commit()
                        opened += 1
                    progressed = True
            except Exception:  # one broken plan must not stop the others' runs
                log.exception("opening the due run of inspection plan %s failed", plan_id)
        if not progressed or len(plan_ids) < BATCH:
            return opened
