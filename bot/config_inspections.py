"""The `inspection_plans` section of the configuration file: plans kept as code.

Plans are matched by name. A plan in the file is created or updated through the same use cases
as the Slack modal and the API (audited as `system:config`); `paused: true` pauses it. Plans made
in Slack that the file does not list are left alone (never deleted by the file).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from bot.config_file import Change, ConfigError, PlanContext
from bot.config_sections import ChannelId, Item, Slug, UserId
from domain.access import Actor
from domain.errors import ValidationFailed
from domain.inspections import services as plans
from domain.inspections.models import MAX_CHECKLIST_ITEMS, InspectionPlan, PlanState
from domain.inspections.schedule import check_timezone, parse_cron

ItemText = Annotated[str, Field(min_length=1, max_length=150)]


class InspectionPlanItem(Item):
    name: str = Field(min_length=1, max_length=80)
    platform: Slug
    checklist: list[ItemText] = Field(min_length=1, max_length=MAX_CHECKLIST_ITEMS)
    schedule: str = Field(description="cron or a preset such as 'every weekday 09:00'")
    timezone: str = "UTC"
    grace_minutes: int = Field(default=60, ge=5, le=7 * 24 * 60)
    assignee: UserId | None = None
    role: Literal["operator", "engineer"] | None = None
    channel: ChannelId | None = None
    paused: bool = False

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        try:
            return parse_cron("schedule", value)
        except ValidationFailed:
            raise ValueError(
                f"{value!r} is not a schedule: use a 5-field cron or a preset like "
                "'every weekday 09:00', 'daily 18:30', 'monday 08:00', 'hourly'"
            ) from None

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            return check_timezone("timezone", value)
        except ValidationFailed:
            raise ValueError(
                f"unknown timezone {value!r} (use a name like Europe/Berlin)"
            ) from None

    def draft(self) -> plans.PlanDraft:
        return plans.PlanDraft(
            name=self.name,
            platform=self.platform,
            checklist=list(self.checklist),
            schedule=self.schedule,
            timezone=self.timezone,
            channel_id=self.channel,
            grace_minutes=self.grace_minutes,
            assignee_id=self.assignee,
            assignee_role=self.role,
            source="config",
        )


def _wanted(item: InspectionPlanItem, platform_key: str | None) -> dict[str, Any]:
    return {
        "platform": item.platform,
        "checklist": [" ".join(entry.split()) for entry in item.checklist],
        "cron": item.schedule,
        "timezone": item.timezone,
        "grace_minutes": item.grace_minutes,
        "assignee": item.assignee,
        "role": item.role or (None if item.assignee else "operator"),
        "channel": item.channel,
        "paused": item.paused,
    }


def _current(
    plan: InspectionPlan, platform_key: str | None, item: InspectionPlanItem
) -> dict[str, Any]:
    return {
        "platform": platform_key,
        "checklist": list(plan.checklist),
        "cron": plan.cron,
        "timezone": plan.timezone,
        "grace_minutes": int(plan.grace.total_seconds() // 60),
        "assignee": plan.assignee_id,
        "role": plan.assignee_role.value if plan.assignee_role else None,
        # Without a channel in the file the platform's ops channel is used: not a change.
        "channel": plan.channel_id if item.channel else None,
        "paused": plan.state is PlanState.PAUSED,
    }


class InspectionPlansSection:
    name, noun, item_model = "inspection_plans", "inspection plan", InspectionPlanItem

    async def plan(
        self, uow: Any, items: list[InspectionPlanItem], context: PlanContext
    ) -> list[Change]:
        seen: set[str] = set()
        changes = []
        platforms_in_file = {p.key for p in getattr(context.document, "platforms", [])}
        for index, item in enumerate(items):
            folded = item.name.casefold()
            if folded in seen:
                raise ConfigError(f"{self.name}[{index}] ({item.name}): listed twice")
            seen.add(folded)
            platform = await uow.org.find_platform(item.platform)
            if platform is None and item.platform not in platforms_in_file:
                raise ConfigError(
                    f"{self.name}[{index}] ({item.name}).platform: no platform {item.platform!r}"
                )
            existing = await uow.inspections.find_plan_by_name(item.name)
            if existing is None:
                changes.append(Change(self.noun, item.name, "create", item=item))
                continue
            current_platform = await uow.org.get_platform(existing.platform_id)
            before = _current(existing, current_platform.key if current_platform else None, item)
            after = _wanted(item, item.platform)
            details = tuple(
                f"{field}: {before[field]!r} → {after[field]!r}"
                for field in after
                if before[field] != after[field]
            )
            changes.append(
                Change(self.noun, item.name, "update" if details else "unchanged", details, item)
            )
        return changes

    async def apply(self, uow: Any, actor: Actor, change: Change) -> None:
        item: InspectionPlanItem = change.item
        if change.action == "create":
            plan = await plans.create_plan(uow, actor, item.draft())
        else:
            existing = await plans.get_plan(uow, item.name)
            plan = await plans.update_plan(uow, actor, existing.key, item.draft())
        if item.paused and plan.state is PlanState.ACTIVE:
            await plans.pause_plan(uow, actor, plan.key)
        elif not item.paused and plan.state is PlanState.PAUSED:
            await plans.resume_plan(uow, actor, plan.key)
