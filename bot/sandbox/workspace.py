"""The sandbox workspace inside `platops serve` when no Slack credentials are set (SPEC §9).

The fake Slack Web API is mounted at /sandbox/slack on the bot's own server and the bot's Slack
client points there, so every flow works on a fresh machine without a Slack workspace. It is never
mounted when real credentials are configured.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.bootstrap import SANDBOX_BOT_TOKEN
from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.http import build_fake_slack_router
from bot.settings import Settings

SANDBOX_PATH = "/sandbox"
SLACK_PATH = f"{SANDBOX_PATH}/slack"


class SandboxRefused(RuntimeError):
    """Raised if anything tries to start the sandbox next to real Slack credentials."""


def sandbox_settings(settings: Settings) -> Settings:
    """Point the Slack client at the in-process fake served by this same process."""
    if not settings.sandbox:
        raise SandboxRefused("Slack credentials are set: the sandbox never runs next to them")
    url = f"http://{settings.host}:{settings.port}{SLACK_PATH}/api/"
    return settings.model_copy(update={"slack_api_url": url})


@dataclass
class SandboxWorkspace:
    fake: FakeSlack
    handlers: list[Any]


def build_sandbox(settings: Settings) -> SandboxWorkspace:
    if not settings.sandbox:
        raise SandboxRefused("Slack credentials are set: the sandbox never runs next to them")
    fake = FakeSlack(bot_token=SANDBOX_BOT_TOKEN)
    return SandboxWorkspace(fake, [build_fake_slack_router(fake, SLACK_PATH)])
