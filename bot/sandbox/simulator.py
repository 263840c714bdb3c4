"""Plays Slack's side of interactions: signed requests to the bot's ``/slack/events``.

Payload shapes follow what Slack sends (slash commands, block_actions, view_submission,
view_closed, event_callback); the bot's HTTP answers are applied to the fake as Slack
would apply them (ack messages, response_action on modals).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode

import httpx

from bot.sandbox.api_args import Args
from bot.sandbox.blockkit import iter_elements
from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.methods_chat import message_content
from bot.sandbox.models import Ephemeral, Message, SlackError, User, View
from bot.sandbox.simulator_modals import apply_submission_response, close_views
from bot.sandbox.simulator_state import (
    STATELESS,
    apply_values,
    default_state,
    missing_required,
    selection,
)

Signing = Literal["good", "bad", "stale"]
VERIFICATION_TOKEN = "sandbox-verification-token"
STALE_SECONDS = 6 * 60


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
        """``response_base_url`` is where the fake is served, e.g. ``http://127.0.0.1:PORT/slack``;
        ``clock`` stamps signatures and must be real time, as the bot checks it."""
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
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return await self.send(body, "application/x-www-form-urlencoded", sign=sign)

    # ---- common payload parts ----------------------------------------------------------

    def _known_user(self, user_id: str) -> User:
        user = self.fake.users.get(user_id)
        if user is None:
            raise AssertionError(f"unknown user {user_id!r}; add it with fake.add_user() first")
        return user

    def _user(self, user_id: str) -> dict[str, Any]:
        user = self._known_user(user_id)
        return {
            "id": user.id,
            "username": user.name,
            "name": user.name,
            "team_id": self.fake.team_id,
        }

    def _team(self) -> dict[str, Any]:
        return {"id": self.fake.team_id, "domain": self.fake.team_domain}

    def _response_url(self, token: str) -> str:
        return f"{self.response_base_url}/response/{token}"

    def _interaction(self, kind: str, user_id: str) -> dict[str, Any]:
        return {
            "type": kind,
            "team": self._team(),
            "user": self._user(user_id),
            "api_app_id": self.fake.app_id,
            "token": VERIFICATION_TOKEN,
            "trigger_id": self.fake.issue_trigger_id(user_id),
            "is_enterprise_install": False,
            "enterprise": None,
        }

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
        """A slash command; a message in the bot's ack is shown as Slack shows it."""
        user = self._known_user(user_id)
        channel = (
            self.fake.resolve_channel(channel_id, allow_name=True)
            if channel_id
            else self.fake.dm_channel(user_id)
        )
        token = self.fake.issue_response_url_token(user_id, channel.id)
        form = {
            "token": VERIFICATION_TOKEN,
            "team_id": self.fake.team_id,
            "team_domain": self.fake.team_domain,
            "channel_id": channel.id,
            "channel_name": "directmessage" if channel.is_im else channel.name,
            "user_id": user_id,
            "user_name": user.name,
            "command": command,
            "text": text,
            "api_app_id": self.fake.app_id,
            "is_enterprise_install": "false",
            "response_url": self._response_url(token),
            "trigger_id": self.fake.issue_trigger_id(user_id),
        }
        response = await self.send(
            urlencode(form).encode(), "application/x-www-form-urlencoded", sign=sign
        )
        if response.status == 200:
            self._show_command_ack(user_id, channel.id, response)
        return response

    def _show_command_ack(self, user_id: str, channel_id: str, response: SimResponse) -> None:
        body = response.json if isinstance(response.json, dict) else None
        if body is None:
            text = response.text.strip()
            if not text:
                return
            body = {"text": text}
        try:
            content = message_content(self.fake, "slash command ack", Args(body))
        except SlackError as error:
            self.fake.warnings.append(f"slash command ack rejected by Slack: {error.error}")
            return
        if body.get("response_type") == "in_channel":
            self.fake.record_message(
                channel_id, self.fake.bot_user_id, content.text or "", blocks=content.blocks or []
            )
        else:
            self.fake.ephemerals.append(
                Ephemeral(
                    channel_id,
                    user_id,
                    content.text or "",
                    content.blocks or [],
                    self.fake.next_ts(),
                    source="command_ack",
                )
            )

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
        """The user uses the element ``action_id`` in ``message`` or the view ``view_id``.

        Buttons send their own value; ``value`` then only picks among same-id buttons.
        Other elements take ``selected_option_value`` (option elements) or ``value``.
        """
        if (message is None) == (view_id is None):
            raise TypeError("click() needs exactly one of message= or view_id=")
        view = self._visible_view(user_id, view_id) if view_id else None
        blocks = view.blocks if view else message.blocks  # type: ignore[union-attr]
        block, element = self._find_clickable(blocks, action_id, block_id, value)
        chosen = selected_option_value if selected_option_value is not None else value
        action: dict[str, Any] = {
            "type": element["type"],
            "action_id": element["action_id"],
            "block_id": block["block_id"],
            "action_ts": f"{self.fake.now():.6f}",
        }
        if element["type"] == "button":
            action.update(
                {k: element[k] for k in ("text", "value", "style", "url") if k in element}
            )
        else:
            if "placeholder" in element:
                action["placeholder"] = element["placeholder"]
            action.update(selection(element, chosen))
        payload = self._interaction("block_actions", user_id)
        payload["actions"] = [action]
        if view is not None:
            if element["type"] not in STATELESS:
                view.state_values = apply_values(
                    view.blocks,
                    view.state_values,
                    {f"{block['block_id']}.{element['action_id']}": chosen},
                )
            payload.update({"container": {"type": "view", "view_id": view.id}, "view": view.view})
            payload["state"] = {"values": view.state_values}
        else:
            assert message is not None
            payload.update(self._message_context(user_id, message, block, element, chosen))
        return await self._send_payload(payload, sign)

    def _visible_view(self, user_id: str, view_id: str) -> View:
        view = self.fake.views.get(view_id)
        home = self.fake.home_views.get(user_id)
        if view is None or view.closed:
            raise AssertionError(f"view {view_id!r} is not open")
        if view is not home and (self.fake.open_modal(user_id) is not view):
            raise AssertionError(f"view {view_id!r} is not the top modal view of {user_id}")
        return view

    def _find_clickable(
        self, blocks: list[dict[str, Any]], action_id: str, block_id: str | None, value: Any
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        matches = [
            (b, e)
            for b, e in iter_elements(blocks)
            if e.get("action_id") == action_id and block_id in (None, b["block_id"])
        ]
        buttons = [(b, e) for b, e in matches if e["type"] == "button"]
        if value is not None and len(buttons) > 1:
            matches = [(b, e) for b, e in buttons if e.get("value") == value]
        if not matches:
            present = [f"{b['block_id']}.{e['action_id']}" for b, e in iter_elements(blocks)]
            raise AssertionError(
                f"no element with action_id {action_id!r}"
                + (f" in block {block_id!r}" if block_id else "")
                + f"; present: {present}"
            )
        if len(matches) > 1:
            where = [f"{b['block_id']} (value {e.get('value')!r})" for b, e in matches]
            raise AssertionError(f"action_id {action_id!r} is in several blocks: {where}")
        return matches[0]

    def _message_context(
        self,
        user_id: str,
        message: Message | Ephemeral,
        block: dict[str, Any],
        element: dict[str, Any],
        chosen: Any,
    ) -> dict[str, Any]:
        channel = self.fake.channels.get(message.channel)
        ephemeral = isinstance(message, Ephemeral)
        state = default_state(message.blocks)
        if element["type"] not in STATELESS:
            key = f"{block['block_id']}.{element['action_id']}"
            state = apply_values(message.blocks, state, {key: chosen})
        token = self.fake.issue_response_url_token(
            user_id,
            message.channel,
            message_ts=None if ephemeral else message.ts,
            ephemeral=message if isinstance(message, Ephemeral) else None,
        )
        context: dict[str, Any] = {
            "container": {
                "type": "message",
                "message_ts": message.ts,
                "channel_id": message.channel,
                "is_ephemeral": ephemeral,
            },
            "channel": {
                "id": message.channel,
                "name": "directmessage" if channel is None or channel.is_im else channel.name,
            },
            "state": {"values": state},
            "response_url": self._response_url(token),
        }
        if message.thread_ts:
            context["container"]["thread_ts"] = message.thread_ts
        if isinstance(message, Message):
            context["message"] = message.to_slack(self.fake.team_id)
        return context

    # ---- modals --------------------------------------------------------------------------

    def fill(self, user_id: str, view_id: str, values: dict[str, Any]) -> None:
        """Enters values into the open view without submitting (as a user typing would)."""
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
        """Submits the open modal with ``values`` keyed by action_id or block_id.action_id."""
        view = self._visible_view(user_id, view_id)
        if view.type != "modal":
            raise AssertionError("only modals can be submitted")
        view.state_values = apply_values(view.blocks, view.state_values, values or {})
        missing = missing_required(view.blocks, view.state_values)
        if missing:
            raise AssertionError(f"required inputs left empty (Slack would not submit): {missing}")
        payload = self._interaction("view_submission", user_id)
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
        The bot hears view_closed only if the view asked with notify_on_close."""
        view = self._visible_view(user_id, view_id)
        cleared = close_views(self.fake, user_id, view, all_views)
        if not view.payload.get("notify_on_close"):
            return None
        payload = self._interaction("view_closed", user_id)
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
        envelope = {
            "token": VERIFICATION_TOKEN,
            "team_id": self.fake.team_id,
            "api_app_id": self.fake.app_id,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or "Ev" + secrets.token_hex(5).upper(),
            "event_time": int(self.fake.now()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.fake.team_id,
                    "user_id": self.fake.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": "4-" + secrets.token_urlsafe(12),
        }
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        body = json.dumps(envelope).encode()
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
        self._known_user(user_id)
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
        """The user writes ``text`` in ``channel`` (a user id: their DM with the bot)."""
        message = self.fake.add_user_message(channel, user_id, text)
        target = self.fake.channels[message.channel]
        event = {
            "type": "message",
            "channel": message.channel,
            "user": user_id,
            "text": text,
            "ts": message.ts,
            "team": self.fake.team_id,
            "channel_type": "im" if target.is_im else ("group" if target.is_private else "channel"),
            "event_ts": message.ts,
        }
        return await self.event(event, sign=sign)
