"""Inspection plans: create, edit, pause, resume, delete (each audited), list.

Plans come from Slack (the modal), the API or the declarative config file; all go through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from domain.access import Actor, Permission, Role
from domain.errors import Conflict, FieldErrors, NotFound, ValidationFailed
from domain.events import DomainEvent
from domain.inspections.models import (
    ASSIGNABLE_ROLES,
    MAX_CHECKLIST_ITEMS,
    MAX_GRACE,
    MAX_ITEM_LENGTH,
    MAX_NAME_LENGTH,
    MIN_GRACE,
    InspectionPlan,
    PlanState,
    parse_plan_ref,
)
from domain.inspections.ports import InspectionsUnitOfWork
from domain.inspections.schedule import Schedule, check_timezone, parse_cron
from domain.org.models import Platform

VIEW_INSPECTIONS = Permission(
    "inspections.view",
    roles=(Role.ADMIN, Role.OPERATOR, Role.ENGINEER, Role.AUDITOR),
    scope="inspections:read",
)
MANAGE_PLANS = Permission(
    "inspections.manage", roles=(Role.ADMIN, Role.OPERATOR), scope="inspections:write"
)


@dataclass
class PlanDraft:
    """What a person or client typed; validated as a whole so every bad field is reported."""

    name: str
    platform: str  # platform key
    checklist: list[str]
    schedule: str  # cron or a friendly form ("weekdays 09:00")
    timezone: str
    channel_id: str | None = None  # default: the platform's operations channel
    grace_minutes: int = 120
    assignee_id: str | None = None
    assignee_role: str | None = None  # default "operator" when nobody is named
    source: str = "slack"


def checklist_from_text(text: str) -> list[str]:
    """One item per line; bullets and blank lines are ignored."""
    items = []
    for line in text.splitlines():
        item = line.strip().lstrip("-*•").strip()
        if item:
            items.append(item)
    return items


async def _validated(
    uow: InspectionsUnitOfWork, draft: PlanDraft, plan_id: int | None
) -> tuple[InspectionPlan, Platform]:
    errors = FieldErrors()
    name = " ".join(draft.name.split())
    if not name or len(name) > MAX_NAME_LENGTH:
        errors.add("name", "errors.inspection.name", max=MAX_NAME_LENGTH)
    elif (same := await uow.inspections.find_plan_by_name(name)) and same.id != plan_id:
        errors.add("name", "errors.inspection.name_taken", name=name)
    platform = await uow.org.find_platform(draft.platform.strip().lower())
    if platform is None:
        errors.add("platform", "errors.platform.not_found", platform=draft.platform)
    items = [" ".join(item.split()) for item in draft.checklist if item.strip()]
    if not items:
        errors.add("checklist", "errors.inspection.checklist_empty")
    elif len(items) > MAX_CHECKLIST_ITEMS:
        errors.add("checklist", "errors.inspection.checklist_long", max=MAX_CHECKLIST_ITEMS)
    elif any(len(item) > MAX_ITEM_LENGTH for item in items):
        errors.add("checklist", "errors.inspection.item_long", max=MAX_ITEM_LENGTH)
    cron = timezone = ""
    try:
        cron = parse_cron("cron", draft.schedule)
    except ValidationFailed as error:
        for name_, (code, params) in error.fields.items():
            errors.add(name_, code, **params)
    try:
        timezone = check_timezone("timezone", draft.timezone)
    except ValidationFailed as error:
        for name_, (code, params) in error.fields.items():
            errors.add(name_, code, **params)
    grace = timedelta(minutes=draft.grace_minutes)
    if not MIN_GRACE <= grace <= MAX_GRACE:
        errors.add("grace", "errors.inspection.grace", min=5, max=7 * 24 * 60)
    role = None
    if draft.assignee_role:
        try:
            role = Role(draft.assignee_role.strip().lower())
        except ValueError:
            role = None
        if role not in ASSIGNABLE_ROLES:
            errors.add(
                "role",
                "errors.inspection.role",
                role=draft.assignee_role,
                roles=", ".join(r.value for r in ASSIGNABLE_ROLES),
            )
    if draft.assignee_id is None and role is None:
        role = Role.OPERATOR
    channel_id = draft.channel_id or (platform.ops_channel_id if platform else None)
    if platform is not None and not channel_id:
        errors.add("channel", "errors.inspection.channel", platform=platform.key)
    errors.raise_if_any()
    assert platform is not None and platform.id is not None and channel_id
    plan = InspectionPlan(
        id=plan_id,
        name=name,
        platform_id=platform.id,
        checklist=items,
        cron=cron,
        timezone=timezone,
        channel_id=channel_id,
        grace=grace,
        assignee_id=draft.assignee_id,
        assignee_role=role if draft.assignee_id is None else None,
        source=draft.source,
    )
    return plan, platform


async def create_plan(uow: InspectionsUnitOfWork, actor: Actor, draft: PlanDraft) -> InspectionPlan:
    plan, platform = await _validated(uow, draft, None)
    actor.require(MANAGE_PLANS, platform_id=platform.id)
    now = uow.now()
    plan.created_by, plan.created_at = actor.id_for_audit, now
    plan.next_due_at = Schedule(plan.cron, plan.timezone).next_after(now)
    plan = await uow.inspections.add_plan(plan)
    uow.record(actor, DomainEvent("inspection.plan_created", plan.subject, plan.describe()))
    return plan


async def update_plan(
    uow: InspectionsUnitOfWork, actor: Actor, plan_ref: str, draft: PlanDraft
) -> InspectionPlan:
    plan = await get_plan(uow, plan_ref)
    actor.require(MANAGE_PLANS, platform_id=plan.platform_id)
    edited, platform = await _validated(uow, draft, plan.id)
    actor.require(MANAGE_PLANS, platform_id=platform.id)
    before = plan.describe()
    edited.state, edited.source = plan.state, plan.source
    edited.created_by, edited.created_at = plan.created_by, plan.created_at
    edited.next_due_at = plan.next_due_at
    if (edited.cron, edited.timezone) != (plan.cron, plan.timezone) or plan.next_due_at is None:
        edited.next_due_at = (
            Schedule(edited.cron, edited.timezone).next_after(uow.now())
            if edited.state is PlanState.ACTIVE
            else None
        )
    after = edited.describe()
    if after == before:
        return plan
    await uow.inspections.save_plan(edited)
    uow.record(
        actor,
        DomainEvent(
            "inspection.plan_changed",
            edited.subject,
            {
                "before": before,
                "after": after,
                "changed": sorted(k for k in after if after[k] != before[k]),
            },
        ),
    )
    return edited


async def pause_plan(uow: InspectionsUnitOfWork, actor: Actor, plan_ref: str) -> InspectionPlan:
    plan = await get_plan(uow, plan_ref)
    actor.require(MANAGE_PLANS, platform_id=plan.platform_id)
    if plan.state is PlanState.PAUSED:
        raise Conflict("errors.inspection.already_paused", plan=plan.name)
    plan.state, plan.next_due_at = PlanState.PAUSED, None
    await uow.inspections.save_plan(plan)
    uow.record(actor, DomainEvent("inspection.plan_paused", plan.subject, {"name": plan.name}))
    return plan


async def resume_plan(uow: InspectionsUnitOfWork, actor: Actor, plan_ref: str) -> InspectionPlan:
    plan = await get_plan(uow, plan_ref)
    actor.require(MANAGE_PLANS, platform_id=plan.platform_id)
    if plan.state is PlanState.ACTIVE:
        raise Conflict("errors.inspection.not_paused", plan=plan.name)
    plan.state = PlanState.ACTIVE
    # Resuming starts from now: ticks that passed while paused are not owed.
    plan.next_due_at = Schedule(plan.cron, plan.timezone).next_after(uow.now())
    await uow.inspections.save_plan(plan)
    uow.record(
        actor,
        DomainEvent(
            "inspection.plan_resumed",
            plan.subject,
            {"name": plan.name, "next_due_at": plan.next_due_at.isoformat()},
        ),
    )
    return plan


async def delete_plan(uow: InspectionsUnitOfWork, actor: Actor, plan_ref: str) -> InspectionPlan:
    """Soft delete: runs keep pointing at their plan, and the audit trail stays readable."""
    plan = await get_plan(uow, plan_ref)
    actor.require(MANAGE_PLANS, platform_id=plan.platform_id)
    plan.state, plan.next_due_at = PlanState.DELETED, None
    await uow.inspections.save_plan(plan)
    uow.record(actor, DomainEvent("inspection.plan_deleted", plan.subject, plan.describe()))
    return plan


async def get_plan(uow: InspectionsUnitOfWork, plan_ref: str) -> InspectionPlan:
    """A live plan by `PLAN-n`, number or name."""
    plan_id = parse_plan_ref(plan_ref)
    plan = (
        await uow.inspections.get_plan(plan_id)
        if plan_id is not None
        else await uow.inspections.find_plan_by_name(" ".join(plan_ref.split()))
    )
    if plan is None or plan.state is PlanState.DELETED:
        raise NotFound("errors.inspection.plan_not_found", plan=plan_ref)
    return plan


async def list_plans(
    uow: InspectionsUnitOfWork,
    actor: Actor,
    platform: str | None = None,
    after_id: int | None = None,
    limit: int = 200,
) -> list[InspectionPlan]:
    actor.require(VIEW_INSPECTIONS)
    platform_id = None
    if platform:
        found = await uow.org.find_platform(platform.strip().lower())
        if found is None:
            raise NotFound("errors.platform.not_found", platform=platform)
        platform_id = found.id
    return await uow.inspections.list_plans(platform_id, after_id=after_id, limit=limit)
