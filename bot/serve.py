"""`platops serve`: migrations, bootstrap, then uvicorn (plus Socket Mode when configured)."""

from __future__ import annotations

import logging
import sys
from typing import Any

import uvicorn
from litestar import Litestar

from bot.app import create_app
from bot.bootstrap import Container, build_container
from bot.settings import Settings
from domain.people.services import bootstrap_admins
from storage.migrate import upgrade

log = logging.getLogger("platops")


async def prepare(container: Container) -> None:
    """Everything `serve` does before accepting requests (idempotent)."""
    await upgrade(container.database.writer)
    if container.settings.admin_ids:
        async with container.uow() as uow:
            added = await bootstrap_admins(uow, container.settings.admin_ids)
            await uow.commit()
        if added:
            log.info("granted admin to %s (PLATOPS_ADMINS)", ", ".join(added))
    if container.settings.config_file is not None:
        from bot.config_file import apply_config_file

        # An invalid file stops the start with the file's own error: fail fast, change nothing.
        plan = await apply_config_file(container, container.settings.config_file)
        log.info("PLATOPS_CONFIG %s: %s", container.settings.config_file, plan.summary())
    sandbox = container.extras.get("sandbox")
    if sandbox is not None:
        await sandbox.seed(container)


def build_serve_app(settings: Settings) -> tuple[Litestar, Container]:
    """The app `serve` runs (with the sandbox when no Slack credentials are set), and its
    container (whose settings are the ones it runs with)."""
    extra_handlers: list[Any] = []
    sandbox = None
    if settings.sandbox:
        from bot.sandbox.workspace import build_sandbox, sandbox_settings

        settings = sandbox_settings(settings)
        sandbox = build_sandbox(settings)
        extra_handlers = sandbox.handlers
    container = build_container(settings)
    if sandbox is not None:
        container.extras["sandbox"] = sandbox
        sandbox.container = container
    return create_app(container, extra_handlers=extra_handlers), container  # startup: prepare()


def serve(settings: Settings) -> int:
    from bot.sandbox.workspace import SandboxRefused, local_base_url

    try:
        app, container = build_serve_app(settings)
    except SandboxRefused as error:
        print(f"platops: {error}", file=sys.stderr)
        return 2
    settings = container.settings
    if settings.sandbox:
        # Printed, not only logged: this is the line a person starting `./dev serve` looks for.
        print(
            f"No Slack credentials: sandbox workspace at {local_base_url(settings)}/sandbox",
            flush=True,
        )
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        access_log=False,  # every Slack event would be a line; the app logs what matters
        proxy_headers=True,
        timeout_graceful_shutdown=10,
    )
    return 0
