"""`/incident`: declare, acknowledge, resolve, notes, severity, on-call rotations (SPEC §5.2)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.bootstrap import Container
from commands.framework import SlashCommand
from commands.incidents import handlers, interactions

INCIDENT = SlashCommand("/incident", default="declare")


def register(app: AsyncApp, container: Container) -> None:
    handlers.attach(INCIDENT)
    interactions.register(app, container)

    @app.command("/incident")
    async def incident(ack: Any, body: dict[str, Any]) -> None:
        await INCIDENT.dispatch(container, body, ack)
