"""The platform's status lookup (`GET /api/v1/platform-users/{platform}/{external_id}`) under load.

    ./dev bench benchmarks/platform_user_lookup.py --users 100000 --cases 200000 \
        --requests 5000 --concurrency 50

Builds a migrated SQLite database with one platform, `--users` platform users and `--cases`
moderation cases (warnings, temporary and permanent bans, some expired, some open appeals),
creates a `moderation:read` API key, starts `platops serve` in its own process on 127.0.0.1, warms
up, then asks the status of random users (a tenth of them unknown to PlatOps) with `--concurrency`
clients and prints req/s and p50/p95/p99. This lookup sits on the platform's hot path.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, insert, update

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
from domain.access import Actor
from domain.apikeys.services import create_api_key
from storage.db import build_database
from storage.migrate import upgrade
from storage.models.core import ApiKeyRow, CounterRow, PlatformRow
from storage.models.moderation import ModerationCaseRow, ModerationItemRow, PlatformUserRow
from storage.uow import SqlUnitOfWork

TOKEN = "xoxb-bench-token"
SECRET = "bench-signing-secret"
BATCH = 10_000


class FixedClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def seed(path: Path, users: int, cases: int, rng: random.Random) -> None:
    """Bulk rows through Core on a plain sqlite3 connection: seconds, not minutes."""
    engine = create_engine(f"sqlite:///{path}")
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(insert(PlatformRow).values(id=1, key="web", name="Web shop"))
        for start in range(0, users, BATCH):
            conn.execute(
                insert(PlatformUserRow),
                [
                    {"id": i + 1, "platform_id": 1, "external_id": f"u{i}", "created_at": now}
                    for i in range(start, min(users, start + BATCH))
                ],
            )
        for start in range(0, cases, BATCH):
            rows = []
            for n in range(start, min(cases, start + BATCH)):
                kind = "ban" if rng.random() < 0.25 else "warning"
                permanent = kind == "ban" and rng.random() < 0.2
                age = timedelta(days=rng.uniform(0, 200))
                ends = None if permanent else now - age + timedelta(days=rng.choice((7, 30, 90)))
                rows.append(
                    {
                        "id": n + 1,
                        "number": n + 1,
                        "platform_id": 1,
                        "platform_user_id": rng.randrange(users) + 1,
                        "kind": kind,
                        "status": "active" if rng.random() < 0.9 else "revoked",
                        "rule_code": "spam",
                        "severity": "minor",
                        "notice_text": "Bench notice.",
                        "evidence": "",
                        "content_ids": [],
                        "internal_note": "",
                        "permanent": permanent,
                        "ends_at": ends,
                        "delete_content": False,
                        "pursue_responsibility": False,
                        "confirmation": "not_needed",
                        "created_by": "UBENCH",
                        "created_at": now - age,
                        "close_reason": "",
                        "version": 0,
                    }
                )
            conn.execute(insert(ModerationCaseRow), rows)
        appeals = [
            {
                "id": i + 1,
                "number": i + 1,
                "kind": "appeal",
                "platform_id": 1,
                "platform_user_id": rng.randrange(users) + 1,
                "case_id": rng.randrange(cases) + 1,
                "created_at": now,
                "text": "",
                "reporter": "",
                "content_id": "",
                "status": "open",
                "decision_note": "",
            }
            for i in range(max(1, cases // 100))
        ]
        conn.execute(insert(ModerationItemRow), appeals)
        conn.execute(insert(CounterRow), [{"name": "CASE", "value": cases}])
    engine.dispose()


async def prepare(path: Path, users: int, cases: int) -> str:
    database = build_database(f"sqlite+aiosqlite:///{path}")
    await upgrade(database.writer)
    await database.dispose()
    started = time.perf_counter()
    await asyncio.to_thread(seed, path, users, cases, random.Random(7))
    print(f"seeded {users} users and {cases} cases in {time.perf_counter() - started:.1f} s")
    database = build_database(f"sqlite+aiosqlite:///{path}")
    async with SqlUnitOfWork(database, FixedClock()) as uow:
        created = await create_api_key(uow, Actor.system("bench"), "bench", ["moderation:read"])
        await uow.commit()
    async with database.write_session() as session:
        # The platform's key gets a budget above the load we generate: we measure the lookup.
        await session.execute(update(ApiKeyRow).values(rate_limit_per_minute=10_000_000))
        await session.commit()
    await database.dispose()
    return created.token


WRK_ME = """
wrk.headers["Authorization"] = "Bearer %s"
request = function() return wrk.format("GET", "/api/v1/me") end
"""
# A tenth of the lookups ask about users PlatOps has never seen.
WRK_LOOKUP = """
wrk.headers["Authorization"] = "Bearer %s"
math.randomseed(11)
request = function()
  return wrk.format("GET", "/api/v1/platform-users/web/u" .. math.random(0, %d - 1))
