"""`GET /api/v1/events`: the audit stream (scope `events:read`), for SIEM and BI.

Read straight from the hash-chained `events` table in id order. Unlike other lists, the stream's
`next_cursor` is never null once you have seen an event: it points after the last item, so a
poller stores it and asks again later; `has_more` says whether the next page is already there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, get
from litestar.params import QueryParameter
from pydantic import BaseModel, Field

from api.auth import require_scope
from api.dependencies import AppContainer
from api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, decode_id_cursor, encode_cursor
from api.schemas import ActorOut, SubjectOut, problems
from storage.audit import read_events
from storage.models.core import EventRow


class EventOut(BaseModel):
    id: int
    occurred_at: datetime
    type: str = Field(examples=["incident.acknowledged"])
    subject: SubjectOut | None
    actor: ActorOut
    data: dict[str, Any]
    hash: str = Field(description="SHA-256 chaining this event to the previous one.")
    prev_hash: str


class EventStreamPage(Page[EventOut]):
    has_more: bool = Field(description="Whether another page is available right now.")


def event_out(row: EventRow) -> EventOut:
    subject = (
        SubjectOut(type=row.subject_type, id=row.subject_id, key=row.subject_key)
        if row.subject_type
        else None
    )
    return EventOut(
        id=row.id,
        occurred_at=row.occurred_at,
        type=row.type,
        subject=subject,
        actor=ActorOut(kind=row.actor_kind, id=row.actor_id),
        data=row.data,
        hash=row.hash,
        prev_hash=row.prev_hash,
    )


class EventsController(Controller):
    path = "/events"
    tags = ["events"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get(
        "/",
        guards=[require_scope("events:read")],
        responses=problems(422),
        summary="Read the audit stream",
        description="Scope `events:read`. Events in id order after the `after` cursor. "
        "`type` is exact (`incident.acknowledged`) or a prefix pattern (`incident.*`).",
    )
    async def list_events(
        self,
        container: AppContainer,
        after: Annotated[
            str | None, QueryParameter(description="`next_cursor` of the previous page.")
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, required=False)] = DEFAULT_LIMIT,
        event_type: Annotated[
            str | None, QueryParameter(name="type", description="Event type or `prefix.*`.")
        ] = None,
        subject_type: Annotated[str | None, QueryParameter(description="e.g. incident")] = None,
        subject_key: Annotated[str | None, QueryParameter(description="e.g. INC-7")] = None,
    ) -> EventStreamPage:
        after_id = decode_id_cursor(after, field="after")
        async with container.database.read_session() as session:
            rows = await read_events(
                session,
                after_id=after_id,
                limit=limit + 1,
                type_pattern=event_type,
                subject_type=subject_type,
                subject_key=subject_key,
            )
        shown = rows[:limit]
        next_cursor = encode_cursor(shown[-1].id) if shown else after
        return EventStreamPage(
            items=[event_out(row) for row in shown],
            next_cursor=next_cursor,
            has_more=len(rows) > limit,
        )
