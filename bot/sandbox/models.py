"""Records the fake Slack keeps, each able to render itself in the JSON shape Slack returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class SlackError(Exception):
    """An ``{"ok": false}`` answer; ``messages`` end up in ``response_metadata.messages``."""

    def __init__(self, error: str, messages: list[str] | None = None, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.messages = messages or []
        self.extra = extra

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error": self.error, **self.extra}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return body


@dataclass(frozen=True)
class ApiResult:
    """What the HTTP layer sends back: status, JSON body (or plain text) and extra headers."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    plain_text: str | None = None


@dataclass
class ApiCall:
    method: str
    args: dict[str, Any]
    ok: bool
    error: str | None
    status: int = 200
    injected: bool = False
    at: float = 0.0


def blocks_text(node: Any) -> str:
    """All text in a Block Kit structure, joined by newlines, for assertions and search."""
    parts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "text" and isinstance(item, str):
                    parts.append(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(node)
    return "\n".join(parts)


@dataclass
class User:
    id: str
    name: str
    real_name: str
    tz: str = "UTC"
    locale: str = "en-US"
    email: str | None = None
    is_admin: bool = False
    is_bot: bool = False
    deleted: bool = False

    def tz_offset(self, now: float) -> int:
        try:
            zone = ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError):
            return 0
        offset = datetime.fromtimestamp(now, UTC).astimezone(zone).utcoffset()
        return int(offset.total_seconds()) if offset is not None else 0

    def to_slack(self, team_id: str, now: float, include_locale: bool = False) -> dict[str, Any]:
        local = datetime.fromtimestamp(now, UTC)
        try:
            label = local.astimezone(ZoneInfo(self.tz)).tzname() or self.tz
        except (ZoneInfoNotFoundError, ValueError):
            label = self.tz
        profile: dict[str, Any] = {
            "real_name": self.real_name,
            "real_name_normalized": self.real_name,
            "display_name": self.name,
            "display_name_normalized": self.name,
            "team": team_id,
        }
        if self.email:
            profile["email"] = self.email
        data: dict[str, Any] = {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "real_name": self.real_name,
            "deleted": self.deleted,
            "tz": self.tz,
            "tz_label": label,
            "tz_offset": self.tz_offset(now),
            "is_admin": self.is_admin,
            "is_owner": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "profile": profile,
        }
        if include_locale:
            data["locale"] = self.locale
        return data


@dataclass
class Channel:
    id: str
    name: str
    members: list[str] = field(default_factory=list)
    is_private: bool = False
    is_im: bool = False
    is_mpim: bool = False
    user: str | None = None
    created: int = 0
    is_archived: bool = False

    @property
    def kind(self) -> str:
        if self.is_im:
            return "im"
        if self.is_mpim:
            return "mpim"
        return "private_channel" if self.is_private else "public_channel"

    def to_slack(self, include_num_members: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "created": self.created, "is_im": self.is_im}
        if self.is_im:
            data.update({"user": self.user, "is_user_deleted": False, "is_open": True})
            return data
        data.update(
            {
                "name": self.name,
                "name_normalized": self.name,
                "is_channel": not self.is_private and not self.is_mpim,
                "is_group": self.is_private,
                "is_mpim": self.is_mpim,
                "is_private": self.is_private or self.is_mpim,
                "is_archived": self.is_archived,
                "is_general": False,
                "is_member": True,
                "topic": {"value": "", "creator": "", "last_set": 0},
                "purpose": {"value": "", "creator": "", "last_set": 0},
            }
        )
        if include_num_members:
            data["num_members"] = len(self.members)
        return data


@dataclass
class Edit:
    """A message's content before one chat.update (or replace_original)."""

    text: str
    blocks: list[dict[str, Any]]
    edited_at: str


