"""Moderation storage on SQLite and PostgreSQL: the migration, the status lookup, stale writes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.clock import ManualClock
from domain.access import Actor
from domain.errors import Conflict
from domain.moderation import closing, queue, services
from domain.moderation.models import UserRef
from domain.moderation.services import CaseDraft
from domain.org import services as org
from storage.models import Base
from storage.uow import SqlUnitOfWork

SYSTEM = Actor.system("test")
TABLES = {"platform_users", "moderation_cases", "moderation_items", "moderation_policies"}
DRAFT = CaseDraft(rule_code="spam", notice_text="Stop.")


def moderation_differences(connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [d for d in compare_metadata(context, Base.metadata) if any(t in str(d) for t in TABLES)]


async def test_migration_matches_the_models(any_database):
    async with any_database.writer.connect() as connection:
        assert await connection.run_sync(moderation_differences) == []


@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture
async def web(any_database, clock):
    async with SqlUnitOfWork(any_database, clock) as uow:
        await org.add_platform(uow, SYSTEM, "web", "Web", None, "CMODLOG")
        await uow.commit()
    return any_database


async def act(database, clock, use_case, *args, **kwargs):
    async with SqlUnitOfWork(database, clock) as uow:
        result = await use_case(uow, SYSTEM, *args, **kwargs)
        await uow.commit()
    return result


async def lookup(database, clock, external_id="u-1"):
    async with SqlUnitOfWork(database, clock, readonly=True) as uow:
        return await uow.moderation.status_of("web", external_id, clock.now())


async def test_status_lookup_counts_active_warnings_and_finds_the_ban(web, clock):
    ref = UserRef("web", "u-1")
    assert not (await lookup(web, clock)).known
    await act(web, clock, services.warn_user, ref, DRAFT)
    clock.advance(days=60)
    await act(web, clock, services.warn_user, ref, DRAFT)
    until = clock.now() + timedelta(days=7)
    await act(web, clock, services.ban_user, ref, DRAFT, permanent=False, until=until, reason="r")
    status = await lookup(web, clock)
    assert (status.known, status.banned, status.ban_case, status.until) == (
        True,
        True,
        "CASE-3",
        until,
    )
    assert status.active_warnings == 2
    await act(web, clock, queue.submit_appeal, "CASE-3", "not me")
    assert (await lookup(web, clock)).open_appeal == "APL-1"
    clock.advance(days=31)  # the first warning expired (90 days), and so did the ban
    status = await lookup(web, clock)
    assert (status.banned, status.until, status.active_warnings) == (False, None, 1)
    assert not (await lookup(web, clock, "u-2")).known


async def test_a_permanent_ban_counts_only_once_confirmed(web, clock):
    ref = UserRef("web", "u-1")
    case = await act(
        web, clock, services.ban_user, ref, DRAFT, permanent=True, until=None, reason="r"
    )
    assert not (await lookup(web, clock)).banned
    async with SqlUnitOfWork(web, clock) as uow:
        await services.confirm_case(uow, SYSTEM, case.id)
        await uow.commit()
    status = await lookup(web, clock)
    assert status.banned and status.until is None


async def test_a_stale_write_is_refused(web, clock):
    case = await act(web, clock, services.warn_user, UserRef("web", "u-1"), DRAFT)
    async with SqlUnitOfWork(web, clock, readonly=True) as reader:
        stale = await reader.moderation.get_case(case.id)
    await act(web, clock, closing.revoke_case, case.id, "changed meanwhile")
    async with SqlUnitOfWork(web, clock) as uow:
        stale.internal_note = "written from an old read"
        with pytest.raises(Conflict):
            await uow.moderation.save_case(stale)


async def test_revoked_case_frees_the_user(web, clock):
    ref = UserRef("web", "u-1")
    until = clock.now() + timedelta(days=3)
    case = await act(
        web, clock, services.ban_user, ref, DRAFT, permanent=False, until=until, reason="r"
    )
    await act(web, clock, closing.revoke_case, case.id, "mistake")
    assert not (await lookup(web, clock)).banned
