"""Delivering one Slack notice: render it now, then post it, update it in place, or publish a
Home tab; a file that goes with a message is uploaded after it."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy import func, select

from bot.bootstrap import Container
from bot.outbox.failures import Delivered, PermanentFailure
from commands.notices import RenderContext, RenderedHome, RenderedMessage, Renderer, Skip
from domain.events import Subject
from storage.models.core import OutboxRow, SlackMessageRow


class SlackDelivery:
    def __init__(
        self, container: Container, renderers: dict[str, Renderer], channel_interval_s: float
    ) -> None:
        self.container = container
        self.renderers = renderers
        self.channel_interval_s = channel_interval_s
        self._dm_channels: dict[str, str] = {}
        self._last_post: dict[str, float] = {}

    @property
    def slack(self) -> Any:
        return self.container.slack_outbox

    async def deliver(self, row: OutboxRow) -> Delivered:
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
        done = Delivered(superseded_up_to=newest_same_ref)
        if isinstance(rendered, RenderedHome):
            await self.slack.views_publish(user_id=user_id, view=rendered.view)
            return done
        if existing is not None:
            try:
                await self.slack.chat_update(
                    channel=existing.channel_id,
                    ts=existing.ts,
                    text=rendered.text,
                    blocks=rendered.blocks,
                )
                await self._upload(rendered, existing.channel_id)
                return done
            except SlackApiError as error:
                if error.response.get("error") != "message_not_found":
                    raise
                # Deleted in Slack (or an emptied sandbox): post it afresh below.
        target = channel_id or await self._dm_channel(user_id)
        await self._pace(target)
        result = await self.slack.chat_postMessage(
            channel=target, text=rendered.text, blocks=rendered.blocks, unfurl_links=False
        )
        if row.ref:
            await self._remember_message(row.ref, result["channel"], result["ts"])
        await self._upload(rendered, result["channel"])
        return done

    async def _upload(self, rendered: RenderedMessage, channel: str) -> None:
        """A file that goes with the message, after it. If the upload fails the row is retried:
        with a ref the message is then updated in place (not posted twice) and the file sent."""
        attached = rendered.file
        if attached is None:
            return
        await self.slack.files_upload_v2(
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
            result = await self.slack.conversations_open(users=user_id)
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