@dataclass
class Message:
    channel: str
    ts: str
    user: str
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    thread_ts: str | None = None
    metadata: dict[str, Any] | None = None
    edits: list[Edit] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    bot_id: str | None = None
    reply_broadcast: bool = False

    @property
    def all_text(self) -> str:
        """The text fallback plus every text in the blocks."""
        return "\n".join(part for part in (self.text, blocks_text(self.blocks)) if part)

    def to_slack(self, team_id: str, include_metadata: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": "message",
            "user": self.user,
            "text": self.text,
            "ts": self.ts,
            "team": team_id,
        }
        if self.bot_id:
            data["bot_id"] = self.bot_id
        if self.blocks:
            data["blocks"] = self.blocks
        if self.attachments:
            data["attachments"] = self.attachments
        if self.thread_ts:
            data["thread_ts"] = self.thread_ts
        if self.files:
            data["subtype"] = "file_share"
            data["files"] = [{"id": file_id} for file_id in self.files]
        if self.edits:
            data["edited"] = {"user": self.user, "ts": self.edits[-1].edited_at}
        if include_metadata and self.metadata:
            data["metadata"] = self.metadata
        return data


@dataclass
class Ephemeral:
    channel: str
    user: str
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    ts: str = ""
    thread_ts: str | None = None
    source: str = "chat.postEphemeral"

    @property
    def all_text(self) -> str:
        return "\n".join(part for part in (self.text, blocks_text(self.blocks)) if part)


@dataclass
class View:
    id: str
    type: str
    user: str | None
    payload: dict[str, Any]
    hash: str
    team_id: str
    app_id: str
    bot_id: str
    root_view_id: str | None = None
    previous_view_id: str | None = None
    external_id: str = ""
    closed: bool = False
    errors: dict[str, str] = field(default_factory=dict)
    state_values: dict[str, dict[str, Any]] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def callback_id(self) -> str:
        return str(self.payload.get("callback_id", ""))

    @property
    def private_metadata(self) -> str:
        return str(self.payload.get("private_metadata", ""))

    @property
    def blocks(self) -> list[dict[str, Any]]:
        return list(self.payload.get("blocks", []))

    @property
    def title(self) -> str:
        return str((self.payload.get("title") or {}).get("text", ""))

    @property
    def all_text(self) -> str:
        return blocks_text(self.blocks)

    @property
    def view(self) -> dict[str, Any]:
        """The view as Slack returns it from views.* and sends it in interaction payloads."""
        data: dict[str, Any] = {
            "id": self.id,
            "team_id": self.team_id,
            "type": self.type,
            "blocks": self.blocks,
            "private_metadata": self.private_metadata,
            "callback_id": self.callback_id,
            "state": {"values": self.state_values},
            "hash": self.hash,
            "clear_on_close": bool(self.payload.get("clear_on_close", False)),
            "notify_on_close": bool(self.payload.get("notify_on_close", False)),
            "root_view_id": self.root_view_id or self.id,
            "previous_view_id": self.previous_view_id,
            "app_id": self.app_id,
            "external_id": self.external_id,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        for key in ("title", "close", "submit"):
            data[key] = self.payload.get(key)
        return data


@dataclass
class FakeFile:
    id: str
    filename: str
    length: int
    title: str = ""
    content: bytes | None = None
    channels: list[str] = field(default_factory=list)
    initial_comment: str | None = None
    alt_txt: str | None = None
    snippet_type: str | None = None
    thread_ts: str | None = None
    completed: bool = False
    created: int = 0

    def to_slack(self, team_domain: str, user: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "created": self.created,
            "timestamp": self.created,
            "name": self.filename,
            "title": self.title or self.filename,
            "user": user,
            "size": len(self.content or b""),
            "mode": "hosted",
            "is_external": False,
            "url_private": f"https://files.slack.com/files-pri/{self.id}/{self.filename}",
            "permalink": f"https://{team_domain}.slack.com/files/{user}/{self.id}/{self.filename}",
            "channels": list(self.channels),
        }


@dataclass
class ResponseTarget:
    """Where a response_url handed out with a command or an action leads."""

    user: str
    channel: str
    issued_at: float
    message_ts: str | None = None
    ephemeral: Ephemeral | None = None
    uses: int = 0


@dataclass
class ResponseUrlPost:
    token: str
    body: dict[str, Any]
    user: str | None
    channel: str | None
    outcome: str
    ok: bool
