"""moderation: platform users, cases, queue items (reports and appeals)

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import storage.models.base

revision: str = "0004"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")
BIGID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC = storage.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "platform_users",
        sa.Column("id", BIGID, nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=False),
        sa.Column("handle", sa.String(length=120), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("erased_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platforms.id"],
            name=op.f("fk_platform_users_platform_id_platforms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_users")),
        sa.UniqueConstraint(
            "platform_id", "external_id", name=op.f("uq_platform_users_platform_id_external_id")
        ),
    )
    op.create_table(
        "moderation_cases",
        sa.Column("id", BIGID, nullable=False),
        sa.Column("number", BIGID, nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("platform_user_id", BIGID, nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("rule_code", sa.String(length=60), nullable=False),
        sa.Column("severity", sa.String(length=12), nullable=False),
        sa.Column("notice_text", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("content_ids", JSON, nullable=False),
        sa.Column("internal_note", sa.Text(), nullable=False),
        sa.Column("permanent", sa.Boolean(), nullable=False),
        sa.Column("ends_at", UTC, nullable=True),
        sa.Column("delete_content", sa.Boolean(), nullable=False),
        sa.Column("pursue_responsibility", sa.Boolean(), nullable=False),
        sa.Column("confirmation", sa.String(length=12), nullable=False),
        sa.Column("confirmed_by", sa.String(length=120), nullable=True),
        sa.Column("confirmed_at", UTC, nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("closed_by", sa.String(length=120), nullable=True),
        sa.Column("closed_at", UTC, nullable=True),
        sa.Column("close_reason", sa.Text(), nullable=False),
        sa.Column("proposal", JSON, nullable=True),
        sa.Column("source_item_id", BIGID, nullable=True),
        sa.Column("request_key", sa.String(length=80), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platforms.id"],
            name=op.f("fk_moderation_cases_platform_id_platforms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["platform_user_id"],
            ["platform_users.id"],
            name=op.f("fk_moderation_cases_platform_user_id_platform_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_cases")),
        sa.UniqueConstraint("number", name=op.f("uq_moderation_cases_number")),
        sa.UniqueConstraint("request_key", name=op.f("uq_moderation_cases_request_key")),
    )
    op.create_index(
        op.f("ix_moderation_cases_platform_user_id_kind_status"),
        "moderation_cases",
        ["platform_user_id", "kind", "status"],
    )
    op.create_index(
        op.f("ix_moderation_cases_platform_id_id"), "moderation_cases", ["platform_id", "id"]
    )
    op.create_index(
        op.f("ix_moderation_cases_status_confirmation"),
        "moderation_cases",
        ["status", "confirmation"],
    )
    op.create_index(op.f("ix_moderation_cases_created_by"), "moderation_cases", ["created_by"])
    op.create_table(
        "moderation_items",
        sa.Column("id", BIGID, nullable=False),
        sa.Column("number", BIGID, nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("platform_user_id", BIGID, nullable=False),
        sa.Column("case_id", BIGID, nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reporter", sa.String(length=200), nullable=False),
        sa.Column("content_id", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("taken_by", sa.String(length=120), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decided_at", UTC, nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("outcome_case_id", BIGID, nullable=True),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platforms.id"],
            name=op.f("fk_moderation_items_platform_id_platforms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["platform_user_id"],
            ["platform_users.id"],
            name=op.f("fk_moderation_items_platform_user_id_platform_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["moderation_cases.id"],
            name=op.f("fk_moderation_items_case_id_moderation_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_items")),
        sa.UniqueConstraint("kind", "number", name=op.f("uq_moderation_items_kind_number")),
    )
    op.create_index(op.f("ix_moderation_items_status_id"), "moderation_items", ["status", "id"])
    op.create_index(
        op.f("ix_moderation_items_platform_user_id_kind_status"),
        "moderation_items",
        ["platform_user_id", "kind", "status"],
    )
    op.create_index(
        op.f("ix_moderation_items_case_id_status"), "moderation_items", ["case_id", "status"]
    )


def downgrade() -> None:
    op.drop_table("moderation_items")
    op.drop_table("moderation_cases")
    op.drop_table("platform_users")
