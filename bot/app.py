"""Assembles the process: Bolt at /slack/events, the admin API, health checks, the sandbox."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Response, get
from litestar.handlers import asgi
from litestar.types import Receive, Scope, Send
from slack_bolt.adapter.asgi.async_handler import AsyncSlackRequestHandler
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot.bootstrap import Container
from bot.outbox import OutboxDispatcher
from bot.slack_app import build_bolt_app
from commands.notices import notice_renderers
from storage.migrate import is_current

log = logging.getLogger("platops")


@get("/healthz", sync_to_thread=False, include_in_schema=False)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


async def connect_socket_mode(bolt: AsyncApp, app_token: str) -> AsyncSocketModeHandler:
    """Receive Slack's requests over Socket Mode (no public URL needed) with the same Bolt app."""
    handler = AsyncSocketModeHandler(bolt, app_token)
    await handler.connect_async()  # type: ignore[no-untyped-call]
    log.info("connected to Slack through Socket Mode")
    return handler


def create_app(
    container: Container, *, background: bool = True, extra_handlers: list[Any] | None = None
) -> Litestar:
    """The ASGI app. With `background`, the outbox dispatcher and the scheduler run inside it."""
    bolt = build_bolt_app(container)
    slack_handler = AsyncSlackRequestHandler(bolt, path="/slack/events")
    dispatcher = OutboxDispatcher(container, notice_renderers())
    container.extras["dispatcher"] = dispatcher
    container.extras["bolt"] = bolt

    @asgi("/slack/events", copy_scope=True, include_in_schema=False)
    async def slack_events(scope: Scope, receive: Receive, send: Send) -> None:
        await slack_handler(scope, receive, send)  # type: ignore[arg-type]

    @get("/readyz", include_in_schema=False)
    async def readyz() -> Response[dict[str, Any]]:
        checks: dict[str, Any] = {}
        try:
            checks["migrations_current"] = await is_current(container.database.reader)
            checks["database"] = True
        except Exception as error:  # report, don't crash: this is what readyz is for
            checks["database"] = False
            checks["error"] = type(error).__name__
        scheduler = container.extras.get("scheduler")
        checks["scheduler_running"] = bool(scheduler and scheduler.running) or not background
        ready = (
            checks.get("database")
            and checks.get("migrations_current")
            and checks["scheduler_running"]
        )
        return Response({"ready": bool(ready), "checks": checks}, status_code=200 if ready else 503)

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        socket_mode = None
        if background:
            from bot.serve import prepare

            await prepare(container)
            # Everything built so far lives as long as the process: keep it out of the
            # collector's way, so full collections stay short under load (fewer ack-time pauses).
            gc.collect()
            gc.freeze()
            await dispatcher.start()
            from scheduler import start_scheduler

            container.extras["scheduler"] = await start_scheduler(container)
            if container.settings.slack_app_token:
                socket_mode = await connect_socket_mode(bolt, container.settings.slack_app_token)
        try:
            yield
        finally:
            if socket_mode is not None:
                await socket_mode.close_async()  # type: ignore[no-untyped-call]
            scheduler = container.extras.pop("scheduler", None)
            if scheduler is not None:
                scheduler.shutdown(wait=False)
            await dispatcher.stop()

    from api import api_router

    handlers: list[Any] = [healthz, readyz, slack_events, api_router(container)]
    handlers.extend(extra_handlers or [])
    from api.errors import app_exception_handlers
    from api.openapi import openapi_config

    return Litestar(
        route_handlers=handlers,
        lifespan=[lifespan],
        openapi_config=openapi_config(),
        exception_handlers=app_exception_handlers(),
        request_max_body_size=1_048_576,
        debug=False,
    )
