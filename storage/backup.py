"""SQLite backups: online copies with checksums, retention, verification and restore.

A backup is taken with SQLite's online backup API, which copies a consistent snapshot while the
server keeps writing (WAL readers never block writers). Each file is self-contained (journal
mode DELETE, no -wal beside it) and has a `.sha256` sidecar in `sha256sum` format, so it can be
checked with standard tools too. PostgreSQL is backed up with its own tools (pg_dump).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from domain.backups.models import BackupFile
from storage.audit import ChainReport, verify_chain

PREFIX, SUFFIX = "platops-", ".db"
BACKUP_NAME = re.compile(r"^platops-(?P<stamp>\d{8}T\d{6}Z)(-(?P<serial>\d+))?\.db$")
POSTGRES_ADVICE = (
    "PlatOps backups cover SQLite only. For PostgreSQL use its own tools: "
    "`pg_dump --format=custom --file=platops.dump DATABASE_URL` to back up and "
    "`pg_restore --clean --dbname=DATABASE_URL platops.dump` to restore "
    "(or your provider's snapshots / point-in-time recovery)."
)


class BackupError(Exception):
    """A backup operation that cannot go ahead; the message says why, for a person."""


class BackupUnsupported(BackupError):
    """The database is not SQLite."""

    def __init__(self) -> None:
        super().__init__(POSTGRES_ADVICE)


def sqlite_file(database_url: str) -> Path:
    """The database file behind a `sqlite+aiosqlite:///PATH` URL."""
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite"):
        raise BackupUnsupported()
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError(f"cannot back up the SQLite database {url.database!r}: not a file path")
    return Path(url.database)


# -- taking backups ----------------------------------------------------------------------------
def create_backup(database: Path, backup_dir: Path, keep: int, now: datetime) -> BackupFile:
    if not database.exists():
        raise BackupError(f"the database file {database} does not exist")
    backup_dir.mkdir(parents=True, exist_ok=True)
    target = _free_name(backup_dir, now)
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(database, timeout=30)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)  # one step: a single consistent snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # self-contained: no -wal needed
        finally:
            copy.close()
    finally:
        source.close()
    _fsync(partial)
    os.replace(partial, target)
    digest = file_sha256(target)
    _sidecar(target).write_text(f"{digest}  {target.name}\n", encoding="utf-8")
    prune_backups(backup_dir, keep)
    return BackupFile(target.name, target.stat().st_size, digest, now)


def _free_name(backup_dir: Path, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = backup_dir / f"{PREFIX}{stamp}{SUFFIX}"
    serial = 1
    while candidate.exists():  # two backups within one second keep both
        serial += 1
        candidate = backup_dir / f"{PREFIX}{stamp}-{serial}{SUFFIX}"
    return candidate


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup_paths(backup_dir: Path) -> list[Path]:
    """Backup files, newest first (names sort by time)."""
    if not backup_dir.is_dir():
        return []
    # Strict names: retention must never touch other files, e.g. a live `platops-x.db`.
    found = [path for path in backup_dir.iterdir() if BACKUP_NAME.match(path.name)]
    return sorted(found, key=_age_order, reverse=True)


def _age_order(path: Path) -> tuple[str, int]:
    match = BACKUP_NAME.match(path.name)
    assert match is not None
    return match["stamp"], int(match["serial"] or 1)


def list_backups(backup_dir: Path) -> list[BackupFile]:
    backups = []
    for path in backup_paths(backup_dir):
        sidecar = _sidecar(path)
        digest = sidecar.read_text(encoding="utf-8").split()[0] if sidecar.exists() else ""
        created = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        backups.append(BackupFile(path.name, path.stat().st_size, digest, created))
    return backups


def prune_backups(backup_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups (and their checksums)."""
    removed = backup_paths(backup_dir)[max(keep, 1) :]
    for path in removed:
        path.unlink(missing_ok=True)
        _sidecar(path).unlink(missing_ok=True)
    return removed


# -- verifying ---------------------------------------------------------------------------------
@dataclass
class Verification:
    path: Path
    problems: list[str] = field(default_factory=list)
    chain: ChainReport | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def check_file(path: Path) -> list[str]:
    """Checksum against the sidecar and SQLite's own integrity check (no audit chain)."""
    if not path.is_file():
        return [f"{path} does not exist"]
    problems = []
    sidecar = _sidecar(path)
    if not sidecar.exists():
        problems.append(f"no checksum file {sidecar.name}")
    elif sidecar.read_text(encoding="utf-8").split()[:1] != [file_sha256(path)]:
        problems.append("checksum mismatch: the file changed after it was written")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return [*problems, f"not a readable SQLite database: {error}"]
    if result != ["ok"]:
        problems.append("integrity check failed: " + "; ".join(result[:5]))
    return problems


async def verify_backup(path: Path) -> Verification:
    """Checksum, integrity and the audit hash chain inside the backup."""
    verification = Verification(path, await asyncio.to_thread(check_file, path))
    if not verification.ok:
        return verification
    engine = create_async_engine(f"sqlite+aiosqlite:///file:{path}?mode=ro&uri=true")
    try:
        async with engine.connect() as connection, AsyncSession(bind=connection) as session:
            verification.chain = await verify_chain(session)
    finally:
        await engine.dispose()
    chain = verification.chain
    if not chain.ok:
        verification.problems.append(
            f"audit chain broken at event {chain.broken_at}: {chain.reason}"
        )
    return verification


# -- restoring ---------------------------------------------------------------------------------
def restore_backup(backup: Path, database: Path) -> Path | None:
    """Put `backup` in place of `database` atomically; the old file is kept beside it.

    Refuses while anything has the database open (a running `platops serve`): switching it out
    of WAL mode needs exclusive access, and doing so also folds the -wal file into the old copy
    we keep. Returns the `.before-restore` path (None when there was no database yet).
    """
    problems = check_file(backup)
    if problems:
        raise BackupError(f"{backup.name} is not a sound backup: " + "; ".join(problems))
    kept = None
    if database.exists():
        _take_exclusive(database)
        kept = database.with_name(database.name + ".before-restore")
        shutil.copy2(database, kept)
    staging = database.with_name(database.name + ".restoring")
    shutil.copyfile(backup, staging)
    _fsync(staging)
    os.replace(staging, database)
    return kept


def _take_exclusive(database: Path) -> None:
    connection = sqlite3.connect(database, timeout=0)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.OperationalError as error:
        raise BackupError(
            f"{database} is in use ({error}); stop `platops serve` and try again"
        ) from None
    finally:
        connection.close()
