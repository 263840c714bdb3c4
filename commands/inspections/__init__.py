"""`/inspect`: inspection plans, due runs, the checklist, history (SPEC §5.3)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.bootstrap import Container
from commands.framework import SlashCommand
from commands.inspections import handlers
from commands.inspections.interactions import register_interactions

INSPECT = SlashCommand("/inspect", default="due")


def register(app: AsyncApp, container: Container) -> None:
    handlers.attach(INSPECT)
    register_interactions(app, container)

    @app.command("/inspect")
    async def inspect(ack: Any, body: dict[str, Any]) -> None:
        await INSPECT.dispatch(container, body, ack)
