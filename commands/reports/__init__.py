"""`/report`: operations reports now (preview or posted here) and on schedules (SPEC §5.3)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.bootstrap import Container
from commands.framework import SlashCommand
from commands.reports import handlers

REPORT = SlashCommand("/report", default="now")


def register(app: AsyncApp, container: Container) -> None:
    handlers.attach(REPORT)

    @app.command("/report")
    async def report(ack: Any, body: dict[str, Any]) -> None:
        await REPORT.dispatch(container, body, ack)
