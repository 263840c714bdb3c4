"""The unit of work: one transaction per request or job: entity + events + outbox together."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.access import Actor
from domain.events import ChannelRecipient, DomainEvent, Notice
from domain.ports import Clock
from storage.audit import GENESIS, event_hash
from storage.db import Database
from storage.models.core import AuditHeadRow, CounterRow, EventRow, OutboxRow
from storage.repositories.backbone import SqlApiKeys, SqlDeadlines, SqlWebhooks
from storage.repositories.calendars import SqlCalendars
from storage.repositories.incidents import SqlIncidents, SqlOnCall
from storage.repositories.inspections import SqlInspections
from storage.repositories.moderation import SqlModeration
from storage.repositories.org import SqlOrg, SqlPeople
from storage.repositories.reports import SqlReports
from storage.repositories.requirements import SqlRequirements


class ReadOnlyError(RuntimeError):
    pass


@dataclass(frozen=True)
class Committed:
    """What a commit wrote, for in-process listeners (dispatcher wake-up, cache invalidation)."""

    outbox_rows: int
    event_types: tuple[str, ...]


def notice_to_payload(notice: Notice) -> dict[str, Any]:
    payload = dataclasses.asdict(notice)
    if isinstance(notice.to, ChannelRecipient):
        payload["to"] = {"channel": notice.to.channel_id}
    else:
        payload["to"] = {"user": notice.to.user_id}
    return payload


def notice_lane(notice: Notice) -> str:
    if notice.surface == "home":
        return f"slack:home:{notice.to.user_id}"  # type: ignore[union-attr]
    if isinstance(notice.to, ChannelRecipient):
        return f"slack:{notice.to.channel_id}"
    return f"slack:dm:{notice.to.user_id}"


class SqlUnitOfWork:
    """Implements domain.ports.UnitOfWork (and each area's extension of it) over SQLAlchemy."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        *,
        readonly: bool = False,
        on_commit: Callable[[Committed], None] | None = None,
    ) -> None:
        self._database = database
        self._clock = clock
        self._readonly = readonly
        self._on_commit = on_commit
        self._events: list[tuple[Actor, DomainEvent, datetime]] = []
        self._notices: list[Notice] = []
        self._session_cm: Any = None
        self.session: AsyncSession

    # -- lifecycle -----------------------------------------------------------------------------
    async def __aenter__(self) -> SqlUnitOfWork:
        if self._readonly:
            self.session = self._database.read_session()
        else:
            self._session_cm = self._database.write_session()
            self.session = await self._session_cm.__aenter__()
        self._build_repositories()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            # Roll back whatever was not committed. A read-only session is just closed, so the
            # objects it loaded stay readable after the block (closing does not expire them).
            if not self._readonly and self.session.in_transaction():
                await self.session.rollback()
        finally:
            if self._session_cm is not None:
                await self._session_cm.__aexit__(exc_type, exc, tb)
            else:
                await self.session.close()

    def _build_repositories(self) -> None:
        session = self.session
        self.people = SqlPeople(session)
        self.org = SqlOrg(session)
        self.deadlines = SqlDeadlines(session)
        self.api_keys = SqlApiKeys(session)
        self.webhooks = SqlWebhooks(session)
        self.calendars = SqlCalendars(session, self._clock)
        # Product areas: one repository each (their Protocols live in domain/<area>/ports.py).
        self.incidents = SqlIncidents(session)
        self.oncall = SqlOnCall(session)
        self.requirements = SqlRequirements(session)
        self.inspections = SqlInspections(session)
        self.reports = SqlReports(session)
        self.moderation = SqlModeration(session)

    # -- what use cases call -------------------------------------------------------------------
    def now(self) -> datetime:
        return self._clock.now()

    async def actor_for(self, user_id: str) -> Actor:
        return Actor.user(user_id, await self.people.grants_of(user_id))

    async def next_number(self, sequence: str) -> int:
        self._require_writable()
        insert = sqlite_insert if self._database.is_sqlite else postgres_insert
        statement = (
            insert(CounterRow)
            .values(name=sequence, value=1)
            .on_conflict_do_update(
                index_elements=[CounterRow.name], set_={"value": CounterRow.value + 1}
            )
            .returning(CounterRow.value)
        )
        return int((await self.session.execute(statement)).scalar_one())

    def record(self, actor: Actor, event: DomainEvent) -> None:
        self._require_writable()
        self._events.append((actor, event, self._clock.now()))

    def notify(self, notice: Notice) -> None:
        self._require_writable()
        self._notices.append(notice)

    async def commit(self) -> None:
        self._require_writable()
        outbox_count = 0
        if self._events:
            outbox_count += await self._write_events()
        for notice in self._notices:
            self.session.add(
                OutboxRow(
                    created_at=self._clock.now(),
                    kind="slack",
                    lane=notice_lane(notice),
                    ref=notice.ref,
                    payload=notice_to_payload(notice),
                    state="pending",
                    next_attempt_at=self._clock.now(),
                )
            )
            outbox_count += 1
        await self.session.commit()
        committed = Committed(outbox_count, tuple(event.type for _, event, _ in self._events))
        self._events.clear()
        self._notices.clear()
        if self._on_commit is not None:
            self._on_commit(committed)

    def _require_writable(self) -> None:
        if self._readonly:
            raise ReadOnlyError("this unit of work is read-only")

    async def _write_events(self) -> int:
        query = select(AuditHeadRow).where(AuditHeadRow.id == 1)
        if not self._database.is_sqlite:
            query = query.with_for_update()  # one chain: writers take turns at the head
        head = await self.session.scalar(query)
        if head is None:
            head = AuditHeadRow(id=1, last_event_id=0, last_hash=GENESIS)
            self.session.add(head)
        subscriptions = None
        deliveries = 0
        for actor, event, occurred_at in self._events:
            subject = event.subject
            row = EventRow(
                id=head.last_event_id + 1,
                occurred_at=occurred_at,
                type=event.type,
                subject_type=subject.type if subject else None,
                subject_id=subject.id if subject else None,
                subject_key=subject.key if subject else None,
                actor_kind=actor.kind.value,
                actor_id=actor.id_for_audit,
                data=dict(event.data),
                prev_hash=head.last_hash,
            )
            row.hash = event_hash(
                head.last_hash,
                id=row.id,
                occurred_at=occurred_at,
                type=row.type,
                subject_type=row.subject_type,
                subject_id=row.subject_id,
                subject_key=row.subject_key,
                actor_kind=row.actor_kind,
                actor_id=row.actor_id,
                data=row.data,
            )
            self.session.add(row)
            head.last_event_id, head.last_hash = row.id, row.hash
            if not event.webhook:
                continue
            if subscriptions is None:
                subscriptions = await self.webhooks.list()
            for subscription in subscriptions:
                if subscription.receives(event.type, event.webhook_to):
                    self.session.add(
                        OutboxRow(
                            created_at=occurred_at,
                            kind="webhook",
                            lane=f"webhook:{subscription.id}",
                            payload=webhook_body(row, actor, event.webhook_data),
                            state="pending",
                            next_attempt_at=occurred_at,
                            event_id=row.id,
                            subscription_id=subscription.id,
                        )
                    )
                    deliveries += 1
        return deliveries


def webhook_body(
    row: EventRow, actor: Actor, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "id": f"evt_{row.id}",
        "type": row.type,
        "occurred_at": row.occurred_at.isoformat(),
        "subject": {"type": row.subject_type, "id": row.subject_id, "key": row.subject_key},
        "actor": {"kind": actor.kind.value, "id": actor.id_for_audit},
        "data": {**row.data, **(extra or {})},
    }


def retry_delay(attempts: int) -> timedelta:
    """Backoff for deliveries: 2 s, 4 s, 8 s … capped at 15 minutes."""
    return timedelta(seconds=min(2 ** max(attempts, 1), 900))
