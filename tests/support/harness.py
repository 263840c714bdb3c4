"""The end-to-end harness: the real app on 127.0.0.1, the fake Slack Web API, signed requests.

Nothing is mocked: slack_sdk reaches the fake over HTTP through SLACK_API_URL, Bolt verifies every
signature, and the outbox is delivered by the real dispatcher (drained on demand so tests are
deterministic). Time is a ManualClock that tests advance.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.app import create_app
from bot.bootstrap import Container, build_container
from bot.clock import ManualClock
from bot.outbox import OutboxDispatcher
from bot.sandbox import FakeSlack, SlackSimulator, create_fake_slack_app
from bot.sandbox.serving import serve_asgi
from bot.settings import load_settings
from domain.access import Actor
from domain.org import services as org
from domain.people import services as people
from storage.db import Database

BOT_TOKEN = "xoxb-test-token"
SIGNING_SECRET = "test-signing-secret-0123456789"

# The cast every end-to-end test can use: (user id, name, locale).
PEOPLE = {
    "UALICE": ("alice", "en-US"),  # admin
    "UBOB": ("bob", "en-US"),  # member of marketing
    "UCAROL": ("carol", "en-US"),  # approver of marketing
    "UDAVE": ("dave", "en-US"),  # approver of marketing
    "UERIN": ("erin", "en-US"),  # engineer
    "UOSCAR": ("oscar", "en-US"),  # operator of web
    "UOLIVIA": ("olivia", "en-US"),  # operator of web
    "UMONA": ("mona", "en-US"),  # moderator
    "UMIKE": ("mike", "en-US"),  # moderator
    "UAUDREY": ("audrey", "en-US"),  # auditor
    "UZHANG": ("zhang", "zh-CN"),  # member of marketing, reads Chinese
    "UNINA": ("nina", "en-US"),  # no roles
}
CHANNELS = {
    "CMARKETING": "marketing",
    "CWEBOPS": "web-ops",
    "CMODLOG": "moderation-log",
    "CREPORTS": "ops-reports",
    "CGENERAL": "general",
}


@dataclass
class Harness:
    container: Container
    fake: FakeSlack
    sim: SlackSimulator
    clock: ManualClock
    bot_url: str
    slack_url: str
    http: httpx.AsyncClient
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def dispatcher(self) -> OutboxDispatcher:
        return self.container.extras["dispatcher"]

    async def settle(self) -> None:
        """Let everything queued happen: profile refreshes, then outbox deliveries."""
        await self.container.extras["profiles"].settle()
        await self.dispatcher.drain()

    async def command(self, user_id: str, command: str, text: str = "", **kw: Any) -> Any:
        response = await self.sim.command(user_id, command, text, **kw)
        await self.settle()
        return response

    async def seed_org(self) -> None:
        """The demo organisation: marketing department, web platform, and the cast's roles."""
        system = Actor.system("test")
        async with self.container.uow() as uow:
            await org.add_department(uow, system, "marketing", "Marketing", "CMARKETING")
            await org.add_platform(uow, system, "web", "Web shop", "CWEBOPS", "CMODLOG")
            for user_id, role, scope in [
                ("UALICE", "admin", None),
                ("UBOB", "member", "marketing"),
                ("UZHANG", "member", "marketing"),
                ("UCAROL", "approver", "marketing"),
                ("UDAVE", "approver", "marketing"),
                ("UERIN", "engineer", None),
                ("UOSCAR", "operator", "web"),
                ("UOLIVIA", "operator", "web"),
                ("UMONA", "moderator", None),
                ("UMIKE", "moderator", None),
                ("UAUDREY", "auditor", None),
            ]:
                await people.grant_role(uow, system, user_id, role, scope)
            await uow.commit()
        await self.settle()

    async def api(
        self, method: str, path: str, token: str | None = None, **kw: Any
    ) -> httpx.Response:
        headers = dict(kw.pop("headers", {}) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return await self.http.request(method, path, headers=headers, **kw)


def make_fake_slack(clock: ManualClock | None = None) -> FakeSlack:
    fake = FakeSlack(bot_token=BOT_TOKEN)
    for user_id, (name, locale) in PEOPLE.items():
        tz = "Asia/Shanghai" if locale == "zh-CN" else "Europe/Berlin"
        fake.add_user(
            user_id, name, real_name=name.title(), tz=tz, locale=locale, email=f"{name}@example.com"
        )
    for channel_id, name in CHANNELS.items():
        fake.add_channel(channel_id, name, members=list(PEOPLE))
    return fake


@asynccontextmanager
async def running_harness(
    database_url: str, database: Database | None = None, **settings: Any
) -> AsyncIterator[Harness]:
    clock = ManualClock()
    fake = make_fake_slack(clock)
    async with AsyncExitStack() as stack:
        slack_url = await stack.enter_async_context(serve_asgi(create_fake_slack_app(fake)))
        config = load_settings(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=f"{slack_url}/slack/api/",
            PLATOPS_DATABASE_URL=database_url,
            **settings,
        )
        container = build_container(config, clock=clock, database=database)
        app = create_app(container, background=False)
        container.extras["dispatcher"].channel_interval_s = 0
        bot_url = await stack.enter_async_context(serve_asgi(app))
        http = await stack.enter_async_context(httpx.AsyncClient(base_url=bot_url, timeout=30))
        sim = SlackSimulator(fake, f"{bot_url}/slack/events", SIGNING_SECRET, f"{slack_url}/slack")
        harness = Harness(container, fake, sim, clock, bot_url, slack_url, http)
        try:
            yield harness
        finally:
            await container.extras["dispatcher"].stop()
            await container.database.dispose()
