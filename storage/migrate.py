"""Applying and checking Alembic migrations from code (the CLI, `serve` start, tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def head_revision() -> str:
    return ",".join(sorted(head_revisions()))


async def upgrade(engine: AsyncEngine, revision: str = "heads") -> None:
    def run(connection: Any) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(run)


async def current_revisions(engine: AsyncEngine) -> set[str]:
    def read(connection: Any) -> set[str]:
        return set(MigrationContext.configure(connection).get_current_heads())

    async with engine.connect() as connection:
        return await connection.run_sync(read)


async def current_revision(engine: AsyncEngine) -> str:
    return ",".join(sorted(await current_revisions(engine))) or "none"


async def is_current(engine: AsyncEngine) -> bool:
    return await current_revisions(engine) == head_revisions()


def make_revision(engine_url: str, message: str, rev_id: str) -> None:
    """Developer helper: autogenerate a migration against a database at head."""
    from sqlalchemy import create_engine

    sync_url = engine_url.replace("+aiosqlite", "").replace("+asyncpg", "+psycopg")
    engine = create_engine(sync_url)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
