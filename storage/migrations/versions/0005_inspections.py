"""inspections: plans, runs, report schedules, and the events index for reports

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import storage.models.base

revision: str = "0005"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")
BIGID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC = storage.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "inspection_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("name_folded", sa.String(length=80), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("checklist", JSON, nullable=False),
        sa.Column("cron", sa.String(length=120), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("grace_minutes", sa.Integer(), nullable=False),
        sa.Column("assignee_id", sa.String(length=32), nullable=True),
        sa.Column("assignee_role", sa.String(length=20), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("next_due_at", UTC, nullable=True),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platforms.id"],
            name=op.f("fk_inspection_plans_platform_id_platforms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_plans")),
    )
    op.create_index(
        op.f("ix_inspection_plans_name_folded"), "inspection_plans", ["name_folded"]
    )
    op.create_index(
        op.f("ix_inspection_plans_state_next_due_at"),
        "inspection_plans",
        ["state", "next_due_at"],
    )
    op.create_table(
        "inspection_runs",
        sa.Column("id", BIGID, nullable=False),
        sa.Column("number", BIGID, nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("scheduled_for", UTC, nullable=False),
        sa.Column("opened_at", UTC, nullable=False),
        sa.Column("due_at", UTC, nullable=False),
        sa.Column("checklist", JSON, nullable=False),
        sa.Column("assignee_id", sa.String(length=32), nullable=True),
        sa.Column("assignee_role", sa.String(length=20), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("missed_at", UTC, nullable=True),
        sa.Column("completed_at", UTC, nullable=True),
        sa.Column("completed_by", sa.String(length=120), nullable=True),
        sa.Column("results", JSON, nullable=False),
        sa.Column("failed_count", sa.Integer(), nullable=False),
        sa.Column("notified", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["inspection_plans.id"],
            name=op.f("fk_inspection_runs_plan_id_inspection_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platforms.id"],
            name=op.f("fk_inspection_runs_platform_id_platforms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_runs")),
        sa.UniqueConstraint("number", name=op.f("uq_inspection_runs_number")),
        sa.UniqueConstraint(
            "plan_id", "scheduled_for", name=op.f("uq_inspection_runs_plan_id_scheduled_for")
        ),
    )
    for columns in (
        ["state", "due_at"],
        ["completed_at"],
        ["missed_at"],
        ["opened_at"],
        ["assignee_id", "state"],
    ):
        op.create_index(
            op.f(f"ix_inspection_runs_{'_'.join(columns)}"), "inspection_runs", columns
        )
    op.create_table(
        "report_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("cron", sa.String(length=120), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=True),
        sa.Column("locale", sa.String(length=16), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("next_run_at", UTC, nullable=True),
        sa.Column("last_run_at", UTC, nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platforms.id"],
            name=op.f("fk_report_schedules_platform_id_platforms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_schedules")),
    )
    op.create_index(
        op.f("ix_report_schedules_active_next_run_at"),
        "report_schedules",
        ["active", "next_run_at"],
    )
    op.create_index(
        "ix_events_type_subject_id_occurred_at", "events", ["type", "subject_id", "occurred_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_events_type_subject_id_occurred_at", table_name="events")
    op.drop_table("report_schedules")
    op.drop_table("inspection_runs")
    op.drop_table("inspection_plans")
