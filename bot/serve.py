"""`platops serve`: migrations, bootstrap, then uvicorn (plus Socket Mode when configured)."""

from __future__ import annotations

import logging

import uvicorn

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


def serve(settings: Settings) -> int:
    extra_handlers = []
    if settings.sandbox:
        from bot.sandbox.workspace import build_sandbox, sandbox_settings

        settings = sandbox_settings(settings)
        sandbox = build_sandbox(settings)
        extra_handlers = sandbox.handlers
    container = build_container(settings)
    if settings.sandbox:
        container.extras["sandbox"] = sandbox
    app = create_app(container, extra_handlers=extra_handlers)  # startup runs prepare()
    if settings.sandbox:
        log.info(
            "no Slack credentials: sandbox workspace at http://%s:%s/sandbox",
            settings.host,
            settings.port,
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
