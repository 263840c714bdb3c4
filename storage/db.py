"""Engines and sessions. Nothing is built at import time.

SQLite: WAL, foreign keys, busy timeout, and one writer at a time inside the process — a single
write connection behind an asyncio lock (measured: pooled writers fight over SQLite's lock and the
tail latency explodes). Write transactions start with BEGIN IMMEDIATE so a second process (the CLI)
waits on the busy timeout instead of failing with "database is locked" on lock upgrade.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SQLITE_BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control from the driver so BEGIN IMMEDIATE (below) is ours to emit.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_immediate(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _begin_deferred(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def _sqlite_engine(url: str, *, writer: bool) -> AsyncEngine:
    options: dict[str, Any] = {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}}
    if writer:
        options.update(pool_size=1, max_overflow=0)
    else:
        options.update(pool_size=4, max_overflow=4)
    engine = create_async_engine(url, **options)
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    event.listen(engine.sync_engine, "begin", _begin_immediate if writer else _begin_deferred)
    return engine


@dataclass
class Database:
    """The write and read engines of one database, plus the in-process write lock."""

    url: str
    writer: AsyncEngine
    reader: AsyncEngine
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @asynccontextmanager
    async def write_session(self) -> AsyncIterator[AsyncSession]:
        # PostgreSQL handles concurrent writers itself; only SQLite needs the lock.
        if self.is_sqlite:
            async with self.write_lock, self._writer_sessions() as session:
                yield session
        else:
            async with self._writer_sessions() as session:
                yield session

    def read_session(self) -> AsyncSession:
        return self._reader_sessions()

    def __post_init__(self) -> None:
        self._writer_sessions = async_sessionmaker(self.writer, expire_on_commit=False)
        self._reader_sessions = async_sessionmaker(self.reader, expire_on_commit=False)

    async def dispose(self) -> None:
        await self.writer.dispose()
        if self.reader is not self.writer:
            await self.reader.dispose()


def build_database(url: str, *, schema: str | None = None) -> Database:
    """`schema` (PostgreSQL only) puts every table in that schema — tests isolate themselves so."""
    if url.startswith("sqlite"):
        return Database(url, _sqlite_engine(url, writer=True), _sqlite_engine(url, writer=False))
    connect_args: dict[str, Any] = {}
    if schema:
        connect_args["server_settings"] = {"search_path": schema}
    engine = create_async_engine(
        url, pool_size=10, max_overflow=10, pool_pre_ping=True, connect_args=connect_args
    )
    return Database(url, engine, engine)
