"""Configuring incident handling: ack SLAs per severity, review due days, alert label mapping.

Scope: the global policy (platform None) or one platform's override of it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from domain.access import Actor
from domain.errors import FieldErrors
from domain.events import DomainEvent, Subject
from domain.incidents.models import IncidentPolicy, Severity
from domain.incidents.queries import policy_for
from domain.incidents.services import CONFIGURE
from domain.org.services import get_platform

if TYPE_CHECKING:
    from domain.incidents.ports import IncidentsUnitOfWork

MAX_ACK_MINUTES = 7 * 24 * 60
MAX_REVIEW_DAYS = 60


async def configure_incident_policy(
    uow: IncidentsUnitOfWork,
    actor: Actor,
    platform: str | None = None,
    *,
    ack_minutes: dict[Severity, int] | None = None,
    review_working_days: int | None = None,
    severity_label: str | None = None,
    platform_label: str | None = None,
    severity_map: dict[str, Severity] | None = None,
) -> IncidentPolicy:
    actor.require(CONFIGURE)
    platform_id = None
    subject = Subject("incident_policy", 0, "global")
    if platform:
        target = await get_platform(uow, platform)
        assert target.id is not None
        platform_id = target.id
        subject = Subject("incident_policy", target.id, target.key)
    errors = FieldErrors()
    for severity, minutes in (ack_minutes or {}).items():
        if not 1 <= minutes <= MAX_ACK_MINUTES:
            errors.add(f"ack_minutes.{severity.value}", "inc.errors.sla", max=MAX_ACK_MINUTES)
    if review_working_days is not None and not 1 <= review_working_days <= MAX_REVIEW_DAYS:
        errors.add("review_working_days", "inc.errors.review_days")
    for name, label in (("severity_label", severity_label), ("platform_label", platform_label)):
        if label is not None and not 1 <= len(label.strip()) <= 100:
            errors.add(name, "inc.errors.label")
    errors.raise_if_any()
    before = await policy_for(uow, platform_id)
    after = replace(
        before,
        ack_minutes={**before.ack_minutes, **(ack_minutes or {})},
        review_working_days=review_working_days or before.review_working_days,
        severity_label=(severity_label or before.severity_label).strip(),
        platform_label=(platform_label or before.platform_label).strip(),
        severity_map={k.lower(): v for k, v in severity_map.items()}
        if severity_map
        else before.severity_map,
    )
    if after == before:
        # Nothing to change (a retry, or `/incident sla web` asking for the current values): no
        # event, and no platform override that would stop following the global policy.
        return after
    scope = f"platform:{platform_id}" if platform_id is not None else "global"
    await uow.oncall.save_policy(scope, after, uow.now())
    uow.record(
        actor,
        DomainEvent(
            "incident.policy_changed",
            subject,
            {
                "scope": scope,
                "ack_minutes": {s.value: m for s, m in after.ack_minutes.items()},
                "review_working_days": after.review_working_days,
                "severity_label": after.severity_label,
                "platform_label": after.platform_label,
                "severity_map": {label: s.value for label, s in after.severity_map.items()},
            },
            webhook=False,
        ),
    )
    return after
