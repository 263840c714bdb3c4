"""Delivers the outbox after commit: Slack notices and signed webhooks.

At-least-once with order per lane (a channel, a person's DM, a webhook subscription): a lane's
next row waits until the previous one is delivered. Retries back off; Slack's Retry-After is
honoured; errors that cannot heal (channel_not_found, invalid_blocks…) park the row at once,
others park after MAX_ATTEMPTS. Rows survive restarts; rows caught mid-flight by a crash are
retried on start.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from slack_sdk.errors import SlackApiError
from sqlalchemy import func, select, update

from bot.bootstrap import Container
from commands.notices import RenderContext, RenderedHome, RenderedMessage, Renderer, Skip
from domain.events import Subject
from storage.models.core import OutboxRow, SlackMessageRow, WebhookSubscriptionRow
from storage.uow import Committed, retry_delay

log = logging.getLogger("platops.outbox")
MAX_ATTEMPTS = 10
PERMANENT_SLACK_ERRORS = frozenset(
    {
        "channel_not_found",
        "invalid_blocks",
        "invalid_arguments",
        "not_in_channel",
        "is_archived",
        "msg_too_long",
        "no_text",
        "user_not_found",
        "invalid_auth",
        "account_inactive",
        "cannot_dm_bot",
        "missing_scope",
        "not_authed",
    }
)


class PermanentFailure(Exception):
    pass


class RetryLater(Exception):
    def __init__(self, message: str, after: float | None = None) -> None:
        super().__init__(message)
        self.after = after


def sign_webhook(secret: str, body: bytes, timestamp: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


@dataclass
class Delivered:
    status: int | None = None
    superseded_up_to: int | None = None


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
        self.renderers = renderers
        self.channel_interval_s = channel_interval_s
        self.batch = batch
        self.parallel_lanes = parallel_lanes
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._dm_channels: dict[str, str] = {}
        self._last_post: dict[str, float] = {}
        self._http = httpx.AsyncClient(timeout=10, follow_redirects=False)

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
        await self._http.aclose()

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
            if row.kind == "webhook":
                outcome = await self._deliver_webhook(row)
            else:
                outcome = await self._deliver_notice(row)
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
        after = getattr(error, "after", None)
        if isinstance(error, SlackApiError) and error.response.status_code == 429:
            after = float(error.response.headers.get("retry-after", 1) or 1)
        state = "parked" if permanent or attempts >= MAX_ATTEMPTS else "pending"
        delay = timedelta(seconds=after) if after is not None else retry_delay(attempts)
        message = _describe(error)
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
                    response_status=getattr(error, "status", None),
                )
            )
            await session.commit()

    # -- Slack ---------------------------------------------------------------------------------
    async def _deliver_notice(self, row: OutboxRow) -> Delivered:
        payload = row.payload
        renderer = self.renderers.get(payload["template"])
        if renderer is None:
            raise PermanentFailure(f"no renderer for template {payload['template']!r}")
        to = payload["to"]
        user_id, channel_id = to.get("user"), to.get("channel")
        async with self.container.database.read_session() as session:
            newest_same_ref = None
            if row.ref:
                newest_same_ref = await session.scalar(
                    select(func.max(OutboxRow.id)).where(
                        OutboxRow.ref == row.ref, OutboxRow.state == "pending"
                    )
                )
            existing = await session.get(SlackMessageRow, row.ref) if row.ref else None
        if payload.get("update_only") and existing is None and payload.get("surface") != "home":
            return Delivered()
        rendered = await self._render(renderer, payload, user_id, channel_id)
        if isinstance(rendered, Skip):
            return Delivered()
        if isinstance(rendered, RenderedHome):
            await self.container.slack_outbox.views_publish(user_id=user_id, view=rendered.view)
            return Delivered(superseded_up_to=newest_same_ref)
        target = channel_id or await self._dm_channel(user_id)
        if existing is not None:
            try:
                await self.container.slack_outbox.chat_update(
                    channel=existing.channel_id,
                    ts=existing.ts,
                    text=rendered.text,
                    blocks=rendered.blocks,
                )
                await self._upload(rendered, existing.channel_id)
                return Delivered(superseded_up_to=newest_same_ref)
            except SlackApiError as error:
                if error.response.get("error") != "message_not_found":
                    raise
        await self._pace(target)
        result = await self.container.slack_outbox.chat_postMessage(
            channel=target,
            text=rendered.text,
            blocks=rendered.blocks,
            unfurl_links=False,
        )
        if row.ref:
            await self._remember_message(row.ref, result["channel"], result["ts"])
        await self._upload(rendered, result["channel"])
        return Delivered(superseded_up_to=newest_same_ref)

    async def _upload(self, rendered: RenderedMessage, channel: str) -> None:
        """A file that goes with the message, after it. If the upload fails the row is retried:
        with a ref the message is then updated in place (not posted twice) and the file sent."""
        attached = rendered.file
        if attached is None:
            return
        await self.container.slack_outbox.files_upload_v2(
            channel=channel,
            file=attached.content,
            filename=attached.filename,
            title=attached.title,
            alt_txt=attached.alt_text or attached.title,
            request_file_info=False,
        )

    async def _render(
        self,
        renderer: Renderer,
        payload: dict[str, Any],
        user_id: str | None,
        channel_id: str | None,
    ) -> Any:
        subject_data = payload.get("subject")
        subject = Subject(**subject_data) if subject_data else None
        async with self.container.reader() as uow:
            person = await uow.people.get(user_id) if user_id else None
            ctx = RenderContext(
                container=self.container,
                uow=uow,
                t=self.container.translator(person.locale if person else None),
                template=payload["template"],
                subject=subject,
                params=payload.get("params") or {},
                recipient_user_id=user_id,
                recipient_channel_id=channel_id,
                timezone=person.timezone if person else self.container.settings.timezone,
            )
            return await renderer(ctx)

    async def _dm_channel(self, user_id: str) -> str:
        channel = self._dm_channels.get(user_id)
        if channel is None:
            result = await self.container.slack_outbox.conversations_open(users=user_id)
            channel = str(result["channel"]["id"])
            self._dm_channels[user_id] = channel
        return channel

    async def _pace(self, channel: str) -> None:
        """Slack allows about one message per second per channel; keep under it."""
        if self.channel_interval_s <= 0:
            return
        last = self._last_post.get(channel)
        now = time.monotonic()
        if last is not None and now - last < self.channel_interval_s:
            await asyncio.sleep(self.channel_interval_s - (now - last))
        self._last_post[channel] = time.monotonic()

    async def _remember_message(self, ref: str, channel: str, ts: str) -> None:
        async with self.container.database.write_session() as session:
            existing = await session.get(SlackMessageRow, ref)
            if existing is None:
                session.add(
                    SlackMessageRow(
                        ref=ref, channel_id=channel, ts=ts, posted_at=self.container.clock.now()
                    )
                )
            else:
                existing.channel_id, existing.ts = channel, ts
            await session.commit()

    # -- webhooks ------------------------------------------------------------------------------
    async def _deliver_webhook(self, row: OutboxRow) -> Delivered:
        async with self.container.database.read_session() as session:
            subscription = await session.get(WebhookSubscriptionRow, row.subscription_id)
        if subscription is None or not subscription.active:
            raise PermanentFailure("the subscription was removed")
        body = json.dumps(row.payload, separators=(",", ":"), ensure_ascii=False).encode()
        timestamp = int(self.container.clock.now().timestamp())
        response = await self._http.post(
            subscription.url,
            content=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "PlatOps-Webhooks/1",
                "X-PlatOps-Event": str(row.payload.get("type")),
                "X-PlatOps-Delivery": str(row.id),
                "X-PlatOps-Signature": sign_webhook(subscription.secret, body, timestamp),
            },
        )
        if 200 <= response.status_code < 300:
            return Delivered(status=response.status_code)
        retry_after = response.headers.get("retry-after")
        error = RetryLater(
            f"HTTP {response.status_code}",
            float(retry_after) if retry_after and retry_after.isdigit() else None,
        )
        error.status = response.status_code  # type: ignore[attr-defined]
        raise error


def _describe(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return f"slack: {error.response.get('error')} (HTTP {error.response.status_code})"
    return f"{type(error).__name__}: {error}"


async def list_outbox(
    container: Container, states: tuple[str, ...] = ("parked",)
) -> list[OutboxRow]:
    async with container.database.read_session() as session:
        return list(
            (
                await session.scalars(
                    select(OutboxRow)
                    .where(OutboxRow.state.in_(states))
                    .order_by(OutboxRow.id)
                    .limit(500)
                )
            ).all()
        )


async def retry_parked(container: Container, row_ids: list[int] | None = None) -> int:
    """Put parked rows back in the queue (all of them, or the given ids)."""
    async with container.database.write_session() as session:
        query = update(OutboxRow).where(OutboxRow.state == "parked")
        if row_ids:
            query = query.where(OutboxRow.id.in_(row_ids))
        result = await session.execute(
            query.values(state="pending", attempts=0, next_attempt_at=container.clock.now())
        )
        await session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
