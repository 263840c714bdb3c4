"""Who may take and see backups (Art. 8 data management, Art. 15), and the audit of each one.

Copying the database is the storage layer's job; the use cases here decide who may ask for it
and record that it happened, so Slack, the CLI and the nightly job leave the same trail.
"""

from __future__ import annotations

from domain.access import Actor, Permission, Role
from domain.backups.models import BackupFile
from domain.events import DomainEvent, Notice, Subject, UserRecipient
from domain.ports import UnitOfWork

MANAGE_BACKUPS = Permission("backup.manage", roles=(Role.ADMIN, Role.OPERATOR), scope="admin")


def authorize_backup(actor: Actor) -> None:
    """Raise PermissionDenied unless the actor may take or list backups."""
    actor.require(MANAGE_BACKUPS)


async def record_backup(uow: UnitOfWork, actor: Actor, backup: BackupFile) -> None:
    """Audit a backup that was written; a person who asked for it is told by DM."""
    authorize_backup(actor)
    uow.record(
        actor,
        DomainEvent(
            "backup.created",
            Subject("backup", 0, backup.name),
            {"name": backup.name, "size_bytes": backup.size_bytes, "sha256": backup.sha256},
        ),
    )
    if actor.user_id:
        uow.notify(
            Notice(
                "text",
                UserRecipient(actor.user_id),
                params={
                    "key": "backups.done",
                    "name": backup.name,
                    "size": human_size(backup.size_bytes),
                    "sha256": backup.sha256[:12],
                },
            )
        )


def human_size(size_bytes: int) -> str:
    """1536 → "1.5 KB" (binary units, as file managers show them)."""
    if size_bytes < 1024:
        return f"{size_bytes} B"
    size = float(size_bytes)
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            break
    return f"{size:.1f} {unit}"
