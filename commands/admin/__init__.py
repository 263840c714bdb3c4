"""`/platops`: who am I, roles, departments, platforms, API keys."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.bootstrap import Container
from commands.admin import handlers
from commands.framework import SlashCommand

PLATOPS = SlashCommand("/platops", default="help")


def register(app: AsyncApp, container: Container) -> None:
    handlers.attach(PLATOPS)

    @app.command("/platops")
    async def platops(ack: Any, body: dict[str, Any]) -> None:
        await PLATOPS.dispatch(container, body, ack)
