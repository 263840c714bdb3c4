"""Ack latency of signed slash commands (`/platops whoami` by default) under concurrency.

    ./dev bench benchmarks/slash_ack.py --requests 5000 --concurrency 50

Starts `platops serve` in its own process on a fresh SQLite database, with a fake Slack Web API on
127.0.0.1 (nothing leaves the machine), seeds a few hundred users with roles, warms up, then fires
signed requests exactly as Slack sends them and prints req/s and p50/p95/p99 of the HTTP answer
(which, with process_before_response, is the ack). Target (SPEC §8): p99 < 300 ms at 50 concurrent.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import logging
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

from benchmarks.common import fire, free_port, start_server
from bot.sandbox import FakeSlack, create_fake_slack_app
from bot.sandbox.serving import serve_asgi

TOKEN = "xoxb-bench-token"
SECRET = "bench-signing-secret"
USERS = 300


def signed(body: bytes) -> dict[str, str]:
    timestamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256)
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": f"v0={digest.hexdigest()}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def command_body(user_id: str, text: str) -> bytes:
    return urlencode(
        {
            "token": "x",
            "team_id": "T0SANDBOX",
            "channel_id": "CBENCH",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": "/platops",
            "text": text,
            "response_url": "http://127.0.0.1:9/unused",
            "trigger_id": "t.1",
        }
    ).encode()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--text", default="whoami")
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)

    fake = FakeSlack(bot_token=TOKEN)
    users = [f"UBENCH{i:04d}" for i in range(USERS)]
    for user_id in users:
        fake.add_user(user_id, user_id.lower())
    fake.add_channel("CBENCH", "bench", members=users)
    async with serve_asgi(create_fake_slack_app(fake)) as slack_url:
        with tempfile.TemporaryDirectory() as tmp:
            env = {
                "SLACK_BOT_TOKEN": TOKEN,
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": f"{slack_url}/slack/api/",
                "PLATOPS_DATABASE_URL": f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}",
                "PLATOPS_ADMINS": ",".join(users[:20]),
            }
            server = await asyncio.to_thread(start_server, env, free_port())
            try:
                async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:

                    async def once(i: int) -> bool:
                        body = command_body(users[i % USERS], args.text)
                        response = await http.post(
                            "/slack/events", content=body, headers=signed(body)
                        )
                        return response.status_code == 200

                    await fire(USERS * 2, 10, once)  # warm-up: every user's profile is cached
                    report = await fire(args.requests, args.concurrency, once)
                print(report.summary(f"/platops {args.text} at concurrency {args.concurrency}"))
            finally:
                server.stop()


if __name__ == "__main__":
    asyncio.run(main())
