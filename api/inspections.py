"""`/api/v1/inspections`: plans (list, create) and runs (list), with the same rules as Slack.

Scopes: `inspections:read` to read, `inspections:write` to create plans.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED
from pydantic import BaseModel, Field

from api.auth import require_scope
from api.dependencies import AppContainer, PageParams, Principal
from api.pagination import Page
from api.schemas import problems
from domain.errors import ValidationFailed
from domain.inspections import runs as run_cases
from domain.inspections import services as plans
from domain.inspections.models import InspectionPlan, InspectionRun, RunState


class PlanIn(BaseModel):
    name: str = Field(max_length=80, examples=["Web daily health"])
    platform: str = Field(max_length=40, examples=["web"], description="Platform key")
    checklist: list[str] = Field(max_length=40, examples=[["Dashboards green", "Backups fresh"]])
    schedule: str = Field(
        max_length=120,
        examples=["every weekday 09:00"],
        description="5-field cron, or a preset: weekdays/daily/monday…/monthly HH:MM, hourly",
    )
    timezone: str | None = Field(
        default=None,
        max_length=64,
        examples=["Europe/Berlin"],
        description="Default: PLATOPS_TIMEZONE",
    )
    grace_minutes: int = Field(default=60, description="5 minutes to 7 days")
    assignee_id: str | None = Field(default=None, max_length=32, description="Slack user id")
    assignee_role: str | None = Field(
        default=None, description="operator or engineer; default operator when nobody is named"
    )
    channel_id: str | None = Field(
        default=None, max_length=32, description="Default: the platform's operations channel"
    )


class PlanOut(BaseModel):
    key: str
    name: str
    platform: str
    checklist: list[str]
    cron: str
    timezone: str
    grace_minutes: int
    assignee_id: str | None
    assignee_role: str | None
    channel_id: str
    state: str = Field(description="active or paused")
    next_due_at: datetime | None
    source: str


class ItemResultOut(BaseModel):
    item: str
    passed: bool
    note: str
    incident: str | None


class RunOut(BaseModel):
    key: str
    plan: str
    platform: str
    scheduled_for: datetime
    opened_at: datetime
    due_at: datetime
    state: str = Field(description="open or completed")
    late: bool = Field(description="Opened after an outage, past its scheduled time")
    missed: bool = Field(description="Not completed within the grace period")
    completed_at: datetime | None
    completed_by: str | None
    results: list[ItemResultOut]


def plan_out(plan: InspectionPlan, platforms: dict[int, str]) -> PlanOut:
    return PlanOut(
        key=plan.key,
        name=plan.name,
        platform=platforms.get(plan.platform_id, "?"),
        checklist=list(plan.checklist),
        cron=plan.cron,
        timezone=plan.timezone,
        grace_minutes=int(plan.grace.total_seconds() // 60),
        assignee_id=plan.assignee_id,
        assignee_role=plan.assignee_role.value if plan.assignee_role else None,
        channel_id=plan.channel_id,
        state=plan.state.value,
        next_due_at=plan.next_due_at,
        source=plan.source,
    )


def run_out(run: InspectionRun, plan_keys: dict[int, str], platforms: dict[int, str]) -> RunOut:
    return RunOut(
        key=run.key,
        plan=plan_keys.get(run.plan_id, f"PLAN-{run.plan_id}"),
        platform=platforms.get(run.platform_id, "?"),
        scheduled_for=run.scheduled_for,
        opened_at=run.opened_at,
        due_at=run.due_at,
        state=run.state.value,
        late=run.late,
        missed=run.missed,
        completed_at=run.completed_at,
        completed_by=run.completed_by,
        results=[
            ItemResultOut(item=r.item, passed=r.passed, note=r.note, incident=r.incident_key)
            for r in run.results
        ],
    )


class InspectionsController(Controller):
    path = "/inspections"
    tags = ["inspections"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get(
        "/plans",
        guards=[require_scope("inspections:read")],
        responses=problems(403, 422),
        summary="Inspection plans with their next due time",
    )
    async def list_plans(
        self,
        container: AppContainer,
        principal: Principal,
        page: PageParams,
        platform: Annotated[str | None, QueryParameter(description="Platform key")] = None,
    ) -> Page[PlanOut]:
        async with container.reader() as uow:
            found = await plans.list_plans(
                uow, principal.actor, platform, after_id=page.after_id(), limit=page.limit + 1
            )
            platforms = {p.id: p.key for p in await uow.org.list_platforms() if p.id}
        return page.of(found, lambda p: p.id or 0, lambda p: plan_out(p, platforms))

    @post(
        "/plans",
        guards=[require_scope("inspections:write")],
        responses=problems(403, 404, 409, 422),
        summary="Create an inspection plan",
        status_code=HTTP_201_CREATED,
    )
    async def create_plan(
        self, container: AppContainer, principal: Principal, data: JSONBody[PlanIn]
    ) -> Response[PlanOut]:
        draft = plans.PlanDraft(
            name=data.name,
            platform=data.platform,
            checklist=data.checklist,
            schedule=data.schedule,
            timezone=data.timezone or container.settings.timezone,
            channel_id=data.channel_id,
            grace_minutes=data.grace_minutes,
            assignee_id=data.assignee_id,
            assignee_role=data.assignee_role,
            source="api",
        )
        async with container.uow() as uow:
            plan = await plans.create_plan(uow, principal.actor, draft)
            platforms = {p.id: p.key for p in await uow.org.list_platforms() if p.id}
            await uow.commit()
        return Response(plan_out(plan, platforms), status_code=HTTP_201_CREATED)

    @get(
        "/runs",
        guards=[require_scope("inspections:read")],
        responses=problems(403, 404, 422),
        summary="Inspection runs, newest first",
    )
    async def list_runs(
        self,
        container: AppContainer,
        principal: Principal,
        page: PageParams,
        plan: Annotated[str | None, QueryParameter(description="PLAN-n or plan name")] = None,
        run_state: Annotated[
            str | None, QueryParameter(name="state", description="open or completed")
        ] = None,
    ) -> Page[RunOut]:
        wanted = None
        if run_state:
            try:
                wanted = RunState(run_state)
            except ValueError:
                raise ValidationFailed.single(
                    "state", "errors.inspection.state", value=run_state
                ) from None
        async with container.reader() as uow:
            found = await run_cases.run_history(
                uow,
                principal.actor,
                plan,
                limit=page.limit + 1,
                before_id=page.after_id(),
                state=wanted,
            )
            plan_keys = {
                p.id: p.key for p in await uow.inspections.list_plans(include_deleted=True) if p.id
            }
            platforms = {p.id: p.key for p in await uow.org.list_platforms() if p.id}
        return page.of(found, lambda r: r.id or 0, lambda r: run_out(r, plan_keys, platforms))
