"""requirements: requirements, votes per round, test records, approval delegations

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import storage.models.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")
UTC = storage.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "requirements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("priority", sa.String(length=12), nullable=False),
        sa.Column("wanted_by", sa.Date(), nullable=True),
        sa.Column("submitter_id", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=True),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("quorum", sa.Integer(), nullable=False),
        sa.Column("seats", JSON, nullable=False),
        sa.Column("recipients", JSON, nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("stage_changed_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_requirements_department_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["platform_id"], ["platforms.id"], name=op.f("fk_requirements_platform_id_platforms")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requirements")),
        sa.UniqueConstraint("number", name=op.f("uq_requirements_number")),
    )
    with op.batch_alter_table("requirements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_requirements_department_id_stage"), ["department_id", "stage"]
        )
        batch_op.create_index(batch_op.f("ix_requirements_submitter_id"), ["submitter_id"])
        batch_op.create_index(batch_op.f("ix_requirements_stage_created_at"), ["stage", "created_at"])

    op.create_table(
        "requirement_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requirement_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("approver_id", sa.String(length=32), nullable=False),
        sa.Column("cast_by", sa.String(length=32), nullable=False),
        sa.Column("decision", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("cast_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["requirement_id"],
            ["requirements.id"],
            name=op.f("fk_requirement_votes_requirement_id_requirements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requirement_votes")),
        sa.UniqueConstraint(
            "requirement_id",
            "round",
            "approver_id",
            name=op.f("uq_requirement_votes_requirement_id_round_approver_id"),
        ),
    )
    with op.batch_alter_table("requirement_votes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_requirement_votes_requirement_id"), ["requirement_id"]
        )

    op.create_table(
        "requirement_tests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requirement_id", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("recorded_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["requirement_id"],
            ["requirements.id"],
            name=op.f("fk_requirement_tests_requirement_id_requirements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requirement_tests")),
    )
    with op.batch_alter_table("requirement_tests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_requirement_tests_requirement_id"), ["requirement_id"]
        )

    op.create_table(
        "approval_delegations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delegator_id", sa.String(length=32), nullable=False),
        sa.Column("delegate_id", sa.String(length=32), nullable=False),
        sa.Column("starts_at", UTC, nullable=False),
        sa.Column("until", UTC, nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("revoked_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_delegations")),
    )
    with op.batch_alter_table("approval_delegations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_approval_delegations_delegator_id_until"), ["delegator_id", "until"]
        )
        batch_op.create_index(
            batch_op.f("ix_approval_delegations_delegate_id_until"), ["delegate_id", "until"]
        )


def downgrade() -> None:
    op.drop_table("approval_delegations")
    op.drop_table("requirement_tests")
    op.drop_table("requirement_votes")
    op.drop_table("requirements")
