"""The `incidents` section of the configuration file: the incident policy kept as code.

One entry without `platform` is the global policy; an entry with `platform: KEY` pins that
platform's own values (what it does not name follows the global policy). Each entry may set
acknowledge SLAs per severity and the review due time; the global one also says which Alertmanager
labels carry the severity and the platform and how label values map to severities (alerts are
read before their platform is known, so the mapping is global). Applied through
`configure_incident_policy`, as `/incident sla` does; only the fields written in the file are
managed, and nothing is ever removed:

    incidents:
      - ack_minutes: {SEV1: 5, SEV2: 15}
        review_working_days: 5
        alert_labels: {severity: priority, platform: service}
        severity_map: {p1: SEV1, p2: SEV2, p3: SEV3}
      - platform: web
        ack_minutes: {SEV1: 3}
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from bot.config_file import Change, ConfigError, PlanContext
from bot.config_sections import Item, Slug
from domain.access import Actor
from domain.errors import ValidationFailed
from domain.incidents.models import IncidentPolicy, PlatformOverride, Severity
from domain.incidents.queries import policy_for
from domain.incidents.settings import MAX_ACK_MINUTES, MAX_REVIEW_DAYS, configure_incident_policy

GLOBAL = "global"
INHERITED = "global"  # a platform setting that follows the global policy
LabelName = Annotated[str, Field(min_length=1, max_length=100)]


def _severity(value: Any) -> Severity:
    try:
        return Severity.parse(str(value))
    except ValidationFailed:
        raise ValueError(f"unknown severity {value!r} (use SEV1, SEV2, SEV3 or SEV4)") from None


class AlertLabels(Item):
    severity: LabelName | None = None
    platform: LabelName | None = None


class IncidentPolicyItem(Item):
    platform: Slug | None = None
    ack_minutes: dict[Severity, int] = Field(default_factory=dict)
    review_working_days: int | None = Field(default=None, ge=1, le=MAX_REVIEW_DAYS)
    alert_labels: AlertLabels | None = None
    severity_map: dict[str, Severity] | None = Field(default=None, min_length=1)

    @field_validator("ack_minutes", mode="before")
    @classmethod
    def _ack_minutes(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        parsed: dict[Severity, Any] = {}
        for severity, minutes in value.items():
            if not isinstance(minutes, int) or not 1 <= minutes <= MAX_ACK_MINUTES:
                raise ValueError(
                    f"{severity}: {minutes!r} is not a whole number of minutes "
                    f"from 1 to {MAX_ACK_MINUTES}"
                )
            parsed[_severity(severity)] = minutes
        return parsed

    @field_validator("severity_map", mode="before")
    @classmethod
    def _severity_map(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        return {str(label).strip().lower(): _severity(level) for label, level in value.items()}

    @model_validator(mode="after")
    def _global_only(self) -> IncidentPolicyItem:
        if self.platform and (self.alert_labels is not None or self.severity_map is not None):
            raise ValueError(
                "alert_labels and severity_map are read before an alert's platform is known: "
                "set them in the entry without a platform"
            )
        return self

    @property
    def scope(self) -> str:
        return self.platform or GLOBAL

    def wanted(self) -> dict[str, Any]:
        """The managed settings written in the file, named as a plan shows them."""
        values: dict[str, Any] = {
            f"ack_minutes.{severity.value}": minutes
            for severity, minutes in sorted(self.ack_minutes.items())
        }
        if self.review_working_days is not None:
            values["review_working_days"] = self.review_working_days
        if self.alert_labels is not None:
            for kind in ("severity", "platform"):
                if getattr(self.alert_labels, kind) is not None:
                    values[f"alert_labels.{kind}"] = getattr(self.alert_labels, kind).strip()
        if self.severity_map is not None:
            values["severity_map"] = {k: v.value for k, v in sorted(self.severity_map.items())}
        return values


def _current(policy: IncidentPolicy) -> dict[str, Any]:
    return {
        **{f"ack_minutes.{s.value}": m for s, m in policy.ack_minutes.items()},
        "review_working_days": policy.review_working_days,
        "alert_labels.severity": policy.severity_label,
        "alert_labels.platform": policy.platform_label,
        "severity_map": {k: v.value for k, v in sorted(policy.severity_map.items())},
    }


def _pinned(override: PlatformOverride | None) -> dict[str, Any]:
    """What a platform sets itself; a value it follows from the global policy shows as "global"
    (so a file that pins it to today's global value still pins it, and it survives a later change
    of the global policy)."""
    override = override or PlatformOverride()
    pinned: dict[str, Any] = {f"ack_minutes.{s.value}": INHERITED for s in Severity}
    pinned.update({f"ack_minutes.{s.value}": m for s, m in override.ack_minutes.items()})
    pinned["review_working_days"] = override.review_working_days or INHERITED
    return pinned


class IncidentPoliciesSection:
    name, noun, item_model = "incidents", "incident policy", IncidentPolicyItem

    async def plan(
        self, uow: Any, items: list[IncidentPolicyItem], context: PlanContext
    ) -> list[Change]:
        seen: set[str] = set()
        platforms_in_file = {p.key for p in getattr(context.document, "platforms", [])}
        changes = []
        for index, item in enumerate(items):
            where = f"{self.name}[{index}]"
            if item.scope in seen:
                raise ConfigError(f"{where} ({item.scope}): listed twice")
            seen.add(item.scope)
            platform = await uow.org.find_platform(item.platform) if item.platform else None
            if item.platform and platform is None and item.platform not in platforms_in_file:
                raise ConfigError(f"{where}.platform: no platform {item.platform!r}")
            if item.platform:
                override = await uow.oncall.get_override(platform.id) if platform else None
                before = _pinned(override)
            else:
                before = _current(await policy_for(uow, None))
            details = tuple(
                f"{field}: {before[field]!r} → {value!r}"
                for field, value in item.wanted().items()
                if before[field] != value
            )
            changes.append(
                Change(self.noun, item.scope, "update" if details else "unchanged", details, item)
            )
        return changes

    async def apply(self, uow: Any, actor: Actor, change: Change) -> None:
        item: IncidentPolicyItem = change.item
        labels = item.alert_labels
        await configure_incident_policy(
            uow,
            actor,
            item.platform,
            ack_minutes=dict(item.ack_minutes) or None,
            review_working_days=item.review_working_days,
            severity_label=labels.severity if labels else None,
            platform_label=labels.platform if labels else None,
            severity_map=dict(item.severity_map) if item.severity_map else None,
        )
