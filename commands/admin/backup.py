"""`/platops backup now|list` for admins and operators.

The copy can take a while on a large database, so `now` acks at once and runs the backup in the
background; the result reaches the person by DM through the outbox (a notice), like any message.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

from bot.backups import back_up, known_backups
from bot.bootstrap import Container
from commands.blocks import slack_date
from commands.framework import Caller, SlashCommand, UsageError, ephemeral
from domain.access import Actor
from domain.backups.services import MANAGE_BACKUPS, authorize_backup, human_size
from domain.events import Notice, UserRecipient
from storage.backup import BackupUnsupported, sqlite_file

log = logging.getLogger("platops.backup")
TASKS = "background_tasks"  # container.extras key: tests and shutdown can await them


def attach(command: SlashCommand) -> None:
    command.sub("backup", "backups.usage", MANAGE_BACKUPS)(backup)


async def backup(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    verb = args[0].lower() if args else "list"
    if verb not in ("now", "list") or len(args) > 1:
        raise UsageError()
    authorize_backup(caller.actor)
    try:
        sqlite_file(caller.container.settings.database_url)
    except BackupUnsupported:
        await ack(ephemeral(caller.t("backups.postgres")))
        return
    if verb == "list":
        await ack(ephemeral(await _listing(caller)))
        return
    await ack(ephemeral(caller.t("backups.started")))
    task = asyncio.create_task(_back_up_and_tell(caller.container, caller.actor))
    tasks: set[asyncio.Task[None]] = caller.container.extras.setdefault(TASKS, set())
    tasks.add(task)
    task.add_done_callback(tasks.discard)


async def _listing(caller: Caller) -> str:
    backups = await known_backups(caller.container, caller.actor)
    if not backups:
        return caller.t("backups.list_empty")
    lines = [
        caller.t(
            "backups.line",
            name=b.name,
            size=human_size(b.size_bytes),
            date=slack_date(b.created_at),
        )
        for b in backups[:30]
    ]
    return "\n".join([caller.t("backups.list_title", count=len(backups)), *lines])


async def _back_up_and_tell(container: Container, actor: Actor) -> None:
    try:
        await back_up(container, actor)  # records backup.created and DMs the person
    except Exception as error:  # after the ack nobody else would ever hear of it
        ref = uuid.uuid4().hex[:8]
        log.exception("backup requested by %s failed (ref %s)", actor.id_for_audit, ref)
        assert actor.user_id is not None
        async with container.uow() as uow:
            uow.notify(
                Notice(
                    "text",
                    UserRecipient(actor.user_id),
                    params={"key": "backups.failed", "ref": ref, "reason": str(error)[:500]},
                )
            )
            await uow.commit()
