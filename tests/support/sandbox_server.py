"""`platops serve` in sandbox mode inside the test's event loop: the app built exactly as `serve`
builds it (fake Slack mounted, page, seed on start, scheduler and outbox running), on a free
127.0.0.1 port it must know in advance (the simulator posts to the bot's own URL)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from bot.bootstrap import Container
from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.serving import serve_asgi
from bot.sandbox.workspace import SandboxWorkspace
from bot.serve import build_serve_app
from bot.settings import load_settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class SandboxServer:
    url: str
    container: Container
    http: httpx.AsyncClient

    @property
    def workspace(self) -> SandboxWorkspace:
        return self.container.extras["sandbox"]

    @property
    def fake(self) -> FakeSlack:
        return self.workspace.fake

    async def act(self, path: str, **body: Any) -> httpx.Response:
        return await self.http.post(f"/sandbox/api/{path}", json=body)

    async def state(self, user: str) -> dict[str, Any]:
        response = await self.http.get("/sandbox/api/state", params={"user": user})
        response.raise_for_status()
        return response.json()


@asynccontextmanager
async def sandbox_server(database_url: str) -> AsyncIterator[SandboxServer]:
    port = free_port()
    settings = load_settings(PLATOPS_DATABASE_URL=database_url, PLATOPS_PORT=port)
    assert settings.sandbox, "the test environment must not carry Slack credentials"
    app, container = build_serve_app(settings)
    try:
        async with (
            serve_asgi(app, port=port, startup_timeout=30) as url,
            httpx.AsyncClient(base_url=url, timeout=20) as http,
        ):
            yield SandboxServer(url, container, http)
    finally:
        await container.extras["sandbox"].sim.aclose()
        await container.database.dispose()
