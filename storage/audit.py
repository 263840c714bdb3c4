"""The hash chain over the event table: writing links and verifying them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import EventRow

GENESIS = "0" * 64


def event_hash(
    prev_hash: str,
    *,
    id: int,
    occurred_at: datetime,
    type: str,
    subject_type: str | None,
    subject_id: int | None,
    subject_key: str | None,
    actor_kind: str,
    actor_id: str,
    data: dict[str, Any],
) -> str:
    body = json.dumps(
        [
            id,
            occurred_at.isoformat(),
            type,
            subject_type,
            subject_id,
            subject_key,
            actor_kind,
            actor_id,
            data,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(f"{prev_hash}|{body}".encode()).hexdigest()


def row_hash(prev_hash: str, row: EventRow) -> str:
    return event_hash(
        prev_hash,
        id=row.id,
        occurred_at=row.occurred_at,
        type=row.type,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        subject_key=row.subject_key,
        actor_kind=row.actor_kind,
        actor_id=row.actor_id,
        data=row.data,
    )


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


async def verify_chain(session: AsyncSession, batch: int = 5000) -> ChainReport:
    """Walk the whole chain in id order; report the first row whose link does not hold."""
    prev_hash, expected_id, checked = GENESIS, 1, 0
    last_id = 0
    while True:
        rows = (
            await session.scalars(
                select(EventRow).where(EventRow.id > last_id).order_by(EventRow.id).limit(batch)
            )
        ).all()
        if not rows:
            return ChainReport(checked)
        for row in rows:
            if row.id != expected_id:
                return ChainReport(checked, expected_id, f"event {expected_id} is missing")
            if row.prev_hash != prev_hash:
                return ChainReport(checked, row.id, "prev_hash does not match the previous event")
            if row_hash(prev_hash, row) != row.hash:
                return ChainReport(checked, row.id, "contents were altered after they were written")
            prev_hash, expected_id, checked = row.hash, row.id + 1, checked + 1
        last_id = rows[-1].id


async def read_events(
    session: AsyncSession,
    *,
    after_id: int | None,
    limit: int,
    type_pattern: str | None = None,
    subject_type: str | None = None,
    subject_key: str | None = None,
) -> list[EventRow]:
    """A slice of the audit stream in id order; `type_pattern` is exact or a `prefix.*`."""
    query = select(EventRow)
    if after_id is not None:
        query = query.where(EventRow.id > after_id)
    if type_pattern:
        if type_pattern.endswith(".*"):
            query = query.where(EventRow.type.startswith(type_pattern[:-1], autoescape=True))
        else:
            query = query.where(EventRow.type == type_pattern)
    if subject_type:
        query = query.where(EventRow.subject_type == subject_type)
    if subject_key:
        query = query.where(EventRow.subject_key == subject_key)
    return list((await session.scalars(query.order_by(EventRow.id).limit(limit))).all())
