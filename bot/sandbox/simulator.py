"""Plays Slack's side of interactions: signed requests to the bot's ``/slack/events``.

Payloads follow what Slack sends (slash commands, block_actions, view_submission,
view_closed, event_callback); the bot's HTTP answers are applied to the fake as Slack
would apply them (ack messages, response_action on modals).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode

import httpx

from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.models import Ephemeral, Message, View
from bot.sandbox.simulator_answers import apply_submission_response, close_views, show_command_ack
from bot.sandbox.simulator_payloads import (
    action_object,
    command_form,
    element_key,
    event_envelope,
    find_clickable,
    interaction,
    known_user,
    message_context,
)
from bot.sandbox.simulator_state import STATELESS, apply_values, missing_required

Signing = Literal["good", "bad", "stale"]
STALE_SECONDS = 6 * 60
FORM = "application/x-www-form-urlencoded"


@dataclass
class SimResponse:
    """The bot's HTTP answer to one simulated request."""

    status: int
    json: Any | None
    text: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class SlackSimulator:
    def __init__(
        self,
        fake: FakeSlack,
        bot_events_url: str,
        signing_secret: str,
        response_base_url: str,
        *,
        http: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``response_base_url`` is where the fake is served, e.g. ``http://127.0.0.1:PORT/slack``.
        ``clock`` stamps signatures; keep it real time, since the bot compares it with its own."""
        self.fake = fake
        self.bot_events_url = bot_events_url
        self.signing_secret = signing_secret
        self.response_base_url = response_base_url.rstrip("/")
        self.clock = clock
        self._own_http = http is None
        self.http = http or httpx.AsyncClient(timeout=10.0)

    async def aclose(self) -> None:
        if self._own_http:
            await self.http.aclose()

    async def __aenter__(self) -> SlackSimulator:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # ---- signing and sending -----------------------------------------------------------

    def signature(self, timestamp: str, body: bytes, secret: str | None = None) -> str:
        """Slack's v0 signature: HMAC-SHA256 over ``v0:{timestamp}:{body}``."""
        base = b"v0:" + timestamp.encode() + b":" + body
        key = (secret or self.signing_secret).encode()
        return "v0=" + hmac.new(key, base, hashlib.sha256).hexdigest()

    async def send(
        self,
        body: bytes,
        content_type: str,
        *,
        sign: Signing = "good",
        extra_headers: dict[str, str] | None = None,
    ) -> SimResponse:
        """POSTs a raw body to the bot, signed as Slack signs it (or deliberately not)."""
        now = int(self.clock())
        timestamp = str(now - STALE_SECONDS if sign == "stale" else now)
        secret = "not-" + self.signing_secret if sign == "bad" else None
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": self.signature(timestamp, body, secret),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            **(extra_headers or {}),
        }
        response = await self.http.post(self.bot_events_url, content=body, headers=headers)
        try:
            parsed = response.json() if response.content else None
        except ValueError:
            parsed = None
        return SimResponse(response.status_code, parsed, response.text, dict(response.headers))

    async def _send_payload(self, payload: dict[str, Any], sign: Signing) -> SimResponse:
        return await self.send(
            urlencode({"payload": json.dumps(payload)}).encode(), FORM, sign=sign
        )

    def _response_url(self, user_id: str, channel: str, **source: Any) -> str:
        token = self.fake.issue_response_url_token(user_id, channel, **source)
        return f"{self.response_base_url}/response/{token}"

    # ---- slash commands ----------------------------------------------------------------

    async def command(
        self,
        user_id: str,
        command: str,
        text: str = "",
        *,
        channel_id: str | None = None,
        sign: Signing = "good",
    ) -> SimResponse:
        """A slash command, by default from the user's DM with the bot."""
        known_user(self.fake, user_id)
        channel = (
            self.fake.resolve_channel(channel_id, allow_name=True)
            if channel_id
            else self.fake.dm_channel(user_id)
        )
        response_url = self._response_url(user_id, channel.id)
        form = command_form(self.fake, user_id, channel, command, text, response_url)
        response = await self.send(urlencode(form).encode(), FORM, sign=sign)
        if response.status == 200:
            show_command_ack(self.fake, user_id, channel.id, response.json, response.text)
        return response

    # ---- block_actions -----------------------------------------------------------------

    async def click(
        self,
        user_id: str,
        action_id: str,
        *,
        message: Message | Ephemeral | None = None,
        view_id: str | None = None,
        value: Any = None,
        selected_option_value: str | list[str] | None = None,
        block_id: str | None = None,
        sign: Signing = "good",
    ) -> SimResponse:
        """The user uses the element ``action_id`` in ``message`` or in the view ``view_id``.

        Buttons send their own value; ``value`` then only picks among same-id buttons.
        Other elements take ``selected_option_value`` (option elements) or ``value``
        (user/channel/conversation ids, dates, times, text).
        """
        if (message is None) == (view_id is None):
            raise TypeError("click() needs exactly one of message= or view_id=")
        chosen = selected_option_value if selected_option_value is not None else value
        payload = interaction(self.fake, "block_actions", user_id)
        if view_id is not None:
            view = self._visible_view(user_id, view_id)
            found = find_clickable(view.blocks, action_id, block_id, value)
            if found[1]["type"] not in STATELESS:
                entered = {element_key(found): chosen}
                view.state_values = apply_values(view.blocks, view.state_values, entered)
            payload["container"] = {"type": "view", "view_id": view.id}
            payload["view"] = view.view
            payload["state"] = {"values": view.state_values}
        else:
            assert message is not None
            found = find_clickable(message.blocks, action_id, block_id, value)
            if isinstance(message, Ephemeral):
                response_url = self._response_url(user_id, message.channel, ephemeral=message)
            else:
                response_url = self._response_url(user_id, message.channel, message_ts=message.ts)
            payload.update(message_context(self.fake, message, found, chosen, response_url))
        payload["actions"] = [action_object(self.fake, found, chosen)]
        return await self._send_payload(payload, sign)

    def _visible_view(self, user_id: str, view_id: str) -> View:
        """A view the user can interact with: their home tab or their top modal view."""
        view = self.fake.views.get(view_id)
        if view is None or view.closed:
            raise AssertionError(f"view {view_id!r} is not open")
        if (
            view is not self.fake.home_views.get(user_id)
            and self.fake.open_modal(user_id) is not view
        ):
            raise AssertionError(f"view {view_id!r} is not the top modal view of {user_id}")
        return view

    # ---- modals ------------------------------------------------------------------------

    def fill(self, user_id: str, view_id: str, values: dict[str, Any]) -> None:
        """Enters values into the open view without submitting, as a user typing would."""
        view = self._visible_view(user_id, view_id)
        view.state_values = apply_values(view.blocks, view.state_values, values)

    async def submit(
        self,
        user_id: str,
        view_id: str,
        values: dict[str, Any] | None = None,
        *,
        sign: Signing = "good",
    ) -> SimResponse:
        """Submits the open modal, ``values`` keyed by action_id or "block_id.action_id"."""
        view = self._visible_view(user_id, view_id)
        if view.type != "modal":
            raise AssertionError("only modals can be submitted")
        view.state_values = apply_values(view.blocks, view.state_values, values or {})
        missing = missing_required(view.blocks, view.state_values)
        if missing:
            raise AssertionError(f"required inputs left empty (Slack would not submit): {missing}")
        view.errors = {}  # Slack drops the previous errors once the user submits again
        payload = interaction(self.fake, "view_submission", user_id)
        payload.update({"view": view.view, "response_urls": []})
        response = await self._send_payload(payload, sign)
        apply_submission_response(
            self.fake, user_id, view, response.status, response.json, response.text
        )
        return response

    async def close(
        self, user_id: str, view_id: str, *, all_views: bool = False, sign: Signing = "good"
    ) -> SimResponse | None:
        """The user closes the top view (``all_views``: the X that closes the whole stack).
        The bot hears view_closed only if the view set notify_on_close."""
        view = self._visible_view(user_id, view_id)
        cleared = close_views(self.fake, user_id, view, all_views)
        if not view.payload.get("notify_on_close"):
            return None
        payload = interaction(self.fake, "view_closed", user_id)
        del payload["trigger_id"]
        payload.update({"view": view.view, "is_cleared": cleared})
        return await self._send_payload(payload, sign)

    # ---- events --------------------------------------------------------------------------

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        sign: Signing = "good",
    ) -> SimResponse:
        """An Events API ``event_callback`` wrapping ``event``; retries carry X-Slack-Retry-*."""
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        body = json.dumps(event_envelope(self.fake, event, event_id)).encode()
        return await self.send(body, "application/json", sign=sign, extra_headers=headers)

    async def open_home(
        self,
        user_id: str,
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        sign: Signing = "good",
    ) -> SimResponse:
        """The user opens the app's Home tab (``app_home_opened``)."""
        known_user(self.fake, user_id)
        event: dict[str, Any] = {
            "type": "app_home_opened",
            "user": user_id,
            "channel": self.fake.dm_channel(user_id).id,
            "tab": "home",
            "event_ts": f"{self.fake.now():.6f}",
        }
        home = self.fake.home_views.get(user_id)
        if home is not None:
            event["view"] = home.view
        return await self.event(event, event_id=event_id, retry_num=retry_num, sign=sign)

    async def say(
        self, user_id: str, channel: str, text: str, *, sign: Signing = "good"
    ) -> SimResponse:
        """The user writes ``text`` in ``channel`` (a user id means their DM with the bot)."""
        known_user(self.fake, user_id)
        message = self.fake.add_user_message(channel, user_id, text)
        target = self.fake.channels[message.channel]
        channel_type = "im" if target.is_im else ("group" if target.is_private else "channel")
        event = {
            "type": "message",
            "channel": message.channel,
            "user": user_id,
            "text": text,
            "ts": message.ts,
            "team": self.fake.team_id,
            "channel_type": channel_type,
            "event_ts": message.ts,
        }
        return await self.event(event, sign=sign)
