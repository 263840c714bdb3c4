"""`platops backup now|list|restore FILE|verify [FILE]` (SQLite; PostgreSQL gets pg_dump advice)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.backups import back_up
from bot.bootstrap import Container
from domain.access import Actor
from domain.backups.services import human_size
from storage.backup import (
    BackupError,
    BackupUnsupported,
    backup_paths,
    list_backups,
    restore_backup,
    sqlite_file,
    verify_backup,
)

CLI_ACTOR = Actor.system("cli")


def add_backup_commands(sub: Any, with_container: Callable[..., Any]) -> None:
    backup = sub.add_parser("backup", help="SQLite backups").add_subparsers()
    now = backup.add_parser("now", help="back up the database now (safe while serving)")
    now.set_defaults(run=with_container(_guarded(_now)))
    listing = backup.add_parser("list", help="the backups in PLATOPS_BACKUP_DIR, newest first")
    listing.set_defaults(run=with_container(_guarded(_list)))
    verify = backup.add_parser("verify", help="checksum, integrity and audit chain of a backup")
    verify.add_argument("file", nargs="?", type=Path, help="default: the newest backup")
    verify.set_defaults(run=with_container(_guarded(_verify)))
    restore = backup.add_parser(
        "restore", help="replace the database with a backup (stop `platops serve` first)"
    )
    restore.add_argument("file", type=Path)
    restore.set_defaults(run=with_container(_guarded(_restore)))


Command = Callable[[Container, argparse.Namespace], Any]


def _guarded(command: Command) -> Command:
    """Backup problems are answered with one clear line and a non-zero exit, never a trace."""

    async def run(container: Container, args: argparse.Namespace) -> int:
        try:
            sqlite_file(container.settings.database_url)
            return int(await command(container, args))
        except BackupUnsupported as error:
            print(f"platops: {error}", file=sys.stderr)
            return 3
        except BackupError as error:
            print(f"platops: backup: {error}", file=sys.stderr)
            return 1

    return run


async def _now(container: Container, args: argparse.Namespace) -> int:
    backup = await back_up(container, CLI_ACTOR)
    print(
        f"backup written: {container.settings.backup_dir / backup.name} "
        f"({human_size(backup.size_bytes)}, sha256 {backup.sha256})"
    )
    return 0


async def _list(container: Container, args: argparse.Namespace) -> int:
    backups = await asyncio.to_thread(list_backups, container.settings.backup_dir)
    if not backups:
        print(f"no backups in {container.settings.backup_dir}")
        return 0
    for backup in backups:
        print(
            f"{backup.name}  {human_size(backup.size_bytes):>9}  "
            f"{backup.created_at:%Y-%m-%d %H:%M} UTC  sha256 {backup.sha256[:16] or '(missing)'}"
        )
    return 0


async def _verify(container: Container, args: argparse.Namespace) -> int:
    path = args.file or _newest(container)
    verification = await verify_backup(path)
    if not verification.ok:
        print(f"{path.name}: NOT OK")
        for problem in verification.problems:
            print(f"  - {problem}")
        return 1
    checked = verification.chain.checked if verification.chain else 0
    print(f"{path.name}: OK (checksum, integrity, audit chain of {checked} events)")
    return 0


async def _restore(container: Container, args: argparse.Namespace) -> int:
    database = sqlite_file(container.settings.database_url)
    # Our own pooled connections would count as "in use": close them first.
    await container.database.dispose()
    kept = await asyncio.to_thread(restore_backup, _resolve(container, args.file), database)
    print(f"restored {args.file.name} into {database}")
    if kept:
        print(f"the previous database is kept as {kept}")
    print("run `platops db upgrade` (or start `platops serve`) to bring its schema up to date")
    return 0


def _newest(container: Container) -> Path:
    paths = backup_paths(container.settings.backup_dir)
    if not paths:
        raise BackupError(f"no backups in {container.settings.backup_dir}")
    return paths[0]


def _resolve(container: Container, file: Path) -> Path:
    """A bare backup name means the one in PLATOPS_BACKUP_DIR."""
    if not file.exists() and (container.settings.backup_dir / file).exists():
        return container.settings.backup_dir / file
    return file
