"""`/api/v1/incidents`: declare (with `dedup_key`), list, read with the timeline, and respond
(acknowledge, resolve, reopen, escalate, change the severity, add notes) — what the card's buttons
and `/incident` do in Slack, through the same use cases and permission rules.

The calling integration acts as itself (`integration:<key name>` in the timeline and audit log)
with the scopes of its key: `incidents:read` to read, `incidents:write` to change. A state that
forbids the change (acknowledging a resolved incident, reopening an open one, escalating past the
admins, the severity it already has) answers 409 and changes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Response, get, post
from litestar.openapi.spec import Example
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from pydantic import BaseModel, Field

from api.auth import require_scope
from api.dependencies import AppContainer, PageParams, Principal
from api.pagination import Page
from api.schemas import ActorOut, problems
from bot.bootstrap import Container
from domain.errors import ValidationFailed
from domain.incidents import services
from domain.incidents.models import Incident, IncidentSource, IncidentStatus, Severity
from domain.incidents.ports import IncidentFilter, IncidentsUnitOfWork, TimelineEntry
from domain.incidents.queries import get_incident, list_incidents
from domain.org.models import Platform

IncidentKey = Annotated[str, PathParameter(description="INC-n", examples=[Example(value="INC-12")])]


class IncidentIn(BaseModel):
    title: str = Field(max_length=150, examples=["Checkout returns 500"])
    severity: str = Field(examples=["SEV2"], description="SEV1 (most severe) … SEV4")
    platform: str = Field(max_length=40, examples=["web"], description="Platform key")
    description: str = Field(default="", max_length=3000)
    source: str = Field(
        default="", max_length=80, description="Name of the sending system, kept as a label."
    )
    dedup_key: str | None = Field(
        default=None,
        max_length=200,
        description="An open incident with the same key is updated (seen again), not duplicated.",
    )


class SummaryIn(BaseModel):
    summary: str = Field(max_length=3000, description="How it was resolved (required).")


class NoteIn(BaseModel):
    text: str = Field(max_length=3000)


class ReopenIn(BaseModel):
    reason: str = Field(default="", max_length=3000, description="Why, kept on the timeline.")


class SeverityIn(BaseModel):
    severity: str = Field(examples=["SEV1"], description="SEV1 (most severe) … SEV4")


class ReviewOut(BaseModel):
    owner: str | None
    due_at: datetime | None
    recorded_at: datetime | None = None
    summary: str | None = None
    root_cause: str | None = None
    actions: list[str] = Field(default_factory=list)


class IncidentOut(BaseModel):
    key: str
    title: str
    severity: str
    status: str = Field(description="triggered, acknowledged or resolved")
    platform: str
    description: str
    source: str
    dedup_key: str | None
    occurrences: int = Field(description="How many times it was declared or alerted while open")
    created_at: datetime
    triggered_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    resolved_at: datetime | None
    resolved_by: str | None
    resolution_summary: str | None
    escalation_level: int = Field(description="0 on-call, 1 all operators, 2 admins")
    review: ReviewOut | None


class DeclaredOut(IncidentOut):
    deduplicated: bool = Field(description="True when an open incident was updated instead")


class TimelineOut(BaseModel):
    at: datetime
    type: str
    actor: ActorOut
    data: dict[str, Any]


class IncidentDetail(IncidentOut):
    timeline: list[TimelineOut]


def incident_out(incident: Incident, platform: Platform) -> IncidentOut:
    review = None
    if incident.review_due_at is not None:
        recorded = incident.review
        review = ReviewOut(
            owner=incident.review_owner_id,
            due_at=incident.review_due_at,
            recorded_at=recorded.recorded_at if recorded else None,
            summary=recorded.summary if recorded else None,
            root_cause=recorded.root_cause if recorded else None,
            actions=list(recorded.actions) if recorded else [],
        )
    return IncidentOut(
        key=incident.key,
        title=incident.title,
        severity=incident.severity.value,
        status=incident.status.value,
        platform=platform.key,
        description=incident.description,
        source=incident.source.value,
        dedup_key=incident.dedup_key,
        occurrences=incident.occurrences,
        created_at=incident.created_at,
        triggered_at=incident.triggered_at,
        acknowledged_at=incident.acknowledged_at,
        acknowledged_by=incident.acknowledged_by,
        resolved_at=incident.resolved_at,
        resolved_by=incident.resolved_by,
        resolution_summary=incident.resolution_summary,
        escalation_level=incident.escalation_level,
        review=review,
    )


def timeline_out(entry: TimelineEntry) -> TimelineOut:
    return TimelineOut(
        at=entry.at,
        type=entry.type,
        actor=ActorOut(kind=entry.actor_kind, id=entry.actor_id),
        data=entry.data,
    )


def _choices(raw: str | None, field: str, parse: Any) -> tuple[Any, ...]:
    if not raw:
        return ()
    values = []
    for part in raw.split(","):
        try:
            values.append(parse(part.strip()))
        except (ValueError, ValidationFailed):
            raise ValidationFailed.single(field, "inc.errors.filter", value=part) from None
    return tuple(values)


def _status(value: str) -> tuple[IncidentStatus, ...]:
    if value == "open":
        return (IncidentStatus.TRIGGERED, IncidentStatus.ACKNOWLEDGED)
    return (IncidentStatus(value),)


async def _respond(
    container: Container, act: Callable[[IncidentsUnitOfWork], Awaitable[Incident]]
) -> IncidentOut:
    """Run one response use case in a unit of work and answer with the incident as it now is."""
    async with container.uow() as uow:
        incident = await act(uow)
        _, platform = await services.find_incident(uow, incident.number)
        await uow.commit()
    return incident_out(incident, platform)


class IncidentsController(Controller):
    path = "/incidents"
    tags = ["incidents"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @post(
        "/",
        guards=[require_scope("incidents:write")],
        responses=problems(403, 409, 413, 422),
        summary="Declare an incident (or update the open one with the same dedup_key)",
        status_code=HTTP_201_CREATED,
    )
    async def declare(
        self, container: AppContainer, principal: Principal, data: JSONBody[IncidentIn]
    ) -> Response[DeclaredOut]:
        labels: dict[str, Any] = {"source": data.source} if data.source else {}
        async with container.uow() as uow:
            outcome = await services.declare_incident(
                uow,
                principal.actor,
                title=data.title,
                platform=data.platform,
                severity=data.severity,
                description=data.description,
                source=IncidentSource.API,
                dedup_key=data.dedup_key,
                labels=labels,
            )
            _, platform = await services.find_incident(uow, outcome.incident.number)
            await uow.commit()
        body = DeclaredOut(
            **incident_out(outcome.incident, platform).model_dump(),
            deduplicated=not outcome.created,
        )
        return Response(body, status_code=HTTP_201_CREATED if outcome.created else HTTP_200_OK)

    @get(
        "/",
        guards=[require_scope("incidents:read")],
        responses=problems(403, 422),
        summary="List incidents, newest first",
    )
    async def list_all(
        self,
        container: AppContainer,
        principal: Principal,
        page: PageParams,
        status: Annotated[
            str | None,
            QueryParameter(description="triggered, acknowledged, resolved or open; comma list"),
        ] = None,
        severity: Annotated[str | None, QueryParameter(description="SEV1…SEV4; comma list")] = None,
        platform: Annotated[str | None, QueryParameter(description="Platform key")] = None,
        since: Annotated[
            datetime | None, QueryParameter(description="Declared at or after (ISO 8601)")
        ] = None,
    ) -> Page[IncidentOut]:
        statuses = tuple(s for group in _choices(status, "status", _status) for s in group)
        severities = _choices(severity, "severity", Severity.parse)
        async with container.reader() as uow:
            platforms = {p.id: p for p in await uow.org.list_platforms()}
            platform_id = None
            if platform:
                platform_id = next((i for i, p in platforms.items() if p.key == platform), -1)
            rows = await list_incidents(
                uow,
                principal.actor,
                IncidentFilter(
                    statuses=statuses,
                    severities=severities,
                    platform_id=platform_id,
                    since=since,
                    after_id=page.after_id(),
                    limit=page.limit + 1,
                ),
            )
        return page.of(
            rows, lambda i: i.id or 0, lambda i: incident_out(i, platforms[i.platform_id])
        )

    @get(
        "/{key:str}",
        guards=[require_scope("incidents:read")],
        responses=problems(403, 404, 422),
        summary="One incident with its timeline",
    )
    async def read(
        self, container: AppContainer, principal: Principal, key: IncidentKey
    ) -> IncidentDetail:
        async with container.reader() as uow:
            incident, platform, entries = await get_incident(uow, principal.actor, key)
        return IncidentDetail(
            **incident_out(incident, platform).model_dump(),
            timeline=[timeline_out(e) for e in entries],
        )

    @post(
        "/{key:str}/acknowledge",
        guards=[require_scope("incidents:write")],
        responses=problems(403, 404, 409, 422),
        summary="Acknowledge (stops escalation); 409 when already acknowledged or resolved",
        status_code=HTTP_200_OK,
    )
    async def acknowledge(
        self, container: AppContainer, principal: Principal, key: IncidentKey
    ) -> IncidentOut:
        return await _respond(
            container, lambda uow: services.acknowledge_incident(uow, principal.actor, key)
        )

    @post(
        "/{key:str}/resolve",
        guards=[require_scope("incidents:write")],
        responses=problems(403, 404, 409, 413, 422),
        summary="Resolve with a summary; 409 when already resolved",
        status_code=HTTP_200_OK,
    )
    async def resolve(
        self,
        container: AppContainer,
        principal: Principal,
        key: IncidentKey,
        data: JSONBody[SummaryIn],
    ) -> IncidentOut:
        return await _respond(
            container,
            lambda uow: services.resolve_incident(uow, principal.actor, key, data.summary),
        )

    @post(
        "/{key:str}/notes",
        guards=[require_scope("incidents:write")],
        responses=problems(403, 404, 413, 422),
        summary="Add a note to the timeline",
        status_code=HTTP_201_CREATED,
    )
    async def add_note(
        self,
        container: AppContainer,
        principal: Principal,
        key: IncidentKey,
        data: JSONBody[NoteIn],
    ) -> IncidentOut:
        return await _respond(
            container, lambda uow: services.add_note(uow, principal.actor, key, data.text)
        )

    @post(
        "/{key:str}/reopen",
        guards=[require_scope("incidents:write")],
        responses=problems(403, 404, 409, 413, 422),
        summary="Reopen a resolved incident (the ack SLA starts again); 409 when it is open",
        status_code=HTTP_200_OK,
    )
    async def reopen(
        self,
        container: AppContainer,
        principal: Principal,
        key: IncidentKey,
        data: JSONBody[ReopenIn | None] = None,
    ) -> IncidentOut:
        reason = data.reason if data else ""
        return await _respond(
            container, lambda uow: services.reopen_incident(uow, principal.actor, key, reason)
        )

    @post(
        "/{key:str}/escalate",
        guards=[require_scope("incidents:write")],
        responses=problems(403, 404, 409, 422),
        summary="Page the next level (all operators, then admins); 409 when resolved or at the top",
        status_code=HTTP_200_OK,
    )
    async def escalate(
        self, container: AppContainer, principal: Principal, key: IncidentKey
    ) -> IncidentOut:
        async def escalate_and_read(uow: IncidentsUnitOfWork) -> Incident:
            await services.escalate_incident(uow, principal.actor, key)
            incident, _ = await services.find_incident(uow, key)
            return incident

        return await _respond(container, escalate_and_read)

    @post(
        "/{key:str}/severity",
        guards=[require_scope("incidents:write")],
        responses=problems(403, 404, 409, 422),
        summary="Change the severity (the ack SLA follows); 409 when resolved or already so",
        status_code=HTTP_200_OK,
    )
    async def change_severity(
        self,
        container: AppContainer,
        principal: Principal,
        key: IncidentKey,
        data: JSONBody[SeverityIn],
    ) -> IncidentOut:
        return await _respond(
            container,
            lambda uow: services.change_severity(uow, principal.actor, key, data.severity),
        )
