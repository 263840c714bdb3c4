"""Incidents (Art. 8 incident handling): severity, the triggered → acknowledged → resolved state
machine, the post-incident review, and the per-platform incident policy (SLAs, alert mapping)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from domain.errors import InvalidTransition, ValidationFailed


class Severity(StrEnum):
    SEV1 = "SEV1"
    SEV2 = "SEV2"
    SEV3 = "SEV3"
    SEV4 = "SEV4"

    @classmethod
    def parse(cls, value: str, field_name: str = "severity") -> Severity:
        """`SEV1`, `sev1`, `1` → SEV1; anything else is a field error naming the choices."""
        text = value.strip().upper()
        if text.isdigit():
            text = f"SEV{text}"
        try:
            return cls(text)
        except ValueError:
            raise ValidationFailed.single(
                field_name, "inc.errors.severity", value=value, choices="SEV1–SEV4"
            ) from None

    @property
    def rank(self) -> int:
        """1 is the most severe."""
        return int(self.value[-1])

    @property
    def needs_review(self) -> bool:
        return self.rank <= 2


class IncidentStatus(StrEnum):
    TRIGGERED = "triggered"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class IncidentSource(StrEnum):
    SLACK = "slack"
    API = "api"
    ALERTMANAGER = "alertmanager"
    EVENT = "event"  # generic monitoring event with a dedup_key
    INSPECTION = "inspection"


TITLE_MAX = 150
DESCRIPTION_MAX = 3000
SUMMARY_MAX = 3000


@dataclass
class Review:
    summary: str
    root_cause: str
    actions: list[str]
    recorded_by: str
    recorded_at: datetime


@dataclass
class Incident:
    id: int | None
    number: int
    title: str
    platform_id: int
    severity: Severity
    status: IncidentStatus
    source: IncidentSource
    declared_by: str  # Actor.id_for_audit: a user id or "integration:<label>"
    created_at: datetime
    description: str = ""
    dedup_key: str | None = None
    occurrences: int = 1
    last_seen_at: datetime | None = None
    triggered_at: datetime | None = None  # latest (re)trigger; MTTA counts from here
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    resolution_summary: str | None = None
    escalation_level: int = 0
    labels: dict[str, Any] = field(default_factory=dict)
    review_owner_id: str | None = None
    review_due_at: datetime | None = None
    review: Review | None = None

    @property
    def key(self) -> str:
        return f"INC-{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status is not IncidentStatus.RESOLVED

    @property
    def review_pending(self) -> bool:
        return self.review_due_at is not None and self.review is None

    # -- transitions: each raises InvalidTransition when the current state forbids it ------------
    def acknowledge(self, by: str, now: datetime) -> None:
        if self.status is IncidentStatus.ACKNOWLEDGED:
            raise InvalidTransition(
                "inc.errors.already_acknowledged", key=self.key, by=self.acknowledged_by or "?"
            )
        if self.status is IncidentStatus.RESOLVED:
            raise InvalidTransition("inc.errors.already_resolved", key=self.key)
        self.status = IncidentStatus.ACKNOWLEDGED
        self.acknowledged_at, self.acknowledged_by = now, by

    def unacknowledge(self, now: datetime) -> None:
        if self.status is not IncidentStatus.ACKNOWLEDGED:
            raise InvalidTransition("inc.errors.not_acknowledged", key=self.key)
        self.status = IncidentStatus.TRIGGERED
        self.acknowledged_at = self.acknowledged_by = None
        self.triggered_at = now
        self.escalation_level = 0

    def resolve(self, by: str, summary: str, now: datetime) -> None:
        if self.status is IncidentStatus.RESOLVED:
            raise InvalidTransition("inc.errors.already_resolved", key=self.key)
        self.status = IncidentStatus.RESOLVED
        self.resolved_at, self.resolved_by, self.resolution_summary = now, by, summary

    def reopen(self, now: datetime) -> None:
        if self.status is not IncidentStatus.RESOLVED:
            raise InvalidTransition("inc.errors.not_resolved", key=self.key)
        self.status = IncidentStatus.TRIGGERED
        self.triggered_at = now
        self.acknowledged_at = self.acknowledged_by = None
        self.resolved_at = self.resolved_by = self.resolution_summary = None
        self.escalation_level = 0
        if self.review is None:  # an owed review is re-owed after the next resolution
            self.review_owner_id = self.review_due_at = None

    def escalate(self, max_level: int) -> int:
        if self.status is IncidentStatus.RESOLVED:
            raise InvalidTransition("inc.errors.already_resolved", key=self.key)
        if self.escalation_level >= max_level:
            raise InvalidTransition("inc.errors.max_escalation", key=self.key)
        self.escalation_level += 1
        return self.escalation_level

    def seen_again(self, now: datetime) -> None:
        self.occurrences += 1
        self.last_seen_at = now

    # -- what reports need: seconds from trigger to ack and to resolution ----------------------
    def seconds_to_ack(self) -> int | None:
        if self.acknowledged_at is None:
            return None
        return int((self.acknowledged_at - (self.triggered_at or self.created_at)).total_seconds())

    def seconds_to_resolve(self) -> int | None:
        if self.resolved_at is None:
            return None
        return int((self.resolved_at - self.created_at).total_seconds())


DEFAULT_ACK_MINUTES: dict[Severity, int] = {
    Severity.SEV1: 5,
    Severity.SEV2: 15,
    Severity.SEV3: 60,
    Severity.SEV4: 240,
}
DEFAULT_SEVERITY_MAP: dict[str, Severity] = {
    "critical": Severity.SEV1,
    "page": Severity.SEV1,
    "high": Severity.SEV2,
    "major": Severity.SEV2,
    "error": Severity.SEV2,
    "warning": Severity.SEV3,
    "minor": Severity.SEV3,
    "info": Severity.SEV4,
    "none": Severity.SEV4,
}


@dataclass
class IncidentPolicy:
    """How incidents are handled: ack SLAs, review due time, and how alert labels map.

    One global policy; a platform may override the SLAs and review days (`PlatformOverride`).
    """

    ack_minutes: dict[Severity, int] = field(default_factory=lambda: dict(DEFAULT_ACK_MINUTES))
    review_working_days: int = 5
    severity_label: str = "severity"
    platform_label: str = "platform"
    severity_map: dict[str, Severity] = field(default_factory=lambda: dict(DEFAULT_SEVERITY_MAP))
    default_alert_severity: Severity = Severity.SEV3

    def ack_sla(self, severity: Severity) -> timedelta:
        return timedelta(minutes=self.ack_minutes.get(severity, DEFAULT_ACK_MINUTES[severity]))

    def alert_severity(self, label_value: str | None) -> Severity:
        if not label_value:
            return self.default_alert_severity
        mapped = self.severity_map.get(label_value.strip().lower())
        if mapped is not None:
            return mapped
        try:
            return Severity.parse(label_value)
        except ValidationFailed:
            return self.default_alert_severity


@dataclass
class PlatformOverride:
    """What one platform sets differently from the global policy (scope `platform:<id>`); every
    setting it does not name follows the global policy, also when that changes later."""

    ack_minutes: dict[Severity, int] = field(default_factory=dict)
    review_working_days: int | None = None

    def over(self, policy: IncidentPolicy) -> IncidentPolicy:
        return replace(
            policy,
            ack_minutes={**policy.ack_minutes, **self.ack_minutes},
            review_working_days=self.review_working_days or policy.review_working_days,
        )


def add_working_days(start: datetime, days: int) -> datetime:
    """`days` working days (Monday–Friday) after `start`, at the same time of day."""
    moment = start
    remaining = days
    while remaining > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            remaining -= 1
    return moment
