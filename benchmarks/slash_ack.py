"""Ack latency of signed slash commands (`/platops whoami` by default) under concurrency.

    ./dev bench benchmarks/slash_ack.py --concurrency 50 --seconds 10

Starts `platops serve` in its own process (pinned to core 0) on a fresh SQLite database, with a
fake Slack Web API on 127.0.0.1 (nothing leaves the machine), makes 300 users known (20 admins),
warms up, then fires signed requests exactly as Slack sends them, rotating through the users, and
prints req/s and latency percentiles of the HTTP answer (with process_before_response, the ack).
Load comes from wrk on core 1 when it is installed (`apt-get install wrk`), else from Python.
Target (SPEC §8): p99 < 300 ms at 50 concurrent on a 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import logging
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

from benchmarks.common import (
    fire,
    free_port,
    pin_to_cpu,
    run_wrk,
    start_server,
    wrk_available,
)
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


WRK_SCRIPT = """
bodies = {%s}
signatures = {%s}
timestamp = "%s"
counter = 0
request = function()
  counter = counter + 1
  local i = (counter %% #bodies) + 1
  wrk.headers["X-Slack-Request-Timestamp"] = timestamp
  wrk.headers["X-Slack-Signature"] = signatures[i]
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  return wrk.format("POST", "/slack/events", nil, bodies[i])
end
"""


def wrk_script(users: list[str], text: str) -> str:
    """Signed bodies, one per user, rotated. Slack's signature stays valid for 5 minutes, so the
    bodies are signed once up front."""
    bodies = [command_body(user_id, text) for user_id in users]
    headers = [signed(body) for body in bodies]
    return WRK_SCRIPT % (
        ", ".join(json.dumps(b.decode()) for b in bodies),
        ", ".join(json.dumps(h["X-Slack-Signature"]) for h in headers),
        headers[0]["X-Slack-Request-Timestamp"],
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--text", default="whoami")
    parser.add_argument("--seconds", type=int, default=10, help="wrk run length")
    parser.add_argument(
        "--python-client",
        action="store_true",
        help="load from Python (httpx) even when wrk is installed; the client then costs as "
        "much CPU as the server and inflates the tail",
    )
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
            prefix = pin_to_cpu(1)  # load here on core 1, the server on core 0
            server = await asyncio.to_thread(start_server, env, free_port(), 60, None, prefix)
            try:
                async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:

                    async def once(i: int) -> bool:
                        body = command_body(users[i % USERS], args.text)
                        response = await http.post(
                            "/slack/events", content=body, headers=signed(body)
                        )
                        return response.status_code == 200

                    await fire(USERS * 2, 10, once)  # warm-up: every user's profile is cached
                    label = f"/platops {args.text} at concurrency {args.concurrency}"
                    if wrk_available() and not args.python_client:
                        lua = wrk_script(users, args.text)
                        print(
                            await asyncio.to_thread(
                                run_wrk,
                                server.url,
                                lua,
                                args.concurrency,
                                args.seconds,
                                Path(tmp),
                                label,
                            )
                        )
                        return
                    report = await fire(args.requests, args.concurrency, once)
                print(report.summary(label + " (Python client)"))
            finally:
                server.stop()


if __name__ == "__main__":
    asyncio.run(main())
