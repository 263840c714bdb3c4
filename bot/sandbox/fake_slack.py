"""In-memory fake of the Slack Web API: workspace state, recording and method dispatch (no HTTP)."""

from __future__ import annotations

import itertools
import json
import secrets
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from bot.sandbox import methods_chat, methods_directory, methods_views
from bot.sandbox.api_args import METHODS, Args, missing_field
from bot.sandbox.fake_queries import RecordQueries
from bot.sandbox.models import (
    ApiCall,
    ApiResult,
    Channel,
    Ephemeral,
    FakeFile,
    Message,
    ResponseTarget,
    ResponseUrlPost,
    SlackError,
    User,
    View,
)
from bot.sandbox.socket_mode import SocketModeHub

TRIGGER_TTL_SECONDS = 3.0
# Where Slack names the missing object instead of answering invalid_arguments.
_MISSING_ERRORS: dict[tuple[str, str], str] = {
    **{
        (method, "channel"): "channel_not_found"
        for method in (
            "chat.delete",
            "chat.getPermalink",
            "chat.postEphemeral",
            "chat.postMessage",
            "chat.update",
            "conversations.history",
            "conversations.info",
            "conversations.members",
        )
    },
    ("users.info", "user"): "user_not_found",
}
_ID_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def load_method_specs() -> dict[str, list[str]]:
    """Method name → required parameters, from the packaged ``slack_methods.json``."""
    text = resources.files("bot.sandbox").joinpath("slack_methods.json").read_text("utf-8")
    methods = json.loads(text)["methods"]
    return {
        name: [*entry.get("required", []), *entry.get("also_required", [])]
        for name, entry in methods.items()
    }


@dataclass
class _Trigger:
    user: str | None
    issued_at: float
    used: bool = False


@dataclass
class _Failure:
    error: str
    remaining: int
    retry_after: int


