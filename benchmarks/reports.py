"""Operations reports over a big audit log, and 1,000 inspection plans due at the same minute.

    ./dev bench benchmarks/reports.py --incidents 100000 --requirements 20000 \
        --events 1000000 --plans 1000

Builds a migrated SQLite database with `--incidents` incidents (declared, acknowledged,
resolved), `--requirements` requirements (submitted, approved, then design → development →
testing → live), moderation and filler events up to `--events` rows spread over a year, then
times the weekly and the monthly report (median of `--repeat` runs; target < 1 s each on 2
cores). Then creates `--plans` inspection plans due at the same minute and times the scheduler
job that opens their runs (target < 10 s), checking that every plan got exactly one run.
`--keep FILE` seeds FILE once and only times the reports on later runs.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, insert, select, update

from bot.bootstrap import build_container
from bot.clock import ManualClock
from bot.settings import load_settings
from domain.access import Actor
from domain.reports.compute import last_complete_period
from domain.reports.models import ReportKind
from domain.reports.services import build_report
from scheduler.inspections import open_due_inspections
from storage.db import build_database
from storage.migrate import upgrade
from storage.models.core import AuditHeadRow, EventRow, PlatformRow
from storage.models.inspections import InspectionPlanRow, InspectionRunRow

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # a Monday
YEAR = timedelta(days=365)
BATCH = 20_000
SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
STAGES = ("design", "development", "testing", "live")


def _event(
    n: int, at: datetime, kind: str, subject: tuple[str, int, str | None], data: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": n,
        "occurred_at": at,
        "type": kind,
        "subject_type": subject[0],
        "subject_id": subject[1],
        "subject_key": subject[2],
        "actor_kind": "system",
        "actor_id": "system:bench",
        "data": data,
        "prev_hash": "0" * 64,  # the chain is not what is measured here
        "hash": "0" * 64,
    }


def generate(incidents: int, requirements: int, total: int, rng: random.Random) -> Any:
    """Yield event rows in batches (ids ascending, times spread over the year before NOW)."""
    rows: list[dict[str, Any]] = []
    n = 0

    def add(
        at: datetime, kind: str, subject: tuple[str, int, str | None], data: dict[str, Any]
    ) -> None:
        nonlocal n
        n += 1
        rows.append(_event(n, at, kind, subject, data))

    for i in range(1, incidents + 1):
        at = NOW - YEAR * rng.random()
        severity = rng.choice(SEVERITIES)
        subject = ("incident", i, f"INC-{i}")
        facts = {"severity": severity, "platform": "web", "platform_id": 1}
        add(at, "incident.declared", subject, facts)
        if rng.random() < 0.95:
            add(
                at + timedelta(minutes=rng.expovariate(1 / 20)),
                "incident.acknowledged",
                subject,
                facts,
            )
            if rng.random() < 0.95:
                add(
                    at + timedelta(hours=rng.expovariate(1 / 4)),
                    "incident.resolved",
                    subject,
                    facts,
                )
        if len(rows) >= BATCH:
            yield rows
            rows = []
    for i in range(1, requirements + 1):
        at = NOW - YEAR * rng.random()
        subject = ("requirement", i, f"REQ-{i}")
        add(at, "requirement.submitted", subject, {"to": "approval", "platform": "web"})
        at += timedelta(hours=rng.expovariate(1 / 30))
        add(at, "requirement.approved", subject, {"to": "design"})
        previous = "design"
        for stage in STAGES[1:]:
            if rng.random() < 0.2:
                break
            at += timedelta(hours=rng.expovariate(1 / 60))
            add(at, "requirement.stage_changed", subject, {"from": previous, "to": stage})
            previous = stage
        if len(rows) >= BATCH:
            yield rows
            rows = []
    kinds = (
        "moderation.warning_issued",
        "moderation.ban_started",
        "incident.note_added",
        "role.granted",
    )
    while n < total:
        at = NOW - YEAR * rng.random()
        kind = rng.choice(kinds)
        add(
            at,
            kind,
            ("moderation_case" if kind.startswith("mod") else "incident", n, None),
            {"platform": "web"},
        )
        if len(rows) >= BATCH:
            yield rows
            rows = []
    if rows:
        yield rows


def seed(url: str, incidents: int, requirements: int, total: int) -> int:
    engine = create_engine(url.replace("+aiosqlite", ""))
    written = 0
    with engine.begin() as conn:
        conn.execute(
            insert(PlatformRow).values(id=1, key="web", name="Web shop", ops_channel_id="COPS")
        )
        for rows in generate(incidents, requirements, total, random.Random(7)):
            conn.execute(insert(EventRow), rows)
            written += len(rows)
        conn.execute(update(AuditHeadRow).values(last_event_id=written, last_hash="0" * 64))
    engine.dispose()
    return written


async def time_reports(container: Any, repeat: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {}
    for kind in (ReportKind.WEEKLY, ReportKind.MONTHLY):
        period = last_complete_period(kind, NOW, "Europe/Berlin")
        for _ in range(repeat):
            started = time.perf_counter()
            async with container.reader() as uow:
                report = await build_report(uow, Actor.system("bench"), period)
            timings.setdefault(kind.value, []).append(time.perf_counter() - started)
        runs = [t * 1000 for t in timings[kind.value]]
        print(
            f"{kind.value:8} report: median {statistics.median(runs):.0f} ms"
            f" (min {min(runs):.0f}, max {max(runs):.0f}) —"
            f" {report.incidents.declared} incidents declared,"
            f" MTTA {report.incidents.mtta_minutes} min,"
            f" {report.requirements.submitted} requirements submitted,"
            f" {report.requirements.live} live"
        )
    return timings


async def time_due_plans(container: Any, plans: int) -> float:
    due = NOW + timedelta(days=1)
    async with container.database.write_session() as session:
        await session.execute(
            insert(InspectionPlanRow),
            [
                {
                    "name": f"Plan {i}",
                    "name_folded": f"plan {i}",
                    "platform_id": 1,
                    "checklist": ["Dashboards green", "Backups fresh", "Certificates valid"],
                    "cron": "0 8 * * *",
                    "timezone": "UTC",
                    "channel_id": "COPS",
                    "grace_minutes": 60,
                    "assignee_id": f"U{i:05d}",
                    "assignee_role": None,
                    "state": "active",
                    "next_due_at": due,
                    "source": "config",
                    "created_by": "bench",
                    "created_at": NOW,
                }
                for i in range(plans)
            ],
        )
        await session.commit()
    container.clock.set(due + timedelta(seconds=5))
    started = time.perf_counter()
    opened = await open_due_inspections(container)
    elapsed = time.perf_counter() - started
    again = await open_due_inspections(container)
    async with container.reader() as uow:
        runs = await uow.session.scalar(select(func.count()).select_from(InspectionRunRow))
        distinct = await uow.session.scalar(
            select(func.count(func.distinct(InspectionRunRow.plan_id)))
        )
    print(
        f"{plans} plans due at the same minute: {opened} runs opened in {elapsed:.2f} s"
        f" ({plans / elapsed:.0f}/s); second pass opened {again};"
        f" runs {runs}, plans with a run {distinct}"
    )
    assert opened == plans and again == 0 and runs == distinct == plans, "duplicates or gaps"
    return elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--requirements", type=int, default=20_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--keep",
        type=Path,
        help="a SQLite file to seed once and reuse on later runs (default: a temporary one)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = args.keep or Path(directory) / "bench.db"
        url = f"sqlite+aiosqlite:///{path}"
        fresh = not path.exists()
        database = build_database(url)
        if fresh:
            await upgrade(database.writer)
            started = time.perf_counter()
            written = await asyncio.to_thread(
                seed, url, args.incidents, args.requirements, args.events
            )
            print(f"seeded {written} events in {time.perf_counter() - started:.0f} s")
            async with database.write_session() as session:
                # Fresh statistics, as a long-lived database has them (SQLite's planner uses them).
                await (await session.connection()).exec_driver_sql("ANALYZE")
                await session.commit()
        settings = load_settings(PLATOPS_DATABASE_URL=url, PLATOPS_TIMEZONE="Europe/Berlin")
        container = build_container(settings, clock=ManualClock(NOW), database=database)
        timings = await time_reports(container, args.repeat)
        elapsed = await time_due_plans(container, args.plans) if fresh else 0.0
        await database.dispose()
    slowest = max(statistics.median(values) for values in timings.values())
    verdict = "OK" if slowest < 1.0 and elapsed < 10 else "SLOW"
    print(
        f"{verdict}: slowest report median {slowest * 1000:.0f} ms (< 1000),"
        f" plans {elapsed:.2f} s (< 10)"
    )


if __name__ == "__main__":
    asyncio.run(main())
