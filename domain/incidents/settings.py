"""Configuring incident handling: ack SLAs per severity, review due days, alert label mapping.

Scope: the global policy (platform None) or one platform's overrides of its SLAs and review days;
what a platform does not override follows the global policy, also when that changes later.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from domain.access import Actor
from domain.errors import FieldErrors
from domain.events import DomainEvent, JSONDict, Subject
from domain.incidents.models import IncidentPolicy, PlatformOverride, Severity
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
    if platform_id is not None:
        # Alerts are read before their platform is known: labels and mapping are global only.
        for name, value in (
            ("severity_label", severity_label),
            ("platform_label", platform_label),
            ("severity_map", severity_map),
        ):
            if value is not None:
                errors.add(name, "inc.errors.global_only")
    errors.raise_if_any()
    before = await policy_for(uow, platform_id)
    if platform_id is None:
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
            return after  # a retry, or nothing asked: no event
        await uow.oncall.save_policy(after, uow.now())
        overrides: JSONDict | None = None
    else:
        # The platform pins what it names; everything else keeps following the global policy.
        current = await uow.oncall.get_override(platform_id) or PlatformOverride()
        override = PlatformOverride(
            {**current.ack_minutes, **(ack_minutes or {})},
            review_working_days or current.review_working_days,
        )
        if override == current:
            return before  # `/incident sla web` asking for the current values, or a retry
        await uow.oncall.save_override(platform_id, override, uow.now())
        after = override.over(await policy_for(uow, None))
        overrides = {
            "ack_minutes": {s.value: m for s, m in override.ack_minutes.items()},
            "review_working_days": override.review_working_days,
        }
    scope = f"platform:{platform_id}" if platform_id is not None else "global"
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
                "overrides": overrides,
            },
            webhook=False,
        ),
    )
    return after
