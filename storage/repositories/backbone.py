"""Deadlines, API keys and webhook subscriptions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.apikeys.models import ApiKey
from domain.deadlines.models import Deadline, DeadlineState, Step
from domain.events import Subject
from domain.webhooks.models import WebhookDelivery, WebhookSubscription
from storage.models.core import (
    ApiKeyRow,
    DeadlineRow,
    DeadlineStepRow,
    OutboxRow,
    WebhookSubscriptionRow,
)


def _steps_to_json(steps: list[Step]) -> list[Any]:
    return [
        {"offset": s.offset.total_seconds(), "action": s.action, "level": s.level} for s in steps
    ]


def _deadline(row: DeadlineRow) -> Deadline:
    return Deadline(
        id=row.id,
        kind=row.kind,
        subject=Subject(row.subject_type, row.subject_id, row.subject_key),
        due_at=row.due_at,
        steps=[
            Step(timedelta(seconds=s["offset"]), s["action"], s.get("level", 0)) for s in row.steps
        ],
        owner_id=row.owner_id,
        next_step=row.next_step,
        next_fire_at=row.next_fire_at,
        state=DeadlineState(row.state),
        snoozed_until=row.snoozed_until,
        calendar=row.calendar,
        params=dict(row.params),
        created_at=row.created_at,
        closed_at=row.closed_at,
    )


class SqlDeadlines:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @staticmethod
    def _fill(row: DeadlineRow, d: Deadline) -> None:
        row.kind, row.owner_id, row.due_at = d.kind, d.owner_id, d.due_at
        row.subject_type, row.subject_id, row.subject_key = (
            d.subject.type,
            d.subject.id,
            d.subject.key,
        )
        row.steps, row.next_step, row.next_fire_at = (
            _steps_to_json(d.steps),
            d.next_step,
            d.next_fire_at,
        )
        row.state, row.snoozed_until, row.calendar = d.state.value, d.snoozed_until, d.calendar
        row.params, row.closed_at = dict(d.params), d.closed_at
        if d.created_at is not None:
            row.created_at = d.created_at

    async def add(self, deadline: Deadline) -> Deadline:
        row = DeadlineRow()
        self._fill(row, deadline)
        self.session.add(row)
        await self.session.flush()
        deadline.id = row.id
        return deadline

    async def get(self, deadline_id: int) -> Deadline | None:
        row = await self.session.get(DeadlineRow, deadline_id)
        return _deadline(row) if row else None

    async def save(self, deadline: Deadline) -> None:
        row = await self.session.get(DeadlineRow, deadline.id)
        assert row is not None
        self._fill(row, deadline)

    async def due(self, now: datetime, limit: int) -> list[Deadline]:
        rows = await self.session.scalars(
            select(DeadlineRow)
            .where(DeadlineRow.state == DeadlineState.OPEN.value, DeadlineRow.next_fire_at <= now)
            .order_by(DeadlineRow.next_fire_at, DeadlineRow.id)
            .limit(limit)
        )
        return [_deadline(row) for row in rows]

    async def open_for(self, subject: Subject, kinds: Sequence[str] = ()) -> list[Deadline]:
        query = select(DeadlineRow).where(
            DeadlineRow.subject_type == subject.type,
            DeadlineRow.subject_id == subject.id,
            DeadlineRow.state == DeadlineState.OPEN.value,
        )
        if kinds:
            query = query.where(DeadlineRow.kind.in_(list(kinds)))
        return [
            _deadline(row) for row in await self.session.scalars(query.order_by(DeadlineRow.id))
        ]

    async def open_owned_by(self, user_id: str) -> list[Deadline]:
        rows = await self.session.scalars(
            select(DeadlineRow)
            .where(DeadlineRow.owner_id == user_id, DeadlineRow.state == DeadlineState.OPEN.value)
            .order_by(DeadlineRow.due_at)
        )
        return [_deadline(row) for row in rows]

    async def record_step(self, deadline_id: int, step_index: int, fired_at: datetime) -> bool:
        try:
            async with self.session.begin_nested():
                self.session.add(
                    DeadlineStepRow(
                        deadline_id=deadline_id, step_index=step_index, fired_at=fired_at
                    )
                )
                await self.session.flush()
        except IntegrityError:
            return False
        return True


def _api_key(row: ApiKeyRow) -> ApiKey:
    return ApiKey(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        secret_hash=row.secret_hash,
        scopes=frozenset(row.scopes),
        created_by=row.created_by,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
        rate_limit_per_minute=row.rate_limit_per_minute,
    )


class SqlApiKeys:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, key: ApiKey) -> ApiKey:
        row = ApiKeyRow(
            name=key.name,
            prefix=key.prefix,
            secret_hash=key.secret_hash,
            scopes=sorted(key.scopes),
            created_by=key.created_by,
            created_at=key.created_at,
            expires_at=key.expires_at,
            rate_limit_per_minute=key.rate_limit_per_minute,
        )
        self.session.add(row)
        await self.session.flush()
        key.id = row.id
        return key

    async def get(self, key_id: int) -> ApiKey | None:
        row = await self.session.get(ApiKeyRow, key_id)
        return _api_key(row) if row else None

    async def find_by_prefix(self, prefix: str) -> ApiKey | None:
        row = await self.session.scalar(select(ApiKeyRow).where(ApiKeyRow.prefix == prefix))
        return _api_key(row) if row else None

    async def list(self) -> list[ApiKey]:
        return [
            _api_key(r)
            for r in await self.session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id))
        ]

    async def save(self, key: ApiKey) -> None:
        row = await self.session.get(ApiKeyRow, key.id)
        assert row is not None
        row.name, row.scopes, row.expires_at = key.name, sorted(key.scopes), key.expires_at
        row.revoked_at, row.last_used_at = key.revoked_at, key.last_used_at


def _subscription(row: WebhookSubscriptionRow) -> WebhookSubscription:
    return WebhookSubscription(
        id=row.id,
        url=row.url,
        event_types=tuple(row.event_types),
        secret=row.secret,
        created_by=row.created_by,
        created_at=row.created_at,
        active=row.active,
        description=row.description,
    )


class SqlWebhooks:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, subscription: WebhookSubscription) -> WebhookSubscription:
        row = WebhookSubscriptionRow(
            url=subscription.url,
            event_types=list(subscription.event_types),
            secret=subscription.secret,
            created_by=subscription.created_by,
            created_at=subscription.created_at,
            active=subscription.active,
            description=subscription.description,
        )
        self.session.add(row)
        await self.session.flush()
        subscription.id = row.id
        return subscription

    async def get(self, subscription_id: int) -> WebhookSubscription | None:
        row = await self.session.get(WebhookSubscriptionRow, subscription_id)
        return _subscription(row) if row else None

    async def list(self, include_inactive: bool = False) -> list[WebhookSubscription]:
        query = select(WebhookSubscriptionRow).order_by(WebhookSubscriptionRow.id)
        if not include_inactive:
            query = query.where(WebhookSubscriptionRow.active.is_(True))
        return [_subscription(row) for row in await self.session.scalars(query)]

    async def save(self, subscription: WebhookSubscription) -> None:
        row = await self.session.get(WebhookSubscriptionRow, subscription.id)
        assert row is not None
        row.active, row.description = subscription.active, subscription.description
        row.event_types = list(subscription.event_types)

    async def deliveries(
        self, subscription_id: int, before_id: int | None, limit: int
    ) -> Sequence[WebhookDelivery]:
        query = select(OutboxRow).where(
            OutboxRow.kind == "webhook", OutboxRow.subscription_id == subscription_id
        )
        if before_id is not None:
            query = query.where(OutboxRow.id < before_id)
        rows = await self.session.scalars(query.order_by(OutboxRow.id.desc()).limit(limit))
        return [_delivery(row) for row in rows]


def _delivery(row: OutboxRow) -> WebhookDelivery:
    assert row.subscription_id is not None
    return WebhookDelivery(
        id=row.id,
        subscription_id=row.subscription_id,
        event_id=row.event_id,
        event_type=str(row.payload.get("type", "")),
        state=row.state,
        attempts=row.attempts,
        response_status=row.response_status,
        last_error=row.last_error,
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at,
        sent_at=row.sent_at,
    )
