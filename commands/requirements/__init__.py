"""`/req`: submit, approve and build platform requirements (Art. 6; SPEC §5.1)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.bootstrap import Container
from commands.framework import SlashCommand
from commands.requirements import actions, handlers

REQ = SlashCommand("/req", default="new")


def register(app: AsyncApp, container: Container) -> None:
    handlers.attach(REQ)

    @app.command("/req")
    async def req(ack: Any, body: dict[str, Any]) -> None:
        await REQ.dispatch(container, body, ack)

    actions.register(app, container)
