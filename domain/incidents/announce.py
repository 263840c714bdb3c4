"""What an incident change tells whom, and what its audit events carry.

Event data always includes severity, platform and the trigger/ack/resolve times, so MTTA and MTTR
per severity and platform can be computed from the events table alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from domain.events import (
    ChannelRecipient,
    JSONDict,
    JSONValue,
    Notice,
    Subject,
    UserRecipient,
    home_refresh,
)
from domain.incidents.models import Incident
from domain.org.models import Platform

if TYPE_CHECKING:
    from domain.incidents.ports import IncidentsUnitOfWork

CARD = "incident.card"
PAGE = "incident.page"  # a DM asking someone to respond
ESCALATION_POST = "incident.escalation"  # the channel line saying who was paged and why
REVIEW_REMINDER = "incident.review_reminder"


def subject_of(incident: Incident) -> Subject:
    assert incident.id is not None
    return Subject("incident", incident.id, incident.key)


def card_ref(incident: Incident) -> str:
    return f"incident:{incident.id}:card"


def facts(incident: Incident, platform: Platform, **extra: JSONValue) -> JSONDict:
    def iso(value: object) -> JSONValue:
        return value.isoformat() if value is not None else None  # type: ignore[attr-defined]

    data: JSONDict = {
        "key": incident.key,
        "title": incident.title,
        "severity": incident.severity.value,
        "status": incident.status.value,
        "platform": platform.key,
        "platform_id": platform.id,
        "source": incident.source.value,
        "created_at": iso(incident.created_at),
        "triggered_at": iso(incident.triggered_at or incident.created_at),
        "acknowledged_at": iso(incident.acknowledged_at),
        "resolved_at": iso(incident.resolved_at),
    }
    data.update(extra)
    return data


def update_card(uow: IncidentsUnitOfWork, incident: Incident, platform: Platform) -> None:
    """Post the card in the ops channel the first time, update it in place afterwards."""
    if platform.ops_channel_id:
        uow.notify(
            Notice(
                CARD,
                ChannelRecipient(platform.ops_channel_id),
                subject_of(incident),
                ref=card_ref(incident),
            )
        )


def page(
    uow: IncidentsUnitOfWork,
    incident: Incident,
    platform: Platform,
    targets: Iterable[str],
    *,
    level: int,
    reason: str,
) -> list[str]:
    """DM each target and say in the channel who was paged (one message each, no ref)."""
    users = sorted(set(targets))
    for user_id in users:
        uow.notify(
            Notice(
                PAGE,
                UserRecipient(user_id),
                subject_of(incident),
                params={"level": level, "reason": reason},
            )
        )
    if platform.ops_channel_id:
        uow.notify(
            Notice(
                ESCALATION_POST,
                ChannelRecipient(platform.ops_channel_id),
                subject_of(incident),
                params={"level": level, "reason": reason, "targets": list(users)},
            )
        )
    return users


def refresh_homes(uow: IncidentsUnitOfWork, *user_ids: str | None) -> None:
    for user_id in sorted({u for u in user_ids if u and is_person(u)}):
        uow.notify(home_refresh(user_id))


def is_person(actor_id: str | None) -> bool:
    """Actor ids of people are Slack user ids; integrations and the scheduler are prefixed."""
    return bool(actor_id) and not str(actor_id).startswith(("integration:", "system:"))
