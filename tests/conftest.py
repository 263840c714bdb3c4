from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.db import Database, build_database
from tests.support.databases import (
    POSTGRES_URL,
    SKIP_POSTGRES_REASON,
    make_sqlite_template,
    postgres_database,
    sqlite_copy,
)
from tests.support.harness import Harness, running_harness


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    return sqlite_copy(sqlite_template, tmp_path)


@pytest.fixture
async def harness(sqlite_url: str) -> AsyncIterator[Harness]:
    async with running_harness(sqlite_url) as h:
        yield h


@pytest.fixture
async def seeded(harness: Harness) -> Harness:
    """A harness with the demo organisation and the cast's roles."""
    await harness.seed_org()
    return harness


@pytest.fixture(params=["sqlite", "postgres"])
async def any_harness(request: pytest.FixtureRequest, sqlite_url: str) -> AsyncIterator[Harness]:
    """The same end-to-end harness on SQLite and (when configured) on PostgreSQL."""
    if request.param == "sqlite":
        async with running_harness(sqlite_url) as h:
            yield h
        return
    if not POSTGRES_URL:
        pytest.skip(SKIP_POSTGRES_REASON)
    async with postgres_database() as database, running_harness(POSTGRES_URL, database) as h:
        yield h


@pytest.fixture(params=["sqlite", "postgres"])
async def any_database(request: pytest.FixtureRequest, sqlite_url: str) -> AsyncIterator[Database]:
    """A migrated database: SQLite always, PostgreSQL when PLATOPS_TEST_POSTGRES_URL is set."""
    if request.param == "sqlite":
        database = build_database(sqlite_url)
        yield database
        await database.dispose()
        return
    if not POSTGRES_URL:
        pytest.skip(SKIP_POSTGRES_REASON)
    async with postgres_database() as database:
        yield database
