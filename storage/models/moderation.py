"""Moderation tables: platform users, cases, queue items (reports and appeals).

Indexes serve the platform's status lookup: (platform_id, external_id) finds the user, then
(platform_user_id, kind, status) finds bans and active warnings without a scan.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.models.core import BigId


class PlatformUserRow(Base):
    __tablename__ = "platform_users"
    __table_args__ = (UniqueConstraint("platform_id", "external_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(128))
    handle: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime]
    erased_at: Mapped[datetime | None]


class ModerationCaseRow(Base):
    __tablename__ = "moderation_cases"
    __table_args__ = (
        Index(None, "platform_user_id", "kind", "status"),
        Index(None, "platform_id", "id"),
        Index(None, "status", "confirmation"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[int] = mapped_column(BigId, unique=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"))
    platform_user_id: Mapped[int] = mapped_column(
        ForeignKey("platform_users.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12))
    rule_code: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(12))
    notice_text: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text, default="")
    content_ids: Mapped[list[Any]]
    internal_note: Mapped[str] = mapped_column(Text, default="")
    permanent: Mapped[bool] = mapped_column(default=False)
    ends_at: Mapped[datetime | None]
    delete_content: Mapped[bool] = mapped_column(default=False)
    pursue_responsibility: Mapped[bool] = mapped_column(default=False)
    confirmation: Mapped[str] = mapped_column(String(12))
    confirmed_by: Mapped[str | None] = mapped_column(String(120))
    confirmed_at: Mapped[datetime | None]
    created_by: Mapped[str] = mapped_column(String(120), index=True)
    created_at: Mapped[datetime]
    closed_by: Mapped[str | None] = mapped_column(String(120))
    closed_at: Mapped[datetime | None]
    close_reason: Mapped[str] = mapped_column(Text, default="")
    proposal: Mapped[dict[str, Any] | None]
    source_item_id: Mapped[int | None] = mapped_column(BigId)
    request_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    version: Mapped[int] = mapped_column(default=0)


class ModerationItemRow(Base):
    __tablename__ = "moderation_items"
    __table_args__ = (
        UniqueConstraint("kind", "number"),
        Index(None, "status", "id"),
        Index(None, "platform_user_id", "kind", "status"),
        Index(None, "case_id", "status"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[int] = mapped_column(BigId)
    kind: Mapped[str] = mapped_column(String(12))
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"))
    platform_user_id: Mapped[int] = mapped_column(
        ForeignKey("platform_users.id", ondelete="CASCADE")
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderation_cases.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text, default="")
    reporter: Mapped[str] = mapped_column(String(200), default="")
    content_id: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(12))
    taken_by: Mapped[str | None] = mapped_column(String(120))
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")
    outcome_case_id: Mapped[int | None] = mapped_column(BigId)


class ModerationPolicyRow(Base):
    """The organisation's configured rule catalogue, ladder and warning lifetime (`scope`
    "organisation"; room for a platform's own policy later). Absent parts keep the defaults."""

    __tablename__ = "moderation_policies"
    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    settings: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
