"""`/api/v1/requirements` (scopes `requirements:read|write`): list, read, submit, transition.

Requirements are submitted and decided by people, so writes act on behalf of a Slack user named
by `user_id` or `email`, with that person's roles, exactly as in Slack: only members submit,
only the round's approvers (or their delegates) vote, nobody approves their own, engineers move
stages. The key alone (no person) may read, and may move or test what its scope allows, but
never vote. Every change updates the Slack card and DMs in place and is sent as `requirement.*`
webhooks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal

from litestar import Controller, get, post
from litestar.openapi.spec import Example
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from pydantic import BaseModel, Field

from api.auth import acting_user, require_scope
from api.dependencies import AppContainer, PageParams, Principal
from api.pagination import Page, encode_cursor
from api.schemas import ActorOut, problems
from bot.bootstrap import Container
from domain.access import Actor
from domain.errors import ValidationFailed
from domain.ports import UnitOfWork
from domain.requirements import queries, services, stages
from domain.requirements.drafts import RequirementDraft
from domain.requirements.models import Decision, Requirement
from domain.requirements.ports import HistoryEntry

RequirementKey = Annotated[
    str, PathParameter(description="REQ-n", examples=[Example(value="REQ-12")])
]
Action = Literal[
    "approve", "reject", "request_changes", "move", "record_test", "withdraw", "assign"
]
_DECISIONS = {
    "approve": Decision.APPROVE,
    "reject": Decision.REJECT,
    "request_changes": Decision.CHANGES,
}


class OnBehalfOf(BaseModel):
    user_id: str | None = Field(
        default=None, max_length=40, description="Slack user id of the person acting"
    )
    email: str | None = Field(
        default=None, max_length=320, description="…or their Slack email (not both)"
    )


class RequirementIn(OnBehalfOf):
    """Field names are those of the Slack modal; limits are checked by the same rules."""

    title: str = Field(examples=["Spring campaign landing page"])
    department: str = Field(examples=["marketing"], description="Department key")
    platform: str | None = Field(default=None, examples=["web"], description="Platform key")
    description: str
    justification: str = Field(description="Business justification")
    priority: str = Field(examples=["high"], description="low, medium, high or critical")
    wanted_by: date | None = Field(default=None, examples=["2026-02-01"])


class TransitionIn(OnBehalfOf):
    action: Action
    reason: str | None = Field(
        default=None, description="reject and request_changes (required); withdraw (optional)"
    )
    stage: str | None = Field(
        default=None, description="move: design, development, testing or live"
    )
    note: str | None = Field(default=None, description="move: why (optional)")
    result: Literal["pass", "fail"] | None = Field(default=None, description="record_test")
    evidence: str | None = Field(default=None, description="record_test: note or link")
    owner: str | None = Field(
        default=None, description="assign: the engineer's Slack user id or email"
    )


class VoteOut(BaseModel):
    round: int
    approver: str = Field(description="Whose seat the vote fills")
    decision: str = Field(description="approve, reject or changes")
    cast_by: str = Field(description="The approver, or the delegate voting for them")
    reason: str | None
    cast_at: datetime


class TestOut(BaseModel):
    passed: bool
    evidence: str
    recorded_by: str
    recorded_at: datetime


class HistoryOut(BaseModel):
    at: datetime
    type: str = Field(examples=["requirement.stage_changed"])
    actor: ActorOut
    data: dict[str, Any]


class RequirementOut(BaseModel):
    key: str
    title: str
    department: str
    platform: str | None
    description: str
    justification: str
    priority: str
    wanted_by: date | None
    submitter: str
    stage: str = Field(
        description="approval, changes_requested, design, development, testing, live, "
        "rejected or withdrawn"
    )
    status: str = Field(description="pending, active, done or closed")
    round: int = Field(description="Approval round (a resubmission opens the next)")
    quorum: int
    approvals: int = Field(description="Approvals of the current round")
    approvers: list[str] = Field(description="Seats of the current round")
    waiting_for: list[str] = Field(description="Seats that have not voted yet")
    owner: str | None
    created_at: datetime
    stage_changed_at: datetime | None
    updated_at: datetime | None


class RequirementDetail(RequirementOut):
    votes: list[VoteOut] = Field(description="Every round's votes, oldest first")
    tests: list[TestOut]
    history: list[HistoryOut] = Field(description="Who did what when, oldest first")


async def _org_keys(uow: UnitOfWork) -> tuple[dict[int | None, str], dict[int | None, str]]:
    departments = {d.id: d.key for d in await uow.org.list_departments()}
    platforms = {p.id: p.key for p in await uow.org.list_platforms()}
    return departments, platforms


def requirement_out(
    r: Requirement, departments: dict[int | None, str], platforms: dict[int | None, str]
) -> RequirementOut:
    return RequirementOut(
        key=r.key,
        title=r.title,
        department=departments.get(r.department_id, str(r.department_id)),
        platform=platforms.get(r.platform_id) if r.platform_id else None,
        description=r.description,
        justification=r.justification,
        priority=r.priority.value,
        wanted_by=r.wanted_by,
        submitter=r.submitter_id,
        stage=r.stage.value,
        status=r.status.value,
        round=r.round,
        quorum=r.quorum,
        approvals=r.approvals,
        approvers=list(r.seats),
        waiting_for=r.waiting_for(),
        owner=r.owner_id,
        created_at=r.created_at,
        stage_changed_at=r.stage_changed_at,
        updated_at=r.updated_at,
    )


def _history_out(entry: HistoryEntry) -> HistoryOut:
    return HistoryOut(
        at=entry.at,
        type=entry.type,
        actor=ActorOut(kind=entry.actor_kind, id=entry.actor_id),
        data=entry.data,
    )


async def requirement_detail(uow: UnitOfWork, requirement: Requirement) -> RequirementDetail:
    departments, platforms = await _org_keys(uow)
    history = await queries.requirement_history(uow, requirement)
    return RequirementDetail(
        **requirement_out(requirement, departments, platforms).model_dump(),
        votes=[
            VoteOut(
                round=v.round,
                approver=v.approver_id,
                decision=v.decision.value,
                cast_by=v.cast_by,
                reason=v.reason,
                cast_at=v.cast_at,
            )
            for v in requirement.votes
        ],
        tests=[
            TestOut(
                passed=t.passed,
                evidence=t.evidence,
                recorded_by=t.recorded_by,
                recorded_at=t.recorded_at,
            )
            for t in requirement.tests
        ],
        history=[_history_out(e) for e in history],
    )


# -- transitions: each action is one use case, called as Slack's buttons call it ---------------
Transition = Callable[[UnitOfWork, Actor, str, TransitionIn], Awaitable[Requirement]]


async def _vote(uow: UnitOfWork, actor: Actor, key: str, data: TransitionIn) -> Requirement:
    decision = _DECISIONS[data.action]
    return await services.cast_vote(uow, actor, key, decision, reason=data.reason)


async def _move(uow: UnitOfWork, actor: Actor, key: str, data: TransitionIn) -> Requirement:
    target = stages.parse_stage(data.stage or "")
    return await stages.move_requirement(uow, actor, key, target, data.note)


async def _record_test(uow: UnitOfWork, actor: Actor, key: str, data: TransitionIn) -> Requirement:
    if data.result is None:
        raise ValidationFailed.single("result", "req.errors.required")
    passed = data.result == "pass"
    return await stages.record_test(uow, actor, key, passed, data.evidence or "")


async def _withdraw(uow: UnitOfWork, actor: Actor, key: str, data: TransitionIn) -> Requirement:
    return await services.withdraw_requirement(uow, actor, key, data.reason)


async def _assign(uow: UnitOfWork, actor: Actor, key: str, data: TransitionIn) -> Requirement:
    owner = (data.owner or "").strip()
    if not owner:
        raise ValidationFailed.single("owner", "req.errors.required")
    if "@" in owner:
        person = await uow.people.find_by_email(owner)
        if person is None:
            raise ValidationFailed.single(
                "owner", "api.errors.unknown_user", by="email", value=owner
            )
        owner = person.user_id
    return await stages.assign_owner(uow, actor, key, owner)


TRANSITIONS: dict[str, Transition] = {
    "approve": _vote,
    "reject": _vote,
    "request_changes": _vote,
    "move": _move,
    "record_test": _record_test,
    "withdraw": _withdraw,
    "assign": _assign,
}


class RequirementsController(Controller):
    path = "/requirements"
    tags = ["requirements"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get(
        "/",
        guards=[require_scope("requirements:read")],
        responses=problems(403, 422),
        summary="List requirements, newest first",
    )
    async def list_all(
        self,
        container: AppContainer,
        principal: Principal,
        page: PageParams,
        department: Annotated[
            str | None, QueryParameter(max_length=40, description="Department key")
        ] = None,
        stage: Annotated[
            str | None, QueryParameter(max_length=40, description="One stage, e.g. testing")
        ] = None,
        status: Annotated[
            str | None,
            QueryParameter(max_length=40, description="pending, active, done or closed"),
        ] = None,
        submitted_after: Annotated[
            datetime | None, QueryParameter(description="Submitted after (ISO 8601)")
        ] = None,
    ) -> Page[RequirementOut]:
        async with container.reader() as uow:
            found = await queries.list_requirements(
                uow,
                principal.actor,
                department=department,
                stage=stage,
                status=status,
                submitted_after=submitted_after,
                cursor=page.after_id(),
                limit=page.limit,
            )
            departments, platforms = await _org_keys(uow)
        return Page[RequirementOut](
            items=[requirement_out(r, departments, platforms) for r in found.items],
            next_cursor=encode_cursor(found.next_cursor) if found.next_cursor else None,
        )

    @get(
        "/{key:str}",
        guards=[require_scope("requirements:read")],
        responses=problems(403, 404, 422),
        summary="One requirement with its votes, tests and history",
    )
    async def read(
        self, container: AppContainer, principal: Principal, key: RequirementKey
    ) -> RequirementDetail:
        async with container.reader() as uow:
            requirement = await services.get_requirement(uow, principal.actor, key)
            return await requirement_detail(uow, requirement)

    @post(
        "/",
        guards=[require_scope("requirements:write")],
        responses=problems(403, 409, 413, 422),
        summary="Submit a requirement on behalf of a department member",
        status_code=HTTP_201_CREATED,
    )
    async def submit(
        self, container: AppContainer, principal: Principal, data: JSONBody[RequirementIn]
    ) -> RequirementDetail:
        draft = RequirementDraft(
            title=data.title,
            department=data.department,
            description=data.description,
            justification=data.justification,
            priority=data.priority,
            wanted_by=data.wanted_by,
            platform=data.platform,
        )
        async with container.uow() as uow:
            actor = await acting_user(uow, principal, data.user_id, data.email)
            requirement = await services.submit_requirement(uow, actor, draft)
            await uow.commit()
        return await _read_back(container, requirement)

    @post(
        "/{key:str}/transitions",
        guards=[require_scope("requirements:write")],
        responses=problems(403, 404, 409, 413, 422),
        summary="Approve, reject, request changes, move, record a test, withdraw or assign",
        description="`action` names the transition; the other fields it needs: reject and "
        "request_changes `reason`; move `stage` (+ `note`); record_test `result` and "
        "`evidence`; assign `owner`. Votes need a person (`user_id` or `email`).",
        status_code=HTTP_200_OK,
    )
    async def transition(
        self,
        container: AppContainer,
        principal: Principal,
        key: RequirementKey,
        data: JSONBody[TransitionIn],
    ) -> RequirementDetail:
        async with container.uow() as uow:
            actor = await acting_user(uow, principal, data.user_id, data.email)
            requirement = await TRANSITIONS[data.action](uow, actor, key, data)
            await uow.commit()
        return await _read_back(container, requirement)


async def _read_back(container: Container, requirement: Requirement) -> RequirementDetail:
    """The answer to a write, read after the commit so its history includes this change."""
    assert requirement.id is not None
    async with container.reader() as uow:
        return await requirement_detail(uow, await services.load(uow, requirement.id))
