"""Monitoring integrations: Prometheus Alertmanager groups and generic events with a dedup_key.

Alertmanager: one incident per alert group (its `groupKey`); a firing notification opens the
incident or counts it as seen again; a resolved one resolves it — unless a person acknowledged it,
then it only adds a note (the person decides when it is over). Generic events do the same keyed
by their `dedup_key`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from domain.access import Actor
from domain.errors import ValidationFailed
from domain.events import JSONValue
from domain.incidents import services
from domain.incidents.announce import is_person
from domain.incidents.models import DESCRIPTION_MAX, TITLE_MAX, Incident, IncidentSource, Severity
from domain.incidents.queries import policy_for

if TYPE_CHECKING:
    from domain.incidents.ports import IncidentsUnitOfWork


@dataclass(frozen=True)
class Alert:
    status: str  # "firing" | "resolved"
    labels: dict[str, str]
    annotations: dict[str, str]
    fingerprint: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None


@dataclass(frozen=True)
class AlertGroup:
    """Alertmanager's webhook payload (version 4), already checked for shape by the door."""

    status: str
    group_key: str
    alerts: list[Alert]
    receiver: str = ""
    group_labels: dict[str, str] = field(default_factory=dict)
    common_labels: dict[str, str] = field(default_factory=dict)
    common_annotations: dict[str, str] = field(default_factory=dict)
    external_url: str = ""


class Outcome(StrEnum):
    OPENED = "opened"
    UPDATED = "updated"
    RESOLVED = "resolved"
    NOTED = "noted"  # resolved at source, but a person owns it: only a timeline note
    IGNORED = "ignored"  # resolved at source, nothing open under that key


@dataclass(frozen=True)
class Ingested:
    outcome: Outcome
    incident: Incident | None


@dataclass(frozen=True)
class SourceResolvedTexts:
    """What to write when the source says it is over (translated by the door)."""

    summary: str
    note: str


def group_dedup_key(group_key: str) -> str:
    # groupKey can be long ("{}/{severity=~...}:{alertname=...}"); a digest keeps keys short.
    return "alertmanager:" + hashlib.sha256(group_key.encode()).hexdigest()[:40]


async def ingest_alert_group(
    uow: IncidentsUnitOfWork,
    actor: Actor,
    group: AlertGroup,
    texts: SourceResolvedTexts,
    default_platform: str | None = None,
) -> Ingested:
    actor.require(services.DECLARE)
    dedup_key = group_dedup_key(group.group_key)
    firing = [alert for alert in group.alerts if alert.status == "firing"]
    if group.status == "resolved" or not firing:
        return await source_resolved(uow, actor, dedup_key, texts)
    policy = await policy_for(uow, None)
    platform = _label(group, firing, policy.platform_label) or default_platform
    if not platform:
        raise ValidationFailed.single(
            f"commonLabels.{policy.platform_label}",
            "inc.errors.alert_platform",
            label=policy.platform_label,
        )
    severity = min(
        (policy.alert_severity(a.labels.get(policy.severity_label)) for a in firing),
        key=lambda s: s.rank,
    )
    labels: dict[str, JSONValue] = {
        "alertmanager": {
            "group_key": group.group_key,
            "receiver": group.receiver,
            "fingerprints": sorted({a.fingerprint for a in firing}),
            "firing": len(firing),
            "external_url": group.external_url,
        },
        "common_labels": dict(group.common_labels),
    }
    declared = await services.declare_incident(
        uow,
        actor,
        title=_title(group, firing),
        platform=platform,
        severity=severity,
        description=_description(firing),
        source=IncidentSource.ALERTMANAGER,
        dedup_key=dedup_key,
        labels=labels,
    )
    return Ingested(Outcome.OPENED if declared.created else Outcome.UPDATED, declared.incident)


async def ingest_event(
    uow: IncidentsUnitOfWork,
    actor: Actor,
    *,
    action: str,
    dedup_key: str,
    texts: SourceResolvedTexts,
    title: str = "",
    platform: str = "",
    severity: str | Severity = Severity.SEV3,
    description: str = "",
) -> Ingested:
    """A generic monitoring event: `trigger` opens or updates, `resolve` resolves (or notes)."""
    actor.require(services.DECLARE)
    if action == "resolve":
        return await source_resolved(uow, actor, dedup_key, texts)
    declared = await services.declare_incident(
        uow,
        actor,
        title=title,
        platform=platform,
        severity=severity,
        description=description,
        source=IncidentSource.EVENT,
        dedup_key=dedup_key,
    )
    return Ingested(Outcome.OPENED if declared.created else Outcome.UPDATED, declared.incident)


async def source_resolved(
    uow: IncidentsUnitOfWork, actor: Actor, dedup_key: str, texts: SourceResolvedTexts
) -> Ingested:
    incident = await uow.incidents.find_open_by_dedup_key(dedup_key)
    if incident is None:
        return Ingested(Outcome.IGNORED, None)
    if is_person(incident.acknowledged_by):
        await services.add_note(uow, actor, incident.number, texts.note)
        return Ingested(Outcome.NOTED, incident)
    resolved = await services.resolve_incident(uow, actor, incident.number, texts.summary)
    return Ingested(Outcome.RESOLVED, resolved)


def _label(group: AlertGroup, firing: list[Alert], name: str) -> str | None:
    for labels in (group.common_labels, group.group_labels, *(a.labels for a in firing)):
        value = labels.get(name)
        if value:
            return value
    return None


def _title(group: AlertGroup, firing: list[Alert]) -> str:
    summary = group.common_annotations.get("summary") or firing[0].annotations.get("summary")
    name = group.common_labels.get("alertname") or firing[0].labels.get("alertname") or "alert"
    title = summary if summary and len(firing) == 1 else name
    if not summary and len(firing) == 1 and firing[0].labels.get("instance"):
        title = f"{name} on {firing[0].labels['instance']}"
    if len(firing) > 1:
        title = f"{summary or name} ({len(firing)} alerts)"
    return " ".join(title.split())[:TITLE_MAX]


def _description(firing: list[Alert]) -> str:
    lines = []
    for alert in firing:
        text = alert.annotations.get("description") or alert.annotations.get("summary") or ""
        where = alert.labels.get("instance") or alert.fingerprint
        lines.append(f"• {where}: {text}".rstrip(": "))
    return "\n".join(lines)[:DESCRIPTION_MAX]
