"""The delivery loop: claims due rows lane by lane, hands each to the Slack or webhook delivery,
and records the outcome (done, retry with backoff, or parked)."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from datetime import datetime, timedelta

import httpx
from slack_sdk.errors import SlackApiError
from sqlalchemy import func, select, update

from bot.bootstrap import Container
from bot.outbox.failures import (
    MAX_ATTEMPTS,
    PERMANENT_SLACK_ERRORS,
    Delivered,
    PermanentFailure,
    RetryLater,
    describe,
)
from bot.outbox.slack import SlackDelivery
from bot.outbox.webhooks import WebhookDelivery
from commands.notices import Renderer
from storage.models.core import OutboxRow
from storage.uow import Committed, retry_delay

log = logging.getLogger("platops.outbox")


class OutboxDispatcher:
    def __init__(
        self,
        container: Container,
        renderers: dict[str, Renderer],
        *,
        channel_interval_s: float = 1.0,
        batch: int = 200,
        parallel_lanes: int = 8,
    ) -> None:
        self.container = container
        self.batch = batch
        self.parallel_lanes = parallel_lanes
        self.slack = SlackDelivery(container, renderers, channel_interval_s)
        self.webhooks = WebhookDelivery(container)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def renderers(self) -> dict[str, Renderer]:
        return self.slack.renderers

    @property
    def channel_interval_s(self) -> float:
        return self.slack.channel_interval_s

    @channel_interval_s.setter
    def channel_interval_s(self, seconds: float) -> None:
        self.slack.channel_interval_s = seconds

    # -- lifecycle -----------------------------------------------------------------------------
    def wake(self, committed: Committed | None = None) -> None:
        if committed is None or committed.outbox_rows:
            self._wake.set()

    async def start(self) -> None:
        await self.recover()
        self.container.commit_listeners.append(self.wake)
        self._task = asyncio.create_task(self._loop(), name="outbox-dispatcher")

    async def stop(self) -> None:
        if self.wake in self.container.commit_listeners:
            self.container.commit_listeners.remove(self.wake)
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        await self.webhooks.close()

    async def _loop(self) -> None:
        while True:
            try:
                delivered = await self.run_once()
            except Exception:
                log.exception("outbox round failed")
                delivered = 0
            if delivered:
                continue
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=await self._idle_seconds())
            except TimeoutError:
                pass

    async def _idle_seconds(self) -> float:
        async with self.container.database.read_session() as session:
            soonest = await session.scalar(
                select(func.min(OutboxRow.next_attempt_at)).where(OutboxRow.state == "pending")
            )
        if soonest is None:
            return 30.0
        return max(0.05, min(30.0, (soonest - self.container.clock.now()).total_seconds()))

    async def recover(self, stuck_before: datetime | None = None) -> int:
        """Rows left 'sending' by a crash go back to the queue (at-least-once).

        At start every such row is orphaned; while running (the outbox sweep) only rows claimed
        before `stuck_before` are, since a claim stamps `next_attempt_at` with its time."""
        query = update(OutboxRow).where(OutboxRow.state == "sending")
        if stuck_before is not None:
            query = query.where(OutboxRow.next_attempt_at < stuck_before)
        async with self.container.database.write_session() as session:
            result = await session.execute(query.values(state="pending"))
            await session.commit()
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    # -- one round -----------------------------------------------------------------------------
    async def run_once(self) -> int:
        now = self.container.clock.now()
        async with self.container.database.read_session() as session:
            rows = (
                await session.scalars(
                    select(OutboxRow)
                    .where(OutboxRow.state == "pending", OutboxRow.next_attempt_at <= now)
                    .order_by(OutboxRow.id)
                    .limit(self.batch)
                )
            ).all()
            blocked = set(
                await session.scalars(
                    select(OutboxRow.lane)
                    .where(OutboxRow.state == "pending", OutboxRow.next_attempt_at > now)
                    .distinct()
                )
            )
        lanes: dict[str, list[OutboxRow]] = defaultdict(list)
        for row in rows:
            if row.lane not in blocked:  # an earlier row of this lane waits for its retry
                lanes[row.lane].append(row)
        semaphore = asyncio.Semaphore(self.parallel_lanes)

        async def run_lane(lane_rows: list[OutboxRow]) -> int:
            async with semaphore:
                done = 0
                for row in lane_rows:
                    if not await self._deliver(row):
                        break
                    done += 1
                return done

        results = await asyncio.gather(*(run_lane(r) for r in lanes.values()))
        return sum(results)

    async def drain(self, max_rounds: int = 50) -> None:
        """Deliver until nothing is due (tests and shutdown); bounded."""
        for _ in range(max_rounds):
            if not await self.run_once():
                return

    async def _claim(self, row_id: int) -> bool:
        async with self.container.database.write_session() as session:
            result = await session.execute(
                update(OutboxRow)
                .where(OutboxRow.id == row_id, OutboxRow.state == "pending")
                .values(
                    state="sending",
                    attempts=OutboxRow.attempts + 1,
                    next_attempt_at=self.container.clock.now(),  # claimed at (see recover)
                )
            )
            await session.commit()
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def _deliver(self, row: OutboxRow) -> bool:
        if not await self._claim(row.id):
            return True
        try:
            delivery = self.webhooks if row.kind == "webhook" else self.slack
            outcome = await delivery.deliver(row)
        except (PermanentFailure, RetryLater, SlackApiError, httpx.HTTPError, OSError) as error:
            await self._failed(row, error)
            return False
        except Exception as error:  # a renderer bug must not stop the other lanes
            log.exception("outbox row %s failed", row.id)
            await self._failed(row, RetryLater(f"{type(error).__name__}: {error}"))
            return False
        await self._succeeded(row, outcome)
        return True

    async def _succeeded(self, row: OutboxRow, outcome: Delivered) -> None:
        now = self.container.clock.now()
        async with self.container.database.write_session() as session:
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.id == row.id)
                .values(state="done", sent_at=now, last_error=None, response_status=outcome.status)
            )
            if row.ref and outcome.superseded_up_to:
                # Later notices for the same message were rendered from the same state: skip them.
                await session.execute(
                    update(OutboxRow)
                    .where(
                        OutboxRow.ref == row.ref,
                        OutboxRow.state == "pending",
                        OutboxRow.id <= outcome.superseded_up_to,
                    )
                    .values(state="superseded", sent_at=now)
                )
            await session.commit()

    async def _failed(self, row: OutboxRow, error: Exception) -> None:
        attempts = row.attempts + 1
        permanent = isinstance(error, PermanentFailure) or (
            isinstance(error, SlackApiError)
            and error.response.get("error") in PERMANENT_SLACK_ERRORS
        )
        after = error.after if isinstance(error, RetryLater) else None
        status = error.status if isinstance(error, RetryLater) else None
        if isinstance(error, SlackApiError) and error.response.status_code == 429:
            after = float(error.response.headers.get("retry-after", 1) or 1)
        state = "parked" if permanent or attempts >= MAX_ATTEMPTS else "pending"
        delay = timedelta(seconds=after) if after is not None else retry_delay(attempts)
        message = describe(error)
        log.warning(
            "outbox row %s (%s) failed, attempt %s: %s", row.id, row.lane, attempts, message
        )
        async with self.container.database.write_session() as session:
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.id == row.id)
                .values(
                    state=state,
                    last_error=message[:2000],
                    next_attempt_at=self.container.clock.now() + delay,
                    response_status=status,
                )
            )
            await session.commit()
