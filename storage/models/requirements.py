"""Tables of requirements: the requirement, its votes per round, test records, delegations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class RequirementRow(Base):
    __tablename__ = "requirements"
    __table_args__ = (
        Index(None, "department_id", "stage"),
        Index(None, "submitter_id"),
        Index(None, "stage", "created_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id"))
    description: Mapped[str] = mapped_column(Text)
    justification: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(String(12))
    wanted_by: Mapped[date | None] = mapped_column(Date)
    submitter_id: Mapped[str] = mapped_column(String(32))
    owner_id: Mapped[str | None] = mapped_column(String(32))
    stage: Mapped[str] = mapped_column(String(20))
    round: Mapped[int] = mapped_column(default=1)
    quorum: Mapped[int] = mapped_column(default=1)
    seats: Mapped[list[Any]]
    recipients: Mapped[list[Any]]
    created_at: Mapped[datetime]
    stage_changed_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class RequirementVoteRow(Base):
    """One vote per seat per round: the unique key is what makes a double click harmless."""

    __tablename__ = "requirement_votes"
    __table_args__ = (UniqueConstraint("requirement_id", "round", "approver_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    requirement_id: Mapped[int] = mapped_column(
        ForeignKey("requirements.id", ondelete="CASCADE"), index=True
    )
    round: Mapped[int]
    approver_id: Mapped[str] = mapped_column(String(32))
    cast_by: Mapped[str] = mapped_column(String(32))
    decision: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(Text)
    cast_at: Mapped[datetime]


class RequirementTestRow(Base):
    __tablename__ = "requirement_tests"
    id: Mapped[int] = mapped_column(primary_key=True)
    requirement_id: Mapped[int] = mapped_column(
        ForeignKey("requirements.id", ondelete="CASCADE"), index=True
    )
    passed: Mapped[bool]
    evidence: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime]


class ApprovalDelegationRow(Base):
    __tablename__ = "approval_delegations"
    __table_args__ = (Index(None, "delegator_id", "until"), Index(None, "delegate_id", "until"))
    id: Mapped[int] = mapped_column(primary_key=True)
    delegator_id: Mapped[str] = mapped_column(String(32))
    delegate_id: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime]
    until: Mapped[datetime]
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
