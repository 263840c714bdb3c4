"""Post-incident reviews: owed for SEV1/SEV2 on resolution, due after N working days, reminded
the day before, on the day and after it, then escalated to the admins; recorded with a modal.

Working days are those of the platform's business-hours calendar when it follows one (its
timezone, hours and holidays; the reminders then count working days too), else Monday–Friday UTC.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

from domain.access import Actor, Role
from domain.deadlines.calendar import BusinessCalendar
from domain.deadlines.models import Deadline, Step
from domain.deadlines.services import close_deadlines, open_deadline
from domain.errors import Conflict, FieldErrors, PermissionDenied
from domain.events import ChannelRecipient, DomainEvent, JSONDict, Notice, UserRecipient
from domain.incidents.announce import (
    REVIEW_REMINDER,
    facts,
    is_person,
    refresh_homes,
    subject_of,
    update_card,
)
from domain.incidents.models import (
    DESCRIPTION_MAX,
    Incident,
    IncidentPolicy,
    Review,
    add_working_days,
)
from domain.incidents.oncall import on_call_now
from domain.incidents.queries import calendar_of, find_incident
from domain.org.models import Platform
from domain.ports import UnitOfWork

if TYPE_CHECKING:
    from domain.incidents.ports import IncidentsUnitOfWork

REVIEW_DEADLINE = "incident.review"
MAX_ACTIONS = 20


def review_steps(day: timedelta) -> list[Step]:
    """A day before, on the day, a day after, then escalated three days after: `day` is a calendar
    day, or with a business calendar one working day (the deadline engine counts working time)."""
    return [
        Step(-day, "remind"),
        Step(timedelta(0), "due"),
        Step(day, "overdue"),
        Step(day * 3, "escalate", 1),
    ]


def review_due_at(resolved_at: datetime, days: int, calendar: BusinessCalendar | None) -> datetime:
    """`days` working days after the resolution; with a calendar, that many full working windows
    (resolved on a Friday afternoon in Berlin → the Friday after, same local hour, later for each
    holiday; resolved at night → the close of the fifth working day)."""
    if calendar is None:
        return add_working_days(resolved_at, days)
    return calendar.add_business_time(resolved_at, calendar.working_day * days)


async def open_review(
    uow: IncidentsUnitOfWork,
    actor: Actor,
    incident: Incident,
    platform: Platform,
    policy: IncidentPolicy,
) -> None:
    """Owner: whoever resolved (a person), else who acknowledged, else the on-call."""
    candidates = [
        actor.user_id,
        incident.acknowledged_by,
        await on_call_now(uow, incident.platform_id),
    ]
    owner = next((c for c in candidates if is_person(c)), None)
    calendar = await calendar_of(uow, platform)
    incident.review_owner_id = owner
    incident.review_due_at = review_due_at(uow.now(), policy.review_working_days, calendar)
    await open_deadline(
        uow,
        REVIEW_DEADLINE,
        subject_of(incident),
        due_at=incident.review_due_at,
        steps=review_steps(calendar.working_day if calendar else timedelta(days=1)),
        owner_id=owner,
        calendar=calendar,
    )


async def cancel_review(uow: IncidentsUnitOfWork, incident: Incident) -> None:
    await close_deadlines(uow, subject_of(incident), [REVIEW_DEADLINE])


async def record_review(
    uow: IncidentsUnitOfWork,
    actor: Actor,
    key: str | int,
    *,
    summary: str,
    root_cause: str,
    actions: list[str],
) -> Incident:
    incident, platform = await find_incident(uow, key)
    if incident.review_due_at is None:
        raise Conflict("inc.errors.no_review", key=incident.key)
    if incident.review is not None:
        raise Conflict("inc.errors.review_recorded", key=incident.key)
    allowed = actor.user_id is not None and actor.user_id == incident.review_owner_id
    responder = actor.is_admin or actor.has_role(Role.OPERATOR, platform_id=incident.platform_id)
    if not allowed and not responder:
        raise PermissionDenied(
            "inc.errors.review_permission", key=incident.key, owner=incident.review_owner_id
        )
    errors = FieldErrors()
    summary, root_cause = summary.strip(), root_cause.strip()
    items = [line.strip(" -•*\t") for line in actions if line.strip(" -•*\t")]
    if not summary or len(summary) > DESCRIPTION_MAX:
        errors.add("summary", "inc.errors.review_summary", max=DESCRIPTION_MAX)
    if not root_cause or len(root_cause) > DESCRIPTION_MAX:
        errors.add("root_cause", "inc.errors.root_cause", max=DESCRIPTION_MAX)
    if len(items) > MAX_ACTIONS:
        errors.add("actions", "inc.errors.actions", max=MAX_ACTIONS)
    errors.raise_if_any()
    incident.review = Review(summary, root_cause, items, actor.id_for_audit, uow.now())
    await uow.incidents.save(incident)
    await close_deadlines(uow, subject_of(incident), [REVIEW_DEADLINE])
    uow.record(
        actor,
        DomainEvent(
            "incident.review_recorded",
            subject_of(incident),
            facts(
                incident,
                platform,
                summary=summary,
                root_cause=root_cause,
                actions=list(items),
                review_due_at=incident.review_due_at.isoformat(),
                late=uow.now() > incident.review_due_at,
            ),
        ),
    )
    update_card(uow, incident, platform)
    refresh_homes(uow, incident.review_owner_id, actor.user_id)
    return incident


async def review_deadline_policy(uow: UnitOfWork, deadline: Deadline, step: Step) -> None:
    iuow = cast("IncidentsUnitOfWork", uow)
    incident = await iuow.incidents.get(deadline.subject.id)
    if incident is None or not incident.review_pending:
        deadline.close(uow.now())
        return
    assert deadline.id is not None
    params: JSONDict = {"step": step.action, "deadline_id": deadline.id}
    recipients: list[str] = [incident.review_owner_id] if incident.review_owner_id else []
    if step.action == "escalate" or not recipients:
        recipients += await uow.people.holders_of(Role.ADMIN)
    for user_id in sorted(set(recipients)):
        uow.notify(
            Notice(REVIEW_REMINDER, UserRecipient(user_id), subject_of(incident), params=params)
        )
    if step.action in ("overdue", "escalate"):
        platform = await uow.org.get_platform(incident.platform_id)
        if platform is not None and platform.ops_channel_id:
            uow.notify(
                Notice(
                    REVIEW_REMINDER,
                    ChannelRecipient(platform.ops_channel_id),
                    subject_of(incident),
                    params=params,
                )
            )
    uow.record(
        Actor.system("deadlines"),
        DomainEvent(
            "incident.review_reminded",
            subject_of(incident),
            {"key": incident.key, "step": step.action, "owner": incident.review_owner_id},
            webhook=False,
        ),
    )
