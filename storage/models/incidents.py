"""Incidents, on-call rotations and incident policies (the timeline is the events table)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.models.core import BigId

OPEN_ONLY = text("status <> 'resolved'")


class IncidentRow(Base):
    __tablename__ = "incidents"
    __table_args__ = (
        Index(None, "status", "platform_id"),
        Index(None, "created_at"),
        Index(None, "review_owner_id", "review_recorded_at"),
        # At most one open incident per dedup key, even with concurrent writers (PostgreSQL).
        Index(
            "uq_incidents_open_dedup_key",
            "dedup_key",
            unique=True,
            sqlite_where=OPEN_ONLY,
            postgresql_where=OPEN_ONLY,
        ),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[int] = mapped_column(BigId, unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"))
    severity: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    dedup_key: Mapped[str | None] = mapped_column(String(200))
    declared_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]
    occurrences: Mapped[int] = mapped_column(default=1)
    last_seen_at: Mapped[datetime | None]
    triggered_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(120))
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(120))
    resolution_summary: Mapped[str | None] = mapped_column(Text)
    escalation_level: Mapped[int] = mapped_column(default=0)
    labels: Mapped[dict[str, Any]]
    review_owner_id: Mapped[str | None] = mapped_column(String(32))
    review_due_at: Mapped[datetime | None]
    review_recorded_at: Mapped[datetime | None]
    review: Mapped[dict[str, Any] | None]


class OnCallRotationRow(Base):
    __tablename__ = "oncall_rotations"
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("platforms.id", ondelete="CASCADE"), primary_key=True
    )
    members: Mapped[list[Any]]
    anchor: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime]


class IncidentPolicyRow(Base):
    """`scope` is "global" or "platform:<id>"; `settings` holds the IncidentPolicy fields."""

    __tablename__ = "incident_policies"
    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    settings: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
