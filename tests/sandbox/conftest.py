from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.sandbox import FakeSlack, create_fake_slack_app, serve_asgi
from bot.sandbox.clock import ManualClock


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def fake(clock: ManualClock) -> FakeSlack:
    fake = FakeSlack(clock=clock)
    fake.add_user(
        "U1ALICE", "alice", "Alice Example", tz="Europe/Berlin", email="alice@example.com"
    )
    fake.add_user("U2BOB", "bob", "Bob Example", tz="America/New_York", email="bob@example.com")
    fake.add_channel("C0OPSWEB", "ops-web", members=["U1ALICE", "U2BOB", fake.bot_user_id])
    fake.add_channel("C0PRIV", "secret-ops", members=["U1ALICE"], is_private=True)
    return fake


@pytest.fixture
async def slack_url(fake: FakeSlack) -> AsyncIterator[str]:
    """Base URL of the fake served over real HTTP, e.g. http://127.0.0.1:PORT/slack."""
    async with serve_asgi(create_fake_slack_app(fake)) as base_url:
        yield f"{base_url}/slack"


@pytest.fixture
def client(slack_url: str, fake: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token=fake.bot_token, base_url=f"{slack_url}/api/")
