"""`/mod`: warn and ban platform users, cases, history, the moderation queue (SPEC §5.4)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.bootstrap import Container
from commands.framework import SlashCommand
from commands.moderation import handlers, interactions

MOD = SlashCommand("/mod", default="help")


def register(app: AsyncApp, container: Container) -> None:
    handlers.attach(MOD)
    interactions.register(app, container)

    @app.command("/mod")
    async def mod(ack: Any, body: dict[str, Any]) -> None:
        await MOD.dispatch(container, body, ack)
