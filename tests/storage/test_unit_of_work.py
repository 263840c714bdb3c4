"""Entity + event + outbox in one transaction, the hash chain, counters, concurrent writers."""

import asyncio

import pytest
from sqlalchemy import func, select, update

from bot.clock import ManualClock
from domain.access import Actor
from domain.events import ChannelRecipient, DomainEvent, Notice, Subject
from domain.org import services as org
from domain.webhooks.services import subscribe_webhook
from storage.audit import verify_chain
from storage.models.core import DepartmentRow, EventRow, OutboxRow
from storage.uow import SqlUnitOfWork

SYSTEM = Actor.system("test")


def uow(database, clock=None):
    return SqlUnitOfWork(database, clock or ManualClock())


async def count(database, model):
    async with database.read_session() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_commit_writes_entity_event_and_outbox_together(any_database):
    async with uow(any_database) as u:
        await subscribe_webhook(u, SYSTEM, "https://hooks.example.com/x", ["department.*"])
        await u.commit()
    async with uow(any_database) as u:
        department = await org.add_department(u, SYSTEM, "finance", "Finance", "CFIN")
        u.notify(Notice("text", ChannelRecipient("CFIN"), params={"key": "home.title"}))
        await u.commit()
    async with any_database.read_session() as session:
        events = (await session.scalars(select(EventRow).order_by(EventRow.id))).all()
        outbox = (await session.scalars(select(OutboxRow).order_by(OutboxRow.id))).all()
    assert [e.type for e in events] == ["webhook.subscribed", "department.added"]
    assert events[1].subject_key == "finance" and events[1].subject_id == department.id
    assert [(o.kind, o.lane) for o in outbox] == [("webhook", "webhook:1"), ("slack", "slack:CFIN")]
    assert outbox[0].payload["type"] == "department.added"


async def test_nothing_is_written_without_commit(any_database):
    async with uow(any_database) as u:
        await org.add_department(u, SYSTEM, "finance")
        u.notify(Notice("text", ChannelRecipient("C1"), params={"key": "home.title"}))
    assert await count(any_database, DepartmentRow) == 0
    assert await count(any_database, EventRow) == 0
    assert await count(any_database, OutboxRow) == 0


async def test_a_failing_use_case_leaves_no_partial_state(any_database):
    with pytest.raises(RuntimeError):
        async with uow(any_database) as u:
            await org.add_department(u, SYSTEM, "finance")
            u.record(SYSTEM, DomainEvent("x.y", None))
            raise RuntimeError("boom before commit")
    assert await count(any_database, DepartmentRow) == 0
    assert await count(any_database, EventRow) == 0


async def test_chain_verifies_and_detects_tampering(any_database):
    for key in ("a", "b", "c"):
        async with uow(any_database) as u:
            await org.add_department(u, SYSTEM, key)
            await u.commit()
    async with any_database.read_session() as session:
        assert (await verify_chain(session)).checked == 3
    async with any_database.write_session() as session:
        await session.execute(update(EventRow).where(EventRow.id == 2).values(data={"name": "z"}))
        await session.commit()
    async with any_database.read_session() as session:
        report = await verify_chain(session)
    assert not report.ok
    assert report.broken_at == 2
    assert "altered" in report.reason


async def test_deleted_event_breaks_the_chain(any_database):
    for key in ("a", "b", "c"):
        async with uow(any_database) as u:
            await org.add_department(u, SYSTEM, key)
            await u.commit()
    async with any_database.write_session() as session:
        await session.execute(EventRow.__table__.delete().where(EventRow.id == 2))
        await session.commit()
    async with any_database.read_session() as session:
        report = await verify_chain(session)
    assert (report.broken_at, report.reason) == (2, "event 2 is missing")


async def test_counters_are_gap_free_and_roll_back(any_database):
    async with uow(any_database) as u:
        assert [await u.next_number("REQ") for _ in range(3)] == [1, 2, 3]
        await u.commit()
    async with uow(any_database) as u:
        assert await u.next_number("REQ") == 4  # rolled back: not committed
    async with uow(any_database) as u:
        assert await u.next_number("REQ") == 4
        assert await u.next_number("INC") == 1


async def test_concurrent_writers_never_fork_the_chain_or_lock_up(any_database):
    async def write(i: int) -> None:
        async with uow(any_database) as u:
            await org.add_department(u, SYSTEM, f"dept-{i}")
            u.record(SYSTEM, DomainEvent("test.extra", Subject("thing", i)))
            await u.commit()

    await asyncio.gather(*(write(i) for i in range(30)))
    async with any_database.read_session() as session:
        report = await verify_chain(session)
        ids = (await session.scalars(select(EventRow.id).order_by(EventRow.id))).all()
    assert report.ok and report.checked == 60
    assert list(ids) == list(range(1, 61))


async def test_read_only_unit_of_work_refuses_writes(any_database):
    async with SqlUnitOfWork(any_database, ManualClock(), readonly=True) as u:
        with pytest.raises(RuntimeError, match="read-only"):
            u.record(SYSTEM, DomainEvent("x.y", None))


async def test_concurrent_first_numbers_are_distinct(any_database):
    async def take() -> int:
        async with uow(any_database) as u:
            number = await u.next_number("CASE")
            await u.commit()
            return number

    assert sorted(await asyncio.gather(*(take() for _ in range(20)))) == list(range(1, 21))
