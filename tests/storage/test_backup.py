"""SQLite backups: consistent online copies, checksums, retention, verify, restore."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import ManualClock
from domain.access import Actor
from domain.org import services as org
from storage.backup import (
    BackupError,
    BackupUnsupported,
    create_backup,
    list_backups,
    restore_backup,
    sqlite_file,
    verify_backup,
)
from storage.db import build_database
from storage.uow import SqlUnitOfWork

NOW = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
SYSTEM = Actor.system("test")


@pytest.fixture
async def database_file(sqlite_url: str) -> Path:
    """A migrated database with a few audited changes in it."""
    database = build_database(sqlite_url)
    async with SqlUnitOfWork(database, ManualClock(NOW)) as uow:
        await org.add_department(uow, SYSTEM, "marketing", "Marketing", "CMARKETING")
        await org.add_platform(uow, SYSTEM, "web", "Web shop")
        await uow.commit()
    await database.dispose()
    return sqlite_file(sqlite_url)


def departments(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT key FROM departments ORDER BY key")]
    finally:
        connection.close()


def test_sqlite_file_from_urls(tmp_path: Path):
    assert sqlite_file(f"sqlite+aiosqlite:///{tmp_path}/x.db") == tmp_path / "x.db"
    assert sqlite_file("sqlite+aiosqlite:///./platops.db") == Path("./platops.db")
    with pytest.raises(BackupUnsupported, match="pg_dump"):
        sqlite_file("postgresql+asyncpg://postgres@127.0.0.1/platops")


async def test_a_backup_is_a_verified_self_contained_copy(database_file: Path, tmp_path: Path):
    backups = tmp_path / "backups"
    backup = create_backup(database_file, backups, keep=5, now=NOW)

    assert backup.name == "platops-20260105T030000Z.db"
    path = backups / backup.name
    assert (backups / f"{backup.name}.sha256").read_text() == f"{backup.sha256}  {backup.name}\n"
    assert not (backups / f"{backup.name}-wal").exists()
    assert departments(path) == ["marketing"]
    verification = await verify_backup(path)
    assert verification.ok, verification.problems
    assert verification.chain is not None and verification.chain.checked == 2


async def test_a_backup_taken_while_the_server_writes_is_consistent(
    database_file: Path, tmp_path: Path
):
    # A writer holds an open transaction (uncommitted row) in WAL mode: the copy sees only
    # committed data and does not wait for the writer.
    writer = sqlite3.connect(database_file, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO departments (key, name, approval_quorum, remind_after_hours,"
        " escalate_after_hours) VALUES ('sales', 'Sales', 1, 24, 72)"
    )
    try:
        backup = create_backup(database_file, tmp_path, keep=5, now=NOW)
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert departments(tmp_path / backup.name) == ["marketing"]
    assert departments(database_file) == ["marketing", "sales"]


def test_retention_keeps_the_newest(database_file: Path, tmp_path: Path):
    for hours in range(5):
        create_backup(database_file, tmp_path, keep=3, now=NOW + timedelta(hours=hours))
    names = [b.name for b in list_backups(tmp_path)]
    assert names == [
        "platops-20260105T070000Z.db",
        "platops-20260105T060000Z.db",
        "platops-20260105T050000Z.db",
    ]
    assert len(list(tmp_path.glob("*.sha256"))) == 3


def test_two_backups_in_one_second_are_both_kept(database_file: Path, tmp_path: Path):
    first = create_backup(database_file, tmp_path, keep=5, now=NOW)
    second = create_backup(database_file, tmp_path, keep=5, now=NOW)
    assert second.name == "platops-20260105T030000Z-2.db"
    assert [b.name for b in list_backups(tmp_path)] == [second.name, first.name]  # newest first


async def test_verify_detects_a_changed_file(database_file: Path, tmp_path: Path):
    backup = create_backup(database_file, tmp_path, keep=5, now=NOW)
    path = tmp_path / backup.name
    with path.open("r+b") as handle:
        handle.seek(200)
        handle.write(b"\x00garbage\x00")
    verification = await verify_backup(path)
    assert not verification.ok
    assert any("checksum mismatch" in p for p in verification.problems)


async def test_verify_detects_a_tampered_audit_chain(database_file: Path, tmp_path: Path):
    connection = sqlite3.connect(database_file)
    connection.execute("""UPDATE events SET data = '{"name": "Evil"}' WHERE id = 1""")
    connection.commit()
    connection.close()
    backup = create_backup(database_file, tmp_path, keep=5, now=NOW)  # checksum is fine
    verification = await verify_backup(tmp_path / backup.name)
    assert not verification.ok
    assert verification.problems == [
        "audit chain broken at event 1: contents were altered after they were written"
    ]


async def test_verify_without_checksum_file_or_not_a_database(tmp_path: Path):
    junk = tmp_path / "platops-20260105T030000Z.db"
    junk.write_bytes(b"not a database at all" * 100)
    verification = await verify_backup(junk)
    assert "no checksum file platops-20260105T030000Z.db.sha256" in verification.problems
    assert any("not a readable SQLite database" in p for p in verification.problems)


def test_restore_swaps_the_file_and_keeps_the_old_one(database_file: Path, tmp_path: Path):
    backup = create_backup(database_file, tmp_path / "b", keep=5, now=NOW)
    connection = sqlite3.connect(database_file)
    connection.execute("UPDATE departments SET key = 'renamed'")
    connection.commit()
    connection.close()

    kept = restore_backup(tmp_path / "b" / backup.name, database_file)

    assert kept == database_file.with_name(database_file.name + ".before-restore")
    assert departments(database_file) == ["marketing"]
    assert departments(kept) == ["renamed"]
    assert not database_file.with_name(database_file.name + ".restoring").exists()


def test_restore_refuses_while_the_database_is_open(database_file: Path, tmp_path: Path):
    backup = create_backup(database_file, tmp_path / "b", keep=5, now=NOW)
    server = sqlite3.connect(database_file)
    server.execute("PRAGMA journal_mode=WAL")
    server.execute("SELECT count(*) FROM departments").fetchone()
    try:
        with pytest.raises(BackupError, match="in use"):
            restore_backup(tmp_path / "b" / backup.name, database_file)
    finally:
        server.close()
    assert not database_file.with_name(database_file.name + ".before-restore").exists()


def test_restore_refuses_a_damaged_backup(database_file: Path, tmp_path: Path):
    backup = create_backup(database_file, tmp_path, keep=5, now=NOW)
    (tmp_path / f"{backup.name}.sha256").write_text("0" * 64 + f"  {backup.name}\n")
    with pytest.raises(BackupError, match="checksum mismatch"):
        restore_backup(tmp_path / backup.name, database_file)
    assert departments(database_file) == ["marketing"]
