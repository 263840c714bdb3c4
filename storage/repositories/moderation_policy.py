"""The organisation's moderation policy: PolicySettings ↔ one JSON row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.moderation.catalogue import PolicySettings, Rule, Rung, Severity
from storage.models.moderation import ModerationPolicyRow

SCOPE = "organisation"


async def load_policy(session: AsyncSession) -> PolicySettings:
    row = await session.get(ModerationPolicyRow, SCOPE)
    return _settings(row.settings) if row else PolicySettings()


async def store_policy(session: AsyncSession, settings: PolicySettings, at: datetime) -> None:
    row = await session.get(ModerationPolicyRow, SCOPE)
    if row is None:
        session.add(ModerationPolicyRow(scope=SCOPE, settings=_json(settings), updated_at=at))
    else:
        row.settings, row.updated_at = _json(settings), at
    await session.flush()


def _json(settings: PolicySettings) -> dict[str, Any]:
    return {
        "rules": None
        if settings.rules is None
        else [
            {
                "code": r.code,
                "title": _wording(r.title),
                "severity": r.severity.value,
                "warn_notice": _wording(r.warn_notice),
                "ban_notice": _wording(r.ban_notice),
            }
            for r in settings.rules
        ],
        "ladder": None
        if settings.ladder is None
        else [
            {"warnings": r.warnings, "within_days": r.within_days, "ban_days": r.ban_days}
            for r in settings.ladder
        ],
        "warning_days": settings.warning_days,
    }


def _wording(value: Any) -> Any:
    return value if isinstance(value, str) else dict(value)


def _settings(data: dict[str, Any]) -> PolicySettings:
    rules = data.get("rules")
    ladder = data.get("ladder")
    return PolicySettings(
        rules=None
        if rules is None
        else tuple(
            Rule(
                r["code"],
                r["title"],
                Severity(r["severity"]),
                r["warn_notice"],
                r["ban_notice"],
            )
            for r in rules
        ),
        ladder=None if ladder is None else tuple(Rung(**r) for r in ladder),
        warning_days=data.get("warning_days"),
    )
