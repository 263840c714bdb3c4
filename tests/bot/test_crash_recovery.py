"""`kill -9` while messages are queued, then a restart: every message is delivered exactly once."""

import asyncio
import time

from benchmarks.common import free_port, start_server
from bot.sandbox import SlackSimulator, create_fake_slack_app
from bot.sandbox.serving import serve_asgi
from tests.support.harness import BOT_TOKEN, SIGNING_SECRET, make_fake_slack

GRANTEES = ["UBOB", "UCAROL", "UDAVE", "UERIN", "UNINA"]


def successful_publishes(fake):
    return sorted(c.args.get("user_id") for c in fake.calls_to("views.publish") if c.ok)


async def test_kill_9_with_queued_messages_then_restart_delivers_each_once(tmp_path):
    fake = make_fake_slack()
    async with serve_asgi(create_fake_slack_app(fake)) as slack_url:
        port = free_port()
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": f"{slack_url}/slack/api/",
            "PLATOPS_ADMINS": "UALICE",
            "PLATOPS_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'crash.db'}",
        }
        server = await asyncio.to_thread(start_server, env, port, 90, tmp_path / "server.log")
        sim = SlackSimulator(
            fake, f"{server.url}/slack/events", SIGNING_SECRET, f"{slack_url}/slack"
        )
        try:
            fake.outage(True)  # Slack is down: every grant's home refresh stays queued
            for user_id in GRANTEES:
                response = await sim.command(
                    "UALICE", "/platops", f"role grant <@{user_id}> auditor"
                )
                assert response.status == 200
            await asyncio.sleep(0.5)
            server.process.kill()  # SIGKILL: no shutdown hooks run
            server.process.wait(timeout=10)
        finally:
            server.stop()
            await sim.aclose()
        assert successful_publishes(fake) == []

        fake.outage(False)
        restarted = await asyncio.to_thread(start_server, env, port, 90, tmp_path / "server.log")
        try:
            deadline = time.monotonic() + 30
            while len(successful_publishes(fake)) < len(GRANTEES) and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            await asyncio.sleep(1.0)  # anything delivered twice would show up by now
        finally:
            restarted.stop()
    assert successful_publishes(fake) == sorted(GRANTEES)