end
"""


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=10, help="wrk run length")
    parser.add_argument(
        "--python-client",
        action="store_true",
        help="load from Python (httpx) even when wrk is installed (the client then costs as "
        "much CPU as the server and inflates the tail)",
    )
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    rng = random.Random(11)
    fake = FakeSlack(bot_token=TOKEN)
    async with serve_asgi(create_fake_slack_app(fake)) as slack_url:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench.db"
            token = await prepare(path, args.users, args.cases)
            env = {
                "SLACK_BOT_TOKEN": TOKEN,
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": f"{slack_url}/slack/api/",
                "PLATOPS_DATABASE_URL": f"sqlite+aiosqlite:///{path}",
            }
            log = Path(tmp) / "server.log"
            try:
                prefix = pin_to_cpu(1)  # load here on core 1, the server on core 0
                server = await asyncio.to_thread(start_server, env, free_port(), 60, log, prefix)
            except RuntimeError:
                print(log.read_text()[-3000:])
                raise
            try:
                headers = {"Authorization": f"Bearer {token}"}
                failures: dict[int, int] = {}
                async with httpx.AsyncClient(
                    base_url=server.url, timeout=30, headers=headers
                ) as http:

                    async def once(_: int) -> bool:
                        # A tenth of the lookups ask about users PlatOps has never seen.
                        n = rng.randrange(int(args.users * 1.1))
                        response = await http.get(f"/api/v1/platform-users/web/u{n}")
                        if response.status_code != 200:
                            failures[response.status_code] = (
                                failures.get(response.status_code, 0) + 1
                            )
                        return response.status_code == 200

                    async def baseline(_: int) -> bool:
                        # Same auth, rate limit and router, no moderation query: the floor.
                        return (await http.get("/api/v1/me")).status_code == 200

                    await fire(500, 10, once)  # warm-up
                    if wrk_available() and not args.python_client:
                        # Warm the database pages and caches first; that run is not reported.
                        lookups = WRK_LOOKUP % (token, int(args.users * 1.1))
                        await asyncio.to_thread(
                            run_wrk, server.url, lookups, args.concurrency, 5, Path(tmp), "warm-up"
                        )
                        for label, lua in (
                            (
                                f"status lookup ({args.users} users, {args.cases} cases)",
                                WRK_LOOKUP % (token, int(args.users * 1.1)),
                            ),
                            ("GET /api/v1/me (baseline)", WRK_ME % token),
                        ):
                            print(
                                await asyncio.to_thread(
                                    run_wrk,
                                    server.url,
                                    lua,
                                    args.concurrency,
                                    args.seconds,
                                    Path(tmp),
                                    f"{label} at concurrency {args.concurrency}",
                                )
                            )
                        return
                    floor = await fire(args.requests, args.concurrency, baseline)
                    report = await fire(args.requests, args.concurrency, once)
                print(floor.summary(f"GET /api/v1/me (baseline) at concurrency {args.concurrency}"))
                print(
                    report.summary(
                        f"status lookup ({args.users} users, {args.cases} cases) "
                        f"at concurrency {args.concurrency}"
                    )
                )
                if failures:
                    print(f"failed answers by status: {failures}")
            finally:
                server.stop()


if __name__ == "__main__":
    asyncio.run(main())
