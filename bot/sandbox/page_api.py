"""The sandbox page's JSON/SSE API under /sandbox/api (read state, act as a person, live updates).

Every action goes through `SlackSimulator`, so the bot gets the same signed requests at its real
`/slack/events` as from Slack; nothing here calls the bot's code directly.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litestar import MediaType, Response, Router, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import File, ServerSentEvent
from litestar.static_files import create_static_files_router
from pydantic import BaseModel, Field

from bot.i18n import LANGUAGES, catalog
from bot.sandbox.models import Ephemeral, Message, SlackError
from bot.sandbox.page_state import person, snapshot
from bot.sandbox.simulator import SimResponse

if TYPE_CHECKING:
    from bot.sandbox.workspace import SandboxWorkspace

log = logging.getLogger("platops.sandbox")
STATIC_DIR = Path(__file__).parent / "static"
# An SSE stream ends after this long and the browser reconnects: no connection outlives a
# shutdown by much, and a proxy's idle timeout never cuts one silently.
STREAM_SECONDS = 25.0
POLL_SECONDS = 0.2


class CommandIn(BaseModel):
    user: str
    channel: str
    text: str = Field(min_length=1, max_length=4000)


class Location(BaseModel):
    """Where the clicked element is: a message, an ephemeral (by channel + ts) or a view."""

    kind: str = Field(pattern="^(message|ephemeral|view)$")
    channel: str | None = None
    ts: str | None = None
    view_id: str | None = None


class ActionIn(BaseModel):
    user: str
    action_id: str
    block_id: str | None = None
    value: Any = None
    location: Location
    # What the person typed elsewhere in the same view before this action (Slack sends it).
    values: dict[str, Any] = Field(default_factory=dict)


class SubmitIn(BaseModel):
    user: str
    view_id: str
    values: dict[str, Any] = Field(default_factory=dict)


class CloseIn(BaseModel):
    user: str
    view_id: str
    all_views: bool = False


class UserIn(BaseModel):
    user: str


def _problem(message: str, status: int = 422) -> Response[dict[str, Any]]:
    return Response({"ok": False, "error": message}, status_code=status)


def _answer(response: SimResponse | None) -> dict[str, Any]:
    if response is None:
        return {"ok": True, "status": None}
    return {"ok": response.ok, "status": response.status}


def page_texts() -> dict[str, dict[str, str]]:
    """The page's own labels in every language (keys starting with `sandbox.`)."""
    return {
        language: {k: v for k, v in catalog(language).items() if k.startswith("sandbox.")}
        for language in LANGUAGES
    }


