"""Incident use cases: declare, acknowledge, resolve, reopen, notes, severity, escalation.

Permissions: any PlatOps role except the read-only auditor may declare and add notes;
acknowledge, resolve, reopen, escalate and severity changes need an operator of the incident's
platform or an admin. Integrations act with `incidents:write` (reads: `incidents:read`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.access import Actor, Permission, Role
from domain.errors import Conflict, FieldErrors, ValidationFailed
from domain.events import DomainEvent, JSONValue
from domain.incidents import escalation, reviews
from domain.incidents.announce import facts, refresh_homes, subject_of, update_card
from domain.incidents.models import (
    DESCRIPTION_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    Incident,
    IncidentSource,
    IncidentStatus,
    Severity,
)
from domain.incidents.oncall import on_call_now
from domain.incidents.queries import VIEW, find_incident, policy_for
from domain.org.models import Platform

if TYPE_CHECKING:
    from domain.incidents.ports import IncidentsUnitOfWork

__all__ = ["VIEW", "find_incident", "policy_for"]  # re-exported for the doors' convenience

CONTRIBUTOR_ROLES = tuple(role for role in Role if role is not Role.AUDITOR)
DECLARE = Permission("incident.declare", roles=CONTRIBUTOR_ROLES, scope="incidents:write")
NOTE = Permission("incident.note", roles=CONTRIBUTOR_ROLES, scope="incidents:write")
RESPOND = Permission("incident.respond", roles=(Role.OPERATOR, Role.ADMIN), scope="incidents:write")
CONFIGURE = Permission("incident.configure", roles=(Role.ADMIN,), scope="admin")


@dataclass(frozen=True)
class Declared:
    incident: Incident
    created: bool  # False: an open incident with the same dedup_key was updated instead


# -- declaring --------------------------------------------------------------------------------
async def declare_incident(
    uow: IncidentsUnitOfWork,
    actor: Actor,
    *,
    title: str,
    platform: str,
    severity: str | Severity,
    description: str = "",
    source: IncidentSource = IncidentSource.SLACK,
    dedup_key: str | None = None,
    labels: dict[str, JSONValue] | None = None,
) -> Declared:
    """Open an incident, or — when an open one has the same `dedup_key` — count it as seen again.

    Also the entry point for other areas (an inspection's failed item, source=INSPECTION).
    """
    actor.require(DECLARE)
    errors = FieldErrors()
    title = " ".join(title.split())
    description = description.strip()
    if not title or len(title) > TITLE_MAX:
        errors.add("title", "inc.errors.title", max=TITLE_MAX)
    if len(description) > DESCRIPTION_MAX:
        errors.add("description", "inc.errors.description", max=DESCRIPTION_MAX)
    if dedup_key is not None and not 1 <= len(dedup_key.strip()) <= 200:
        errors.add("dedup_key", "inc.errors.dedup_key")
    level: Severity | None = None
    try:
        level = severity if isinstance(severity, Severity) else Severity.parse(severity)
    except ValidationFailed:
        errors.add("severity", "inc.errors.severity", value=str(severity), choices="SEV1–SEV4")
    target = await uow.org.find_platform(platform.strip().lower()) if platform.strip() else None
    if target is None:
        errors.add("platform", "inc.errors.platform", platform=platform)
    errors.raise_if_any()
    assert level is not None and target is not None and target.id is not None
    now = uow.now()
    if dedup_key:
        existing = await uow.incidents.find_open_by_dedup_key(dedup_key.strip())
        if existing is not None:
            await _seen_again(uow, actor, existing, target, description, labels)
            return Declared(existing, created=False)
    incident = Incident(
        id=None,
        number=await uow.next_number("incident"),
        title=title,
        platform_id=target.id,
        severity=level,
        status=IncidentStatus.TRIGGERED,
        source=source,
        declared_by=actor.id_for_audit,
        created_at=now,
        description=description,
        dedup_key=dedup_key.strip() if dedup_key else None,
        last_seen_at=now,
        triggered_at=now,
        labels=dict(labels or {}),
    )
    incident = await uow.incidents.add(incident)
    on_call = await on_call_now(uow, target.id)
    uow.record(
        actor,
        DomainEvent(
            "incident.declared",
            subject_of(incident),
            facts(incident, target, dedup_key=incident.dedup_key, on_call=on_call),
        ),
    )
    update_card(uow, incident, target)
    await escalation.start_ack_clock(uow, incident, await policy_for(uow, target.id))
    refresh_homes(uow, on_call, actor.user_id)
    return Declared(incident, created=True)


async def _seen_again(
    uow: IncidentsUnitOfWork,
    actor: Actor,
    incident: Incident,
    platform: Platform,
    description: str,
    labels: dict[str, JSONValue] | None,
) -> None:
    incident.seen_again(uow.now())
    if description and description != incident.description:
        incident.description = description
    if labels:
        incident.labels.update(labels)
    await uow.incidents.save(incident)
    uow.record(
        actor,
        DomainEvent(
            "incident.updated",
            subject_of(incident),
            facts(incident, platform, occurrences=incident.occurrences),
        ),
    )
    update_card(uow, incident, platform)


# -- responding -------------------------------------------------------------------------------
async def acknowledge_incident(uow: IncidentsUnitOfWork, actor: Actor, key: str | int) -> Incident:
    incident, platform = await find_incident(uow, key)
    actor.require(RESPOND, platform_id=incident.platform_id)
    incident.acknowledge(actor.id_for_audit, uow.now())
    await uow.incidents.save(incident)
    await escalation.stop_ack_clock(uow, incident)
    uow.record(
        actor,
        DomainEvent(
            "incident.acknowledged",
            subject_of(incident),
            facts(incident, platform, seconds_to_ack=incident.seconds_to_ack()),
        ),
    )
    update_card(uow, incident, platform)
    refresh_homes(uow, actor.user_id, await on_call_now(uow, incident.platform_id))
    return incident


async def unacknowledge_incident(
    uow: IncidentsUnitOfWork, actor: Actor, key: str | int
) -> Incident:
    """Hand the incident back: it is triggered again and the ack SLA starts over."""
    incident, platform = await find_incident(uow, key)
    actor.require(RESPOND, platform_id=incident.platform_id)
    previous = incident.acknowledged_by
    incident.unacknowledge(uow.now())
    await uow.incidents.save(incident)
    await escalation.start_ack_clock(uow, incident, await policy_for(uow, platform.id))
    uow.record(
        actor,
        DomainEvent(
            "incident.unacknowledged",
            subject_of(incident),
            facts(incident, platform, previously_acknowledged_by=previous),
        ),
    )
    update_card(uow, incident, platform)
    refresh_homes(uow, previous, await on_call_now(uow, incident.platform_id))
    return incident


async def resolve_incident(
    uow: IncidentsUnitOfWork, actor: Actor, key: str | int, summary: str
) -> Incident:
    incident, platform = await find_incident(uow, key)
    actor.require(RESPOND, platform_id=incident.platform_id)
    summary = summary.strip()
    if not summary or len(summary) > SUMMARY_MAX:
        raise ValidationFailed.single("summary", "inc.errors.summary", max=SUMMARY_MAX)
    incident.resolve(actor.id_for_audit, summary, uow.now())
    await escalation.stop_ack_clock(uow, incident)
    if incident.severity.needs_review and incident.review is None:
        policy = await policy_for(uow, platform.id)
        await reviews.open_review(uow, actor, incident, platform, policy)
    await uow.incidents.save(incident)
    uow.record(
        actor,
        DomainEvent(
            "incident.resolved",
            subject_of(incident),
            facts(
                incident,
                platform,
                summary=summary,
                seconds_to_ack=incident.seconds_to_ack(),
                seconds_to_resolve=incident.seconds_to_resolve(),
                review_owner=incident.review_owner_id,
                review_due_at=incident.review_due_at.isoformat()
                if incident.review_due_at
                else None,
            ),
        ),
    )
    update_card(uow, incident, platform)
    refresh_homes(
        uow,
        actor.user_id,
        incident.acknowledged_by,
        incident.review_owner_id,
        await on_call_now(uow, incident.platform_id),
    )
    return incident


async def reopen_incident(
    uow: IncidentsUnitOfWork, actor: Actor, key: str | int, reason: str = ""
) -> Incident:
    incident, platform = await find_incident(uow, key)
    actor.require(RESPOND, platform_id=incident.platform_id)
    owner = incident.review_owner_id
    incident.reopen(uow.now())
    if incident.review is None:
        await reviews.cancel_review(uow, incident)
    await uow.incidents.save(incident)
    await escalation.start_ack_clock(uow, incident, await policy_for(uow, platform.id))
    uow.record(
        actor,
        DomainEvent(
            "incident.reopened", subject_of(incident), facts(incident, platform, reason=reason)
        ),
    )
    update_card(uow, incident, platform)
    refresh_homes(uow, owner, actor.user_id, await on_call_now(uow, incident.platform_id))
    return incident


async def add_note(uow: IncidentsUnitOfWork, actor: Actor, key: str | int, text: str) -> Incident:
    incident, platform = await find_incident(uow, key)
    actor.require(NOTE)
    text = text.strip()
    if not text or len(text) > DESCRIPTION_MAX:
        raise ValidationFailed.single("text", "inc.errors.note", max=DESCRIPTION_MAX)
    uow.record(
        actor,
        DomainEvent(
            "incident.note_added", subject_of(incident), facts(incident, platform, text=text)
        ),
    )
    update_card(uow, incident, platform)
    return incident


async def change_severity(
    uow: IncidentsUnitOfWork, actor: Actor, key: str | int, severity: str
) -> Incident:
    incident, platform = await find_incident(uow, key)
    actor.require(RESPOND, platform_id=incident.platform_id)
    level = Severity.parse(severity)
    if incident.status is IncidentStatus.RESOLVED:
        raise Conflict("inc.errors.already_resolved", key=incident.key)
    if level is incident.severity:
        raise Conflict("inc.errors.same_severity", key=incident.key, severity=level.value)
    before = incident.severity
    incident.severity = level
    await uow.incidents.save(incident)
    if incident.status is IncidentStatus.TRIGGERED:
        # The ack SLA follows the new severity; levels already paged are not paged again.
        await escalation.stop_ack_clock(uow, incident)
        await escalation.start_ack_clock(uow, incident, await policy_for(uow, platform.id))
    uow.record(
        actor,
        DomainEvent(
            "incident.severity_changed",
            subject_of(incident),
            facts(incident, platform, before=before.value, after=level.value),
        ),
    )
    update_card(uow, incident, platform)
    return incident


async def escalate_incident(uow: IncidentsUnitOfWork, actor: Actor, key: str | int) -> int:
    """Page the next level by hand (the Escalate button). Returns the level reached."""
    incident, _ = await find_incident(uow, key)
    actor.require(RESPOND, platform_id=incident.platform_id)
    level = incident.escalate(escalation.MAX_LEVEL)
    await uow.incidents.save(incident)
    await escalation.escalate_to(uow, actor, incident, level, "manual")
    return level
