"""Sandbox Slack: an in-process fake of the Slack Web API and a simulator of Slack's side."""

from bot.sandbox.blockkit import validate_blocks, validate_view
from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.http import build_fake_slack_router, create_fake_slack_app
from bot.sandbox.serving import serve_asgi
from bot.sandbox.simulator import SimResponse, SlackSimulator
from bot.sandbox.waiting import eventually

__all__ = [
    "FakeSlack",
    "SimResponse",
    "SlackSimulator",
    "build_fake_slack_router",
    "create_fake_slack_app",
    "eventually",
    "serve_asgi",
    "validate_blocks",
    "validate_view",
]
