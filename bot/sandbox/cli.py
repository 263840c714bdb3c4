"""`platops sandbox reset`: start the sandbox over (wipe its SQLite file, migrate, seed again)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from typing import Any

import httpx

from bot.settings import Settings
from storage.backup import BackupError, BackupUnsupported, sqlite_file


def add_sandbox_commands(sub: Any, with_container: Callable[..., Any]) -> None:
    _ = with_container  # the reset must delete the file before any engine opens it
    sandbox = sub.add_parser("sandbox", help="the built-in sandbox workspace").add_subparsers()
    reset = sandbox.add_parser(
        "reset", help="wipe the sandbox database and seed the demo organisation again"
    )
    reset.set_defaults(run=reset_sandbox)


def _refusal(settings: Settings) -> str | None:
    if not settings.sandbox:
        return "Slack credentials are set: this database is not a sandbox's; nothing was changed"
    try:
        sqlite_file(settings.database_url)
    except BackupUnsupported:
        return (
            "PLATOPS_DATABASE_URL is PostgreSQL: drop and recreate that database yourself; "
            "the reset only wipes a SQLite file"
        )
    except BackupError as error:
        return str(error)
    if _server_running(settings):
        return (
            f"a server answers on {settings.host}:{settings.port}: stop `platops serve` first "
            "(it keeps the sandbox's messages in memory)"
        )
    return None


def _server_running(settings: Settings) -> bool:
    from bot.sandbox.workspace import local_base_url

    try:
        return httpx.get(f"{local_base_url(settings)}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def reset_sandbox(settings: Settings, args: argparse.Namespace) -> int:
    refusal = _refusal(settings)
    if refusal:
        print(f"platops: {refusal}", file=sys.stderr)
        return 2
    database = sqlite_file(settings.database_url)
    removed = []
    for path in (database, database.with_name(database.name + "-wal")):
        if path.exists():
            path.unlink()
            removed.append(str(path))
    shm = database.with_name(database.name + "-shm")
    shm.unlink(missing_ok=True)
    asyncio.run(_migrate_and_seed(settings))
    print(
        f"sandbox reset: removed {', '.join(removed) or 'nothing (no database yet)'}; "
        f"{database} migrated and seeded with the demo organisation"
    )
    return 0


async def _migrate_and_seed(settings: Settings) -> None:
    from bot.bootstrap import build_container
    from bot.sandbox.seed import seed_organisation
    from storage.migrate import upgrade

    container = build_container(settings)
    try:
        await upgrade(container.database.writer)
        await seed_organisation(container)
        # What the seed queued for Slack (App Home refreshes) is delivered by the next `serve`.
    finally:
        await container.database.dispose()
