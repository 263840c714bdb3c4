"""The periodic jobs. Each takes the container and opens its own units of work.

They *query* for what is due instead of holding one scheduled job per entity, so the tables stay
the only truth: a restart, a second process or a missed run loses nothing and fires nothing twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.backups import back_up
from bot.bootstrap import Container
from domain.access import Actor
from domain.backups.models import BackupFile
from domain.deadlines.services import fire_step
from storage.backup import POSTGRES_ADVICE

log = logging.getLogger("platops.scheduler")

SWEEP_BATCH = 100
# A bound, not a target: after a long outage each round fires one step per due deadline, and a
# deadline whose next step is also overdue comes back in the next round.
SWEEP_MAX_ROUNDS = 20
OUTBOX_STUCK_AFTER = timedelta(minutes=10)


async def sweep_deadlines(container: Container) -> int:
    """Fire every due deadline step once, each in its own transaction. Returns steps fired."""
    fired = 0
    passed: set[int] = set()  # failed or already fired elsewhere: not again in this sweep
    for _ in range(SWEEP_MAX_ROUNDS):
        async with container.reader() as uow:
            due = await uow.deadlines.due(container.clock.now(), SWEEP_BATCH + len(passed))
        todo = [d.id for d in due if d.id is not None and d.id not in passed]
        if not todo:
            break
        for deadline_id in todo:
            if await _fire_one(container, deadline_id):
                fired += 1
            else:
                passed.add(deadline_id)
    return fired


async def _fire_one(container: Container, deadline_id: int) -> bool:
    try:
        async with container.uow() as uow:
            if not await fire_step(uow, deadline_id, container.deadline_policies):
                return False  # another sweep (process) got there first, or it was closed
            await uow.commit()
            return True
    except Exception:
        # One broken policy must not stop the others; the step was not recorded (rolled back),
        # so the next sweep tries it again.
        log.exception("deadline %s: firing its step failed", deadline_id)
        return False


async def sweep_outbox(container: Container) -> int:
    """Requeue deliveries stuck in flight and wake the dispatcher. Returns rows requeued."""
    dispatcher = container.extras.get("dispatcher")
    if dispatcher is None:
        return 0
    requeued: int = await dispatcher.recover(
        stuck_before=container.clock.now() - OUTBOX_STUCK_AFTER
    )
    if requeued:
        log.warning("outbox: %s delivery(ies) stuck in flight were queued again", requeued)
    dispatcher.wake()
    return requeued


async def daily_backup(container: Container) -> BackupFile | None:
    if not container.database.is_sqlite:
        log.info("nightly backup skipped: %s", POSTGRES_ADVICE)
        return None
    backup = await back_up(container, Actor.system("scheduler"))
    log.info("nightly backup written: %s (%s bytes)", backup.name, backup.size_bytes)
    return backup
