"""Serve an ASGI app on a free 127.0.0.1 port inside the running event loop (tests, sandbox)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn


@asynccontextmanager
async def serve_asgi(
    app: Any, *, host: str = "127.0.0.1", port: int = 0, startup_timeout: float = 10.0
) -> AsyncIterator[str]:
    """``async with serve_asgi(app) as base_url:`` yields ``http://127.0.0.1:PORT``; ``port``
    0 picks a free one (give one when the app must know its own address, like the sandbox)."""
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    loop = asyncio.get_running_loop()
    deadline = loop.time() + startup_timeout
    while not server.started:
        if task.done():
            # serve() ended without starting (e.g. app startup failed): surface why.
            task.result()
            raise RuntimeError("uvicorn stopped before it started serving")
        if loop.time() > deadline:
            server.should_exit = True
            await asyncio.wait_for(task, timeout=startup_timeout)
            raise TimeoutError(f"uvicorn did not start within {startup_timeout}s")
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=startup_timeout)
