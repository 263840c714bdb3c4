"""What an admin does with the outbox: see what is parked (or queued), and queue it again."""

from __future__ import annotations

from sqlalchemy import select, update

from bot.bootstrap import Container
from storage.models.core import OutboxRow


async def list_outbox(
    container: Container, states: tuple[str, ...] = ("parked",)
) -> list[OutboxRow]:
    async with container.database.read_session() as session:
        query = select(OutboxRow).where(OutboxRow.state.in_(states)).order_by(OutboxRow.id)
        return list((await session.scalars(query.limit(500))).all())


async def retry_parked(container: Container, row_ids: list[int] | None = None) -> int:
    """Put parked rows back in the queue (all of them, or the given ids)."""
    async with container.database.write_session() as session:
        query = update(OutboxRow).where(OutboxRow.state == "parked")
        if row_ids:
            query = query.where(OutboxRow.id.in_(row_ids))
        result = await session.execute(
            query.values(state="pending", attempts=0, next_attempt_at=container.clock.now())
        )
        await session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
