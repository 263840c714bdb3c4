"""Tables of the backbone: people, roles, org, events (audit), outbox, deadlines, keys, webhooks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base

BigId = BigInteger().with_variant(Integer(), "sqlite")


class PersonRow(Base):
    __tablename__ = "people"
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    real_name: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    locale: Mapped[str | None] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    updated_at: Mapped[datetime]


class DepartmentRow(Base):
    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    channel_id: Mapped[str | None] = mapped_column(String(32))
    approval_quorum: Mapped[int] = mapped_column(default=1)
    remind_after_hours: Mapped[int] = mapped_column(default=24)
    escalate_after_hours: Mapped[int] = mapped_column(default=72)
    calendar: Mapped[str | None] = mapped_column(String(40))


class PlatformRow(Base):
    __tablename__ = "platforms"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    ops_channel_id: Mapped[str | None] = mapped_column(String(32))
    moderation_channel_id: Mapped[str | None] = mapped_column(String(32))
    calendar: Mapped[str | None] = mapped_column(String(40))


class RoleGrantRow(Base):
    __tablename__ = "role_grants"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "department_id", "platform_id"),
        Index(None, "role", "department_id", "platform_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    role: Mapped[str] = mapped_column(String(20))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE")
    )
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"))
    granted_at: Mapped[datetime]


class EventRow(Base):
    """The audit log: append-only, each row chained to the previous by `hash`."""

    __tablename__ = "events"
    __table_args__ = (
        Index(None, "subject_type", "subject_id"),
        Index(None, "type", "occurred_at"),
        Index(None, "occurred_at"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    occurred_at: Mapped[datetime]
    type: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(BigId)
    subject_key: Mapped[str | None] = mapped_column(String(64))
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str] = mapped_column(String(120))
    data: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """One row: the last event's id and hash. Locked per write so the chain never forks."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    last_event_id: Mapped[int] = mapped_column(BigId, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


class OutboxRow(Base):
    """A message to deliver after commit: a Slack notice or a webhook delivery."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index(None, "state", "next_attempt_at"),
        Index(None, "ref", "state"),
        Index(None, "subscription_id", "id"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    created_at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(16))  # "slack" | "webhook"
    lane: Mapped[str] = mapped_column(String(80))  # deliveries in one lane keep their order
    ref: Mapped[str | None] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    event_id: Mapped[int | None] = mapped_column(BigId)
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="SET NULL")
    )
    response_status: Mapped[int | None]


class SlackMessageRow(Base):
    """Where a kept-up-to-date message lives, so it can be updated in place."""

    __tablename__ = "slack_messages"
    ref: Mapped[str] = mapped_column(String(200), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32))
    posted_at: Mapped[datetime]


class DeadlineRow(Base):
    __tablename__ = "deadlines"
    __table_args__ = (
        Index(None, "state", "next_fire_at"),
        Index(None, "subject_type", "subject_id", "state"),
        Index(None, "owner_id", "state"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column(BigId)
    subject_key: Mapped[str | None] = mapped_column(String(64))
    owner_id: Mapped[str | None] = mapped_column(String(32))
    due_at: Mapped[datetime]
    steps: Mapped[list[Any]]
    next_step: Mapped[int] = mapped_column(default=0)
    next_fire_at: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(12), default="open")
    snoozed_until: Mapped[datetime | None]
    calendar: Mapped[str | None] = mapped_column(String(40))
    params: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class DeadlineStepRow(Base):
    __tablename__ = "deadline_steps"
    deadline_id: Mapped[int] = mapped_column(
        ForeignKey("deadlines.id", ondelete="CASCADE"), primary_key=True
    )
    step_index: Mapped[int] = mapped_column(primary_key=True)
    fired_at: Mapped[datetime]


class CounterRow(Base):
    """Gap-free sequences for human keys (REQ-n, INC-n, CASE-n, RUN-n)."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigId, default=0)


class ApiKeyRow(Base):
    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[Any]]
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    rate_limit_per_minute: Mapped[int] = mapped_column(default=600)


class IdempotencyKeyRow(Base):
    """First response to a POST with an Idempotency-Key, replayed for repeats (24 h)."""

    __tablename__ = "idempotency_keys"
    api_key_id: Mapped[int] = mapped_column(
        ForeignKey("api_keys.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12))  # "running" | "done"
    status_code: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(index=True)


class WebhookSubscriptionRow(Base):
    __tablename__ = "webhook_subscriptions"
    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    event_types: Mapped[list[Any]]
    secret: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]
    active: Mapped[bool] = mapped_column(default=True)
    description: Mapped[str] = mapped_column(String(400), default="")
