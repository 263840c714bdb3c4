"""`/api/v1/moderation/reports|appeals|queue`: the moderation queue (scopes `moderation:*`).

The platform sends reports (users flagged by others) and appeals into the queue; a moderator
decides them here or in Slack with the same rules: the call names the Slack moderator acting
(`user_id` or `email`), whose platform scope applies, and an appeal is decided by a moderator
who did not act on the case. Cards in the moderation log update in place; the platform hears the
outcome as a signed webhook.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, post
from litestar.params import JSONBody, PathParameter
from litestar.status_codes import HTTP_201_CREATED
from pydantic import BaseModel, Field

from api.auth import acting_user, require_scope
from api.dependencies import AppContainer, Principal
from api.moderation import ActingIn
from api.schemas import problems
from domain.moderation import lookup, queue
from domain.moderation.models import QueueItem, parse_user_ref

ItemKey = Annotated[str, PathParameter(max_length=40, description="`RPT-n` or `APL-n`")]


class ReportIn(BaseModel):
    user: str = Field(max_length=200, description="PLATFORM:EXTERNAL_ID of the reported user")
    reporter: str = Field(default="", max_length=200, description="Who flagged them")
    content_id: str = Field(default="", max_length=200)
    reason: str = Field(max_length=3000)
    handle: str | None = Field(default=None, max_length=120)


class AppealIn(BaseModel):
    case: str = Field(max_length=40, examples=["CASE-12"])
    statement: str = Field(max_length=3000)


class DecisionIn(ActingIn):
    note: str = Field(default="", max_length=3000, description="Why (kept on the item)")


class QueueItemOut(BaseModel):
    key: str
    kind: str
    status: str
    created_at: datetime
    taken_by: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str = ""


def item_out(item: QueueItem) -> QueueItemOut:
    return QueueItemOut(
        key=item.key,
        kind=item.kind.value,
        status=item.status.value,
        created_at=item.created_at,
        taken_by=item.taken_by,
        decided_by=item.decided_by,
        decided_at=item.decided_at,
        decision_note=item.decision_note,
    )


class ModerationQueueController(Controller):
    path = "/moderation"
    tags = ["moderation"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @post(
        "/reports",
        status_code=HTTP_201_CREATED,
        guards=[require_scope("moderation:write")],
        responses=problems(403, 404, 409, 422),
        summary="A user flagged by others: into the queue",
    )
    async def report(
        self, container: AppContainer, principal: Principal, data: JSONBody[ReportIn]
    ) -> QueueItemOut:
        async with container.uow() as uow:
            item = await queue.submit_report(
                uow,
                principal.actor,
                parse_user_ref(data.user, "user"),
                reporter=data.reporter,
                content_id=data.content_id,
                reason=data.reason,
                handle=data.handle,
            )
            await uow.commit()
        return item_out(item)

    @post(
        "/appeals",
        status_code=HTTP_201_CREATED,
        guards=[require_scope("moderation:write")],
        responses=problems(403, 404, 409, 422),
        summary="A user contests a case: into the queue",
    )
    async def appeal(
        self, container: AppContainer, principal: Principal, data: JSONBody[AppealIn]
    ) -> QueueItemOut:
        async with container.uow() as uow:
            item = await queue.submit_appeal(uow, principal.actor, data.case, data.statement)
            await uow.commit()
        return item_out(item)

    @post(
        "/queue/{key:str}/take",
        status_code=200,
        guards=[require_scope("moderation:write")],
        responses=problems(403, 404, 409, 422),
        summary="A moderator takes a report or appeal (its reminders go to them)",
    )
    async def take(
        self, container: AppContainer, principal: Principal, key: ItemKey, data: JSONBody[ActingIn]
    ) -> QueueItemOut:
        return await _decide(container, principal, key, data, "take")

    @post(
        "/queue/{key:str}/dismiss",
        status_code=200,
        guards=[require_scope("moderation:write")],
        responses=problems(403, 404, 409, 422),
        summary="Close a report without action (the platform is told)",
    )
    async def dismiss(
        self,
        container: AppContainer,
        principal: Principal,
        key: ItemKey,
        data: JSONBody[DecisionIn],
    ) -> QueueItemOut:
        return await _decide(container, principal, key, data, "dismiss")

    @post(
        "/queue/{key:str}/uphold",
        status_code=200,
        guards=[require_scope("moderation:write")],
        responses=problems(403, 404, 409, 422),
        summary="Uphold an appeal's case (by a moderator who did not act on it)",
    )
    async def uphold(
        self,
        container: AppContainer,
        principal: Principal,
        key: ItemKey,
        data: JSONBody[DecisionIn],
    ) -> QueueItemOut:
        return await _decide(container, principal, key, data, "uphold")

    @post(
        "/queue/{key:str}/overturn",
        status_code=200,
        guards=[require_scope("moderation:write")],
        responses=problems(403, 404, 409, 422),
        summary="Overturn an appeal's case: it is revoked, a ban ends (the user is told)",
    )
    async def overturn(
        self,
        container: AppContainer,
        principal: Principal,
        key: ItemKey,
        data: JSONBody[DecisionIn],
    ) -> QueueItemOut:
        return await _decide(container, principal, key, data, "overturn")


async def _decide(
    container: AppContainer, principal: Principal, key: str, data: ActingIn, decision: str
) -> QueueItemOut:
    """One door for the four decisions: the same use cases as the queue card's buttons."""
    note = data.note if isinstance(data, DecisionIn) else ""
    async with container.uow() as uow:
        actor = await acting_user(uow, principal, data.user_id, data.email)
        found = await lookup.item_by_key(uow, key)
        assert found.id is not None
        if decision == "take":
            item = await queue.take_item(uow, actor, found.id)
        elif decision == "dismiss":
            item = await queue.dismiss_item(uow, actor, found.id, note)
        else:
            item = await queue.decide_appeal(
                uow, actor, found.id, uphold=decision == "uphold", note=note
            )
        await uow.commit()
    return item_out(item)
