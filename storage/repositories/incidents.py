"""Incidents, rotations and policies: rows ↔ domain objects. The timeline reads the audit events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.incidents.models import (
    Incident,
    IncidentPolicy,
    IncidentSource,
    IncidentStatus,
    PlatformOverride,
    Review,
    Severity,
)
from domain.incidents.oncall import Rotation
from domain.incidents.ports import IncidentFilter, TimelineEntry
from storage.models.core import EventRow
from storage.models.incidents import IncidentPolicyRow, IncidentRow, OnCallRotationRow

_SCALARS = (
    "number",
    "title",
    "description",
    "platform_id",
    "dedup_key",
    "declared_by",
    "created_at",
    "occurrences",
    "last_seen_at",
    "triggered_at",
    "acknowledged_at",
    "acknowledged_by",
    "resolved_at",
    "resolved_by",
    "resolution_summary",
    "escalation_level",
    "review_owner_id",
    "review_due_at",
)


def _review_to_json(review: Review | None) -> dict[str, Any] | None:
    if review is None:
        return None
    return {
        "summary": review.summary,
        "root_cause": review.root_cause,
        "actions": list(review.actions),
        "recorded_by": review.recorded_by,
        "recorded_at": review.recorded_at.isoformat(),
    }


def _review(data: dict[str, Any] | None) -> Review | None:
    if not data:
        return None
    return Review(
        data["summary"],
        data["root_cause"],
        list(data.get("actions") or []),
        data["recorded_by"],
        datetime.fromisoformat(data["recorded_at"]),
    )


def _incident(row: IncidentRow) -> Incident:
    values = {name: getattr(row, name) for name in _SCALARS}
    return Incident(
        id=row.id,
        severity=Severity(row.severity),
        status=IncidentStatus(row.status),
        source=IncidentSource(row.source),
        labels=dict(row.labels or {}),
        review=_review(row.review),
        **values,
    )


def _fill(row: IncidentRow, incident: Incident) -> None:
    for name in _SCALARS:
        setattr(row, name, getattr(incident, name))
    row.severity, row.status = incident.severity.value, incident.status.value
    row.source, row.labels = incident.source.value, dict(incident.labels)
    row.review = _review_to_json(incident.review)
    row.review_recorded_at = incident.review.recorded_at if incident.review else None


class SqlIncidents:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, incident: Incident) -> Incident:
        row = IncidentRow()
        _fill(row, incident)
        self.session.add(row)
        await self.session.flush()
        incident.id = row.id
        return incident

    async def get(self, incident_id: int) -> Incident | None:
        row = await self.session.get(IncidentRow, incident_id)
        return _incident(row) if row else None

    async def get_by_number(self, number: int) -> Incident | None:
        row = await self.session.scalar(select(IncidentRow).where(IncidentRow.number == number))
        return _incident(row) if row else None

    async def save(self, incident: Incident) -> None:
        row = await self.session.get(IncidentRow, incident.id)
        assert row is not None
        _fill(row, incident)
        await self.session.flush()

    async def find_open_by_dedup_key(self, dedup_key: str) -> Incident | None:
        row = await self.session.scalar(
            select(IncidentRow).where(
                IncidentRow.dedup_key == dedup_key,
                IncidentRow.status != IncidentStatus.RESOLVED.value,
            )
        )
        return _incident(row) if row else None

    async def search(self, query: IncidentFilter) -> list[Incident]:
        stmt = select(IncidentRow).order_by(IncidentRow.id.desc()).limit(query.limit)
        if query.statuses:
            stmt = stmt.where(IncidentRow.status.in_([s.value for s in query.statuses]))
        if query.severities:
            stmt = stmt.where(IncidentRow.severity.in_([s.value for s in query.severities]))
        if query.platform_id is not None:
            stmt = stmt.where(IncidentRow.platform_id == query.platform_id)
        if query.since is not None:
            stmt = stmt.where(IncidentRow.created_at >= query.since)
        if query.after_id is not None:
            stmt = stmt.where(IncidentRow.id < query.after_id)
        if query.involving:
            who = query.involving
            stmt = stmt.where(
                or_(
                    IncidentRow.declared_by == who,
                    IncidentRow.acknowledged_by == who,
                    IncidentRow.resolved_by == who,
                    IncidentRow.review_owner_id == who,
                )
            )
        return [_incident(row) for row in await self.session.scalars(stmt)]

    async def open_on_platforms(self, platform_ids: list[int]) -> list[Incident]:
        if not platform_ids:
            return []
        rows = await self.session.scalars(
            select(IncidentRow)
            .where(
                IncidentRow.platform_id.in_(platform_ids),
                IncidentRow.status != IncidentStatus.RESOLVED.value,
            )
            .order_by(IncidentRow.id.desc())
            .limit(50)
        )
        return [_incident(row) for row in rows]

    async def reviews_owed_by(self, user_id: str) -> list[Incident]:
        rows = await self.session.scalars(
            select(IncidentRow)
            .where(
                IncidentRow.review_owner_id == user_id,
                IncidentRow.review_due_at.is_not(None),
                IncidentRow.review_recorded_at.is_(None),
            )
            .order_by(IncidentRow.review_due_at)
            .limit(50)
        )
        return [_incident(row) for row in rows]

    async def timeline(self, incident_id: int) -> list[TimelineEntry]:
        rows = await self.session.scalars(
            select(EventRow)
            .where(EventRow.subject_type == "incident", EventRow.subject_id == incident_id)
            .order_by(EventRow.id)
        )
        return [
            TimelineEntry(row.occurred_at, row.type, row.actor_kind, row.actor_id, dict(row.data))
            for row in rows
        ]


GLOBAL_SCOPE = "global"


def _policy_to_json(policy: IncidentPolicy) -> dict[str, Any]:
    return {
        "ack_minutes": {s.value: m for s, m in policy.ack_minutes.items()},
        "review_working_days": policy.review_working_days,
        "severity_label": policy.severity_label,
        "platform_label": policy.platform_label,
        "severity_map": {k: s.value for k, s in policy.severity_map.items()},
        "default_alert_severity": policy.default_alert_severity.value,
    }


def _policy(data: dict[str, Any]) -> IncidentPolicy:
    defaults = IncidentPolicy()
    return IncidentPolicy(
        ack_minutes={Severity(k): int(v) for k, v in data.get("ack_minutes", {}).items()}
        or defaults.ack_minutes,
        review_working_days=int(data.get("review_working_days", defaults.review_working_days)),
        severity_label=data.get("severity_label", defaults.severity_label),
        platform_label=data.get("platform_label", defaults.platform_label),
        severity_map={k: Severity(v) for k, v in data.get("severity_map", {}).items()}
        or defaults.severity_map,
        default_alert_severity=Severity(
            data.get("default_alert_severity", defaults.default_alert_severity.value)
        ),
    )


def _override_to_json(override: PlatformOverride) -> dict[str, Any]:
    data: dict[str, Any] = {"ack_minutes": {s.value: m for s, m in override.ack_minutes.items()}}
    if override.review_working_days is not None:
        data["review_working_days"] = override.review_working_days
    return data


def _override(data: dict[str, Any]) -> PlatformOverride:
    # Rows written before overrides were partial hold a whole policy: every value is then pinned.
    days = data.get("review_working_days")
    return PlatformOverride(
        ack_minutes={Severity(k): int(v) for k, v in data.get("ack_minutes", {}).items()},
        review_working_days=int(days) if days is not None else None,
    )


def _rotation(row: OnCallRotationRow) -> Rotation:
    return Rotation(row.platform_id, list(row.members), row.anchor, row.updated_by, row.updated_at)


class SqlOnCall:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_rotation(self, platform_id: int) -> Rotation | None:
        row = await self.session.get(OnCallRotationRow, platform_id)
        return _rotation(row) if row else None

    async def save_rotation(self, rotation: Rotation) -> None:
        row = await self.session.get(OnCallRotationRow, rotation.platform_id)
        if row is None:
            row = OnCallRotationRow(platform_id=rotation.platform_id)
            self.session.add(row)
        row.members, row.anchor = list(rotation.members), rotation.anchor
        row.updated_by, row.updated_at = rotation.updated_by, rotation.updated_at
        await self.session.flush()

    async def rotations_with(self, user_id: str) -> list[Rotation]:
        rows = await self.session.scalars(select(OnCallRotationRow))
        return [_rotation(row) for row in rows if user_id in row.members]

    async def get_policy(self) -> IncidentPolicy | None:
        settings = await self._settings(GLOBAL_SCOPE)
        return _policy(settings) if settings is not None else None

    async def save_policy(self, policy: IncidentPolicy, now: datetime) -> None:
        await self._save(GLOBAL_SCOPE, _policy_to_json(policy), now)

    async def get_override(self, platform_id: int) -> PlatformOverride | None:
        settings = await self._settings(f"platform:{platform_id}")
        return _override(settings) if settings is not None else None

    async def save_override(
        self, platform_id: int, override: PlatformOverride, now: datetime
    ) -> None:
        await self._save(f"platform:{platform_id}", _override_to_json(override), now)

    async def _settings(self, scope: str) -> dict[str, Any] | None:
        row = await self.session.get(IncidentPolicyRow, scope)
        return dict(row.settings) if row else None

    async def _save(self, scope: str, settings: dict[str, Any], now: datetime) -> None:
        row = await self.session.get(IncidentPolicyRow, scope)
        if row is None:
            row = IncidentPolicyRow(scope=scope)
            self.session.add(row)
        row.settings, row.updated_at = settings, now
        await self.session.flush()