class FakeSlack(RecordQueries):
    def __init__(
        self,
        bot_token: str = "xoxb-sandbox",
        team_id: str = "T0SANDBOX",
        bot_user_id: str = "U0PLATOPS",
        clock: Callable[[], float] = time.time,
        *,
        team_domain: str = "platops-sandbox",
        bot_id: str = "B0PLATOPS",
        app_id: str = "A0PLATOPS",
        bot_name: str = "platops",
    ) -> None:
        self.bot_token = bot_token
        self.app_token = "xapp-1-sandbox"
        self.socket_mode = SocketModeHub()
        self.team_id = team_id
        self.team_domain = team_domain
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = app_id
        self.clock = clock
        # Where the HTTP layer serves this fake; it refreshes this from each request's URL.
        self.public_url = "http://127.0.0.1/slack"
        self.required_params = load_method_specs()

        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.messages: list[Message] = []
        self.deleted_messages: list[Message] = []
        self.ephemerals: list[Ephemeral] = []
        self.views: dict[str, View] = {}
        self.home_views: dict[str, View] = {}
        self.modal_stacks: dict[str, list[str]] = {}
        self.files: dict[str, FakeFile] = {}
        self.calls: list[ApiCall] = []
        self.response_url_posts: list[ResponseUrlPost] = []
        self.warnings: list[str] = []
        # Failure injections requested by tests; the failed calls themselves are in ``calls``.
        self.injections: list[str] = []

        self._triggers: dict[str, _Trigger] = {}
        self.response_targets: dict[str, ResponseTarget] = {}
        self._failures: dict[str, deque[_Failure]] = {}
        self._outage = False
        self._last_ts = 0.0
        self._serial = itertools.count(1)
        self.users[bot_user_id] = User(bot_user_id, bot_name, "PlatOps", is_bot=True)

    # ---- workspace setup -------------------------------------------------------------

    def add_user(
        self,
        id: str,
        name: str,
        real_name: str | None = None,
        tz: str = "UTC",
        locale: str = "en-US",
        email: str | None = None,
        is_admin: bool = False,
    ) -> User:
        user = User(id, name, real_name or name, tz, locale, email, is_admin)
        self.users[id] = user
        return user

    def add_channel(
        self,
        id: str,
        name: str,
        members: Iterable[str] = (),
        *,
        is_private: bool = False,
    ) -> Channel:
        channel = Channel(
            id, name.lstrip("#"), list(members), is_private=is_private, created=int(self.now())
        )
        self.channels[id] = channel
        return channel

    def add_user_message(
        self, channel: str, user: str, text: str, thread_ts: str | None = None
    ) -> Message:
        """A message some person wrote, e.g. to give conversations.history something to find."""
        resolved = self.resolve_channel(channel, allow_user=True, allow_name=True)
        return self.record_message(resolved.id, user, text, thread_ts=thread_ts)

    # ---- ids, time, triggers, response URLs --------------------------------------------

    def now(self) -> float:
        return float(self.clock())

    def new_id(self, prefix: str) -> str:
        serial, digits = next(self._serial), []
        while serial:
            serial, rest = divmod(serial, len(_ID_ALPHABET))
            digits.append(_ID_ALPHABET[rest])
        return prefix + "0SB" + "".join(reversed(digits)).rjust(6, "0")

    def next_ts(self) -> str:
        """Message timestamps are unique and increasing, like Slack's."""
        self._last_ts = max(self.now(), self._last_ts + 0.000001)
        return f"{self._last_ts:.6f}"

    def new_hash(self) -> str:
        return f"{int(self.now())}.{secrets.token_hex(4)}"

    def issue_trigger_id(self, user_id: str | None = None) -> str:
        """A trigger_id as Slack sends with an interaction: valid once, for 3 seconds."""
        trigger_id = f"{next(self._serial)}.{int(self.now())}.{secrets.token_hex(16)}"
        self._triggers[trigger_id] = _Trigger(user_id, self.now())
        return trigger_id

    def consume_trigger(self, trigger_id: str) -> str | None:
        """Exchanges a trigger_id and returns the user it was issued for."""
        trigger = self._triggers.get(trigger_id)
        if trigger is None:
            raise SlackError("invalid_trigger_id")
        if trigger.used:
            raise SlackError("exchanged_trigger_id")
        if self.now() - trigger.issued_at > TRIGGER_TTL_SECONDS:
            raise SlackError("expired_trigger_id")
        trigger.used = True
        return trigger.user

    def issue_response_url_token(
        self,
        user: str,
        channel: str,
        message_ts: str | None = None,
        ephemeral: Ephemeral | None = None,
    ) -> str:
        token = secrets.token_urlsafe(18)
        self.response_targets[token] = ResponseTarget(
            user, channel, self.now(), message_ts, ephemeral
        )
        return token

    # ---- failure injection -------------------------------------------------------------

    def fail_next(
        self, method: str, error: str = "ratelimited", times: int = 1, retry_after: int = 1
    ) -> None:
        """The next ``times`` calls of ``method`` fail; ``ratelimited`` answers HTTP 429."""
        self._failures.setdefault(method, deque()).append(_Failure(error, times, retry_after))
        self.injections.append(f"fail_next {method} {error} x{times} (Retry-After {retry_after})")

    def outage(self, on: bool) -> None:
        """While on, every request (API, upload, response_url) answers HTTP 503."""
        self._outage = on
        self.injections.append(f"outage {'on' if on else 'off'} at {self.now():.3f}")

    @property
    def in_outage(self) -> bool:
        return self._outage

    def _injected_failure(self, method: str) -> ApiResult | None:
        if self._outage:
            return ApiResult(503, {"ok": False, "error": "service_unavailable"})
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.remaining -= 1
        if failure.remaining <= 0:
            queue.popleft()
        body = {"ok": False, "error": failure.error}
        if failure.error in ("ratelimited", "rate_limited"):
            return ApiResult(429, body, {"Retry-After": str(failure.retry_after)})
        return ApiResult(200, body)

    # ---- dispatch ----------------------------------------------------------------------

    def call(self, method: str, args: dict[str, Any], token: str | None = None) -> ApiResult:
        """Answers one Web API call the way Slack would, and records it in ``calls``."""
        args = dict(args)
        token = token or args.pop("token", None)
        args.pop("token", None)
        result = self._injected_failure(method)
        injected = result is not None
        if result is None:
            try:
                body = {"ok": True, **self._dispatch(method, args, token)}
            except SlackError as error:
                body = error.body()
            result = ApiResult(200, body)
        ok = bool(result.body.get("ok"))
        self.calls.append(
            ApiCall(method, args, ok, result.body.get("error"), result.status, injected, self.now())
        )
        return result

    def api(self, method: str, **args: Any) -> dict[str, Any]:
        """In-process call with the bot token, for tests that skip HTTP."""
        return self.call(method, args, self.bot_token).body

    def _dispatch(self, method: str, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        if not token:
            raise SlackError("not_authed")
        if method == "apps.connections.open":  # the one method called with the app-level token
            if token != self.app_token:
                raise SlackError("invalid_auth")
            ws_url = self.public_url.replace("https://", "wss://").replace("http://", "ws://")
            return {"url": f"{ws_url}/socket"}
        if token != self.bot_token:
            raise SlackError("invalid_auth")
        handler = METHODS.get(method)
        if handler is None:
            raise SlackError("unknown_method")
        wrapped = Args(args)
        missing = [name for name in self.required_params.get(method, []) if name not in wrapped]
        if missing:
            error = _MISSING_ERRORS.get((method, missing[0]), "invalid_arguments")
            raise SlackError(error, [missing_field(name) for name in missing])
        return handler(self, wrapped)

    def receive_upload(self, file_id: str, content: bytes) -> ApiResult:
        return methods_chat.receive_upload(self, file_id, content)

    def post_to_response_url(self, token: str, body: dict[str, Any]) -> ApiResult:
        return methods_chat.post_to_response_url(self, token, body)

    # ---- lookups shared by the method implementations ----------------------------------

    def require_user(self, user_id: str | None, error: str = "user_not_found") -> User:
        user = self.users.get(user_id or "")
        if user is None:
            raise SlackError(error)
        return user

    def dm_channel(self, user_id: str) -> Channel:
        """The bot's DM channel with a user, opened on first use as Slack does."""
        for channel in self.channels.values():
            if channel.is_im and channel.user == user_id:
                return channel
        channel = Channel(
            self.new_id("D"),
            user_id,
            [user_id, self.bot_user_id],
            is_im=True,
            user=user_id,
            created=int(self.now()),
        )
        self.channels[channel.id] = channel
        return channel

    def resolve_channel(
        self, value: str | None, *, allow_user: bool = False, allow_name: bool = False
    ) -> Channel:
        """A channel by id; also by user id (their DM) or by name where Slack accepts those."""
        value = value or ""
        if value in self.channels:
            return self.channels[value]
        if allow_user and value in self.users:
            return self.dm_channel(value)
        if allow_name:
            name = value.removeprefix("#")
            for channel in self.channels.values():
                if channel.name == name and not channel.is_im:
                    return channel
        raise SlackError("channel_not_found")

    def message_at(self, channel: str, ts: str | None) -> Message:
        for message in self.messages:
            if message.channel == channel and message.ts == ts:
                return message
        raise SlackError("message_not_found")

    def record_message(self, channel: str, user: str, text: str, **fields: Any) -> Message:
        is_bot = user == self.bot_user_id
        message = Message(
            channel, self.next_ts(), user, text, bot_id=self.bot_id if is_bot else None, **fields
        )
        self.messages.append(message)
        return message


# The method modules register themselves into METHODS on import.
_REGISTERED = (methods_chat, methods_directory, methods_views)
