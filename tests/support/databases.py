"""Test databases: a migrated SQLite template copied per test, and PostgreSQL schemas per test."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

from storage.db import Database, build_database
from storage.migrate import upgrade

POSTGRES_URL = os.environ.get("PLATOPS_TEST_POSTGRES_URL")
SKIP_POSTGRES_REASON = (
    "PLATOPS_TEST_POSTGRES_URL is not set (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test);"
    " .ci/run sets it when PostgreSQL answers on 127.0.0.1:5432"
)


def make_sqlite_template(directory: Path) -> Path:
    path = directory / "template.db"

    async def migrate() -> None:
        database = build_database(f"sqlite+aiosqlite:///{path}")
        await upgrade(database.writer)
        await database.dispose()

    asyncio.run(migrate())
    return path


def sqlite_copy(template: Path, directory: Path) -> str:
    target = directory / f"platops-{uuid.uuid4().hex[:8]}.db"
    shutil.copyfile(template, target)
    return f"sqlite+aiosqlite:///{target}"


@asynccontextmanager
async def postgres_database() -> AsyncIterator[Database]:
    """A fresh schema in the test PostgreSQL, migrated to head, dropped afterwards."""
    assert POSTGRES_URL, SKIP_POSTGRES_REASON
    schema = f"t_{uuid.uuid4().hex[:12]}"
    dsn = POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://")
    admin = await asyncpg.connect(dsn)
    try:
        await admin.execute(f'CREATE SCHEMA "{schema}"')
        database = build_database(POSTGRES_URL, schema=schema)
        try:
            await upgrade(database.writer)
            yield database
        finally:
            await database.dispose()
            await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
    finally:
        await admin.close()