def build_page_router(workspace: SandboxWorkspace) -> Router:
    fake = workspace.fake

    def known(user_id: str) -> None:
        if user_id not in fake.users or fake.users[user_id].is_bot:
            raise NotFoundException(f"no person {user_id!r} in the sandbox workspace")

    @get("/sandbox", include_in_schema=False)
    async def page() -> Response[bytes]:
        return Response((STATIC_DIR / "index.html").read_bytes(), media_type=MediaType.HTML)

    @get("/workspace", include_in_schema=False)
    async def workspace_info() -> dict[str, Any]:
        roles = await workspace.roles_by_user()
        people = [
            person(user, roles.get(user.id, []))
            for user in fake.users.values()
            if not user.is_bot and not user.deleted
        ]
        bot = fake.users[fake.bot_user_id]
        return {
            "team": {"id": fake.team_id, "domain": fake.team_domain},
            "bot": {"id": bot.id, "name": bot.real_name},
            "people": people,
            "channels": [
                {"id": c.id, "name": c.name} for c in fake.channels.values() if not c.is_im
            ],
            "commands": workspace.commands,
            "texts": page_texts(),
        }

    @get("/state", include_in_schema=False)
    async def state(user: FromQuery[str]) -> dict[str, Any]:
        known(user)
        return snapshot(fake, user, workspace.revision)

    @get("/events", include_in_schema=False)
    async def events() -> ServerSentEvent:
        async def changes() -> AsyncIterator[str]:
            loop = asyncio.get_running_loop()
            until = loop.time() + STREAM_SECONDS
            last = workspace.fingerprint()
            yield "hello"
            while loop.time() < until:
                await asyncio.sleep(POLL_SECONDS)
                current = workspace.fingerprint()
                if current != last:
                    last = current
                    yield str(workspace.revision)

        return ServerSentEvent(changes(), event_type="change", retry_duration=1000)

    @get("/files/{file_id:str}", include_in_schema=False)
    async def file_content(file_id: FromPath[str]) -> Response[bytes]:
        upload = fake.files.get(file_id)
        if upload is None or upload.content is None:
            raise NotFoundException(f"no file {file_id!r}")
        media_type = mimetypes.guess_type(upload.filename)[0] or "application/octet-stream"
        return Response(upload.content, media_type=media_type)

    @get("/fonts/cjk", include_in_schema=False)
    async def cjk_font() -> File:
        # A fresh machine often has no Chinese font: without this the page shows boxes for
        # every Chinese text. The reports' charts already ship one; the page borrows it.
        path = cjk_font_path()
        if path is None:
            raise NotFoundException("no CJK font is installed (package noto-cjk-sans-otc)")
        return File(
            path,
            filename=path.name,
            media_type="font/collection",
            content_disposition_type="inline",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    @post("/command", status_code=200, include_in_schema=False)
    async def command(data: JSONBody[CommandIn]) -> Response[dict[str, Any]]:
        known(data.user)
        text = data.text.strip()
        if not text.startswith("/"):
            # A plain message: it is posted as the person; the bot hears it as an event.
            said = await workspace.act(workspace.sim.say, data.user, data.channel, text)
            return Response(_answer(said))
        name, _, arguments = text.partition(" ")
        if workspace.commands and name not in {c["command"] for c in workspace.commands}:
            return _problem(f"{name} is not a valid command")
        response = await workspace.act(
            workspace.sim.command, data.user, name, arguments.strip(), channel_id=data.channel
        )
        if not response.ok:
            return _problem(f'{name} failed with the error "dispatch_failed"', 502)
        return Response(_answer(response))

    @post("/action", status_code=200, include_in_schema=False)
    async def action(data: JSONBody[ActionIn]) -> Response[dict[str, Any]]:
        known(data.user)
        where = data.location
        target: dict[str, Any]
        if where.kind == "view":
            if not where.view_id:
                return _problem("view_id is required for an action in a view", 400)
            if data.values:
                workspace.sim.fill(data.user, where.view_id, data.values)
            target = {"view_id": where.view_id}
        else:
            found = _find_message(workspace, data.user, where)
            if found is None:
                return _problem("that message is gone", 404)
            target = {"message": found}
        response = await workspace.act(
            workspace.sim.click,
            data.user,
            data.action_id,
            block_id=data.block_id,
            value=data.value,
            **target,
        )
        return Response(_answer(response))

    @post("/submit", status_code=200, include_in_schema=False)
    async def submit(data: JSONBody[SubmitIn]) -> Response[dict[str, Any]]:
        known(data.user)
        response = await workspace.act(workspace.sim.submit, data.user, data.view_id, data.values)
        return Response(_answer(response))

    @post("/close", status_code=200, include_in_schema=False)
    async def close(data: JSONBody[CloseIn]) -> Response[dict[str, Any]]:
        known(data.user)
        response = await workspace.act(
            workspace.sim.close, data.user, data.view_id, all_views=data.all_views
        )
        return Response(_answer(response))

    @post("/home", status_code=200, include_in_schema=False)
    async def open_home(data: JSONBody[UserIn]) -> Response[dict[str, Any]]:
        known(data.user)
        return Response(_answer(await workspace.act(workspace.sim.open_home, data.user)))

    api = Router(
        path="/sandbox/api",
        route_handlers=[
            *(workspace_info, state, events, file_content, cjk_font),
            *(command, action, submit, close, open_home),
        ],
    )
    static = create_static_files_router(
        path="/sandbox/static", directories=[STATIC_DIR], include_in_schema=False
    )
    return Router(path="/", route_handlers=[page, api, static])


def cjk_font_path() -> Path | None:
    try:
        from noto_cjk_sans_otc import FONT_PATH
    except ImportError:
        return None
    path = Path(FONT_PATH)
    return path if path.is_file() else None


def _find_message(
    workspace: SandboxWorkspace, user_id: str, where: Location
) -> Message | Ephemeral | None:
    fake = workspace.fake
    if where.kind == "ephemeral":
        return next(
            (
                e
                for e in fake.ephemerals
                if e.user == user_id and e.channel == where.channel and e.ts == where.ts
            ),
            None,
        )
    try:
        return fake.message_at(where.channel or "", where.ts)
    except SlackError:
        return None
