"""Tables of inspections (plans, runs) and of operations-report schedules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.models.core import BigId, EventRow


class InspectionPlanRow(Base):
    __tablename__ = "inspection_plans"
    __table_args__ = (Index(None, "state", "next_due_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    name_folded: Mapped[str] = mapped_column(String(80), index=True)  # for case-free lookups
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"))
    checklist: Mapped[list[Any]]
    cron: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(32))
    grace_minutes: Mapped[int]
    assignee_id: Mapped[str | None] = mapped_column(String(32))
    assignee_role: Mapped[str | None] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(12), default="active")
    next_due_at: Mapped[datetime | None]
    source: Mapped[str] = mapped_column(String(12), default="slack")
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]


class InspectionRunRow(Base):
    __tablename__ = "inspection_runs"
    __table_args__ = (
        # Two workers (or a restart) can never open the same tick twice.
        UniqueConstraint("plan_id", "scheduled_for"),
        Index(None, "state", "due_at"),
        Index(None, "completed_at"),
        Index(None, "missed_at"),
        Index(None, "opened_at"),
        Index(None, "assignee_id", "state"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[int] = mapped_column(BigId, unique=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("inspection_plans.id", ondelete="CASCADE"))
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"))
    scheduled_for: Mapped[datetime]
    opened_at: Mapped[datetime]
    due_at: Mapped[datetime]
    checklist: Mapped[list[Any]]
    assignee_id: Mapped[str | None] = mapped_column(String(32))
    assignee_role: Mapped[str | None] = mapped_column(String(20))
    channel_id: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(12), default="open")
    late: Mapped[bool] = mapped_column(default=False)
    missed_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    completed_by: Mapped[str | None] = mapped_column(String(120))
    results: Mapped[list[Any]]
    failed_count: Mapped[int] = mapped_column(default=0)  # for report sums without JSON parsing
    notified: Mapped[list[Any]]


class ReportScheduleRow(Base):
    __tablename__ = "report_schedules"
    __table_args__ = (Index(None, "active", "next_run_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # daily | weekly | monthly
    channel_id: Mapped[str] = mapped_column(String(32))
    cron: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64))
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"))
    locale: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    next_run_at: Mapped[datetime | None]
    last_run_at: Mapped[datetime | None]
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]


# Report queries look up later events (acknowledged, resolved, decided…) of the subjects that
# started in a period: by type, then subject, in time order. Declared here, on the backbone's
# events table, because the reports area is the one that needs it.
Index(
    "ix_events_type_subject_id_occurred_at",
    EventRow.type,
    EventRow.subject_id,
    EventRow.occurred_at,
)
