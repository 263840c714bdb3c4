"""Opens the inspection runs that are due (every minute), a few plans per transaction."""

from __future__ import annotations

import logging

from bot.bootstrap import Container
from domain.inspections.runs import open_due_run

log = logging.getLogger("platops.scheduler.inspections")
BATCH = 2000
# Plans opened per transaction: amortises the commit (1,000 plans due at once open in seconds)
# while keeping each write transaction short, as SQLite's single writer needs.
PER_TRANSACTION = 25


async def open_due_inspections(container: Container) -> int:
    """Open one run per due plan. Safe to run in several processes at once and after any
    outage: each plan's tick is claimed by a compare-and-set, so nothing opens twice."""
    async with container.reader() as reader:
        plan_ids = await reader.inspections.due_plan_ids(container.clock.now(), BATCH)
    opened = 0
    for start in range(0, len(plan_ids), PER_TRANSACTION):
        chunk = plan_ids[start : start + PER_TRANSACTION]
        try:
            opened += await _open(container, chunk)
        except Exception:  # one broken plan must not stop the others: retry them one by one
            log.exception("opening due inspection runs failed; retrying plan by plan")
            for plan_id in chunk:
                try:
                    opened += await _open(container, [plan_id])
                except Exception:
                    log.exception("opening the due run of inspection plan %s failed", plan_id)
    return opened


async def _open(container: Container, plan_ids: list[int]) -> int:
    async with container.uow() as uow:
        await uow.inspections.load_plans(plan_ids)
        opened = [run for plan_id in plan_ids if (run := await open_due_run(uow, plan_id))]
        if opened:
            await uow.commit()
    return len(opened)
