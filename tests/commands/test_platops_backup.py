"""`/platops backup now|list` through signed requests: ack at once, backup after, DM with result."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select

from commands.admin.backup import TASKS
from storage.models.core import EventRow
from tests.support.harness import Harness


@pytest.fixture
def backup_dir(seeded: Harness, tmp_path: Path) -> Path:
    directory = tmp_path / "backups"
    settings = seeded.container.settings
    seeded.container.settings = settings.model_copy(update={"backup_dir": directory})
    return directory


async def finish_background_work(h: Harness) -> None:
    await asyncio.gather(*list(h.container.extras.get(TASKS, ())))
    await h.settle()


def files_in(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def last_ephemeral(h: Harness, user_id: str) -> str:
    return h.fake.ephemerals_for(user_id)[-1].text


async def test_an_operator_backs_up_and_gets_the_result_by_dm(seeded: Harness, backup_dir: Path):
    h = seeded
    response = await h.command("UOSCAR", "/platops", "backup now")
    assert response.status == 200
    assert "I will send you a DM" in last_ephemeral(h, "UOSCAR")

    await finish_background_work(h)

    files = files_in(backup_dir)
    assert len(files) == 2 and files[1] == files[0] + ".sha256"
    dm = h.fake.dms_to("UOSCAR")[-1]
    assert f"Backup *{files[0]}* written" in dm.text
    async with h.container.database.read_session() as session:
        event = await session.scalar(select(EventRow).where(EventRow.type == "backup.created"))
    assert event is not None and event.actor_id == "UOSCAR"
    assert event.data["name"] == files[0]

    await h.command("UALICE", "/platops", "backup list")
    listing = last_ephemeral(h, "UALICE")
    assert "*Backups* (1, newest first)" in listing and files[0] in listing


async def test_people_without_the_role_are_refused_and_nothing_is_written(
    seeded: Harness, backup_dir: Path
):
    h = seeded
    await h.command("UBOB", "/platops", "backup now")
    text = last_ephemeral(h, "UBOB")
    assert "not allowed" in text and "admin, operator" in text
    await finish_background_work(h)
    assert files_in(backup_dir) == []
    await h.command("UNINA", "/platops", "help")
    assert "backup" not in last_ephemeral(h, "UNINA")
    await h.command("UALICE", "/platops", "help")
    assert "backup now|list" in last_ephemeral(h, "UALICE")


async def test_bad_arguments_get_the_usage_line(seeded: Harness, backup_dir: Path):
    await seeded.command("UALICE", "/platops", "backup restore x.db")
    assert "Usage:" in last_ephemeral(seeded, "UALICE")
    assert files_in(backup_dir) == []


async def test_list_when_empty_or_on_postgres(any_harness: Harness, tmp_path: Path):
    h = any_harness
    await h.seed_org()
    settings = h.container.settings
    h.container.settings = settings.model_copy(update={"backup_dir": tmp_path / "none"})
    await h.command("UALICE", "/platops", "backup list")
    if h.container.database.is_sqlite:
        assert "No backups yet" in last_ephemeral(h, "UALICE")
        return
    await h.command("UALICE", "/platops", "backup now")
    assert "pg_dump" in last_ephemeral(h, "UALICE")
    assert not h.container.extras.get(TASKS)
