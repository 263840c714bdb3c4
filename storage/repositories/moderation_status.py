"""The platform's status lookup: banned?, until, active warnings, open appeal — its hot path.

One Core statement, built once with bind parameters (building it per call cost as much as running
it), executed on the session's connection without the ORM. The user is found by its unique index
(platform, external id); bans, warnings and appeals by (platform_user_id, kind, status).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.moderation.models import CaseKind, CaseStatus, ItemKind, ItemStatus, UserStatus
from storage.models.core import PlatformRow
from storage.models.moderation import ModerationCaseRow, ModerationItemRow, PlatformUserRow


@cache
def _statement() -> Select[Any]:
    users = PlatformUserRow.__table__
    cases = ModerationCaseRow.__table__
    items = ModerationItemRow.__table__
    platforms = PlatformRow.__table__
    now = bindparam("now", type_=cases.c.ends_at.type)
    in_effect = and_(
        cases.c.platform_user_id == users.c.id,
        cases.c.status == CaseStatus.ACTIVE.value,
        or_(cases.c.ends_at.is_(None), cases.c.ends_at > now),
    )
    # The ban in effect: a permanent one first, else the one ending last. SQLite has no
    # LATERAL, so its two columns come as two scalar subqueries over the same few rows.
    ban = (
        select(cases.c.number)
        .where(in_effect, cases.c.kind == CaseKind.BAN.value)
        .order_by(cases.c.ends_at.is_(None).desc(), cases.c.ends_at.desc())
        .limit(1)
    )
    warnings = (
        select(func.count()).where(in_effect, cases.c.kind == CaseKind.WARNING.value)
    ).scalar_subquery()
    # No ORDER BY/min(): with one, SQLite's planner walks the (kind, number) index over every
    # appeal instead of this user's few rows. A user rarely has two open appeals.
    appeal = (
        select(items.c.number)
        .where(
            items.c.platform_user_id == users.c.id,
            items.c.kind == ItemKind.APPEAL.value,
            items.c.status.in_([ItemStatus.OPEN.value, ItemStatus.TAKEN.value]),
        )
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(
            ban.scalar_subquery(),
            ban.with_only_columns(cases.c.ends_at).scalar_subquery(),
            warnings,
            appeal,
        )
        .select_from(users.join(platforms, platforms.c.id == users.c.platform_id))
        .where(
            platforms.c.key == bindparam("platform_key"),
            users.c.external_id == bindparam("external_id"),
        )
    )


async def user_status(
    session: AsyncSession, platform_key: str, external_id: str, now: datetime
) -> UserStatus:
    connection = await session.connection()
    result = await connection.execute(
        _statement(), {"platform_key": platform_key, "external_id": external_id, "now": now}
    )
    row = result.first()
    if row is None:
        return UserStatus(platform_key, external_id, known=False)
    number, ends_at, warning_count, appeal_number = row
    if isinstance(ends_at, str):  # SQLite may hand a subquery's datetime back as text
        ends_at = datetime.fromisoformat(ends_at)
    if ends_at is not None and ends_at.tzinfo is None:
        ends_at = ends_at.replace(tzinfo=UTC)
    return UserStatus(
        platform_key,
        external_id,
        known=True,
        banned=number is not None,
        ban_case=f"CASE-{number}" if number is not None else None,
        until=ends_at,
        active_warnings=int(warning_count or 0),
        open_appeal=f"APL-{appeal_number}" if appeal_number is not None else None,
    )
