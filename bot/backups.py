"""Taking a backup from any door (Slack, CLI, the nightly job): check, copy, audit.

The copy runs in a worker thread (sqlite3's backup API blocks) and outside any write
transaction; only the short audit write afterwards takes the write lock.
"""

from __future__ import annotations

import asyncio

from bot.bootstrap import Container
from domain.access import Actor
from domain.backups.models import BackupFile
from domain.backups.services import authorize_backup, record_backup
from storage.backup import create_backup, list_backups, sqlite_file


async def back_up(container: Container, actor: Actor) -> BackupFile:
    authorize_backup(actor)
    settings = container.settings
    database = sqlite_file(settings.database_url)  # BackupUnsupported on PostgreSQL
    backup = await asyncio.to_thread(
        create_backup, database, settings.backup_dir, settings.backup_keep, container.clock.now()
    )
    async with container.uow() as uow:
        await record_backup(uow, actor, backup)
        await uow.commit()
    return backup


async def known_backups(container: Container, actor: Actor) -> list[BackupFile]:
    authorize_backup(actor)
    sqlite_file(container.settings.database_url)
    return await asyncio.to_thread(list_backups, container.settings.backup_dir)
