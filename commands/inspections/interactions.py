"""Buttons and modal submissions of inspections: plan modal, checklist, "Open incident"."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.bootstrap import Container
from commands import blocks as bk
from commands.framework import caller_for
from commands.inspections import views
from commands.inspections.handlers import open_checklist
from domain.errors import Conflict
from domain.events import Notice, UserRecipient
from domain.inspections import runs as run_cases
from domain.inspections import services as plans


def _value(values: dict[str, Any], block: str) -> Any:
    """The one element's state in an input block (its action_id is always "value")."""
    return (values.get(block) or {}).get("value") or {}


def plan_draft(values: dict[str, Any]) -> plans.PlanDraft:
    grace = (_value(values, "grace").get("selected_option") or {}).get("value") or "60"
    return plans.PlanDraft(
        name=_value(values, "name").get("value") or "",
        platform=(_value(values, "platform").get("selected_option") or {}).get("value") or "",
        checklist=plans.checklist_from_text(_value(values, "checklist").get("value") or ""),
        schedule=_value(values, "cron").get("value") or "",
        timezone=_value(values, "timezone").get("value") or "",
        channel_id=_value(values, "channel").get("selected_conversation"),
        grace_minutes=int(grace) if grace.isdigit() else 60,
        assignee_id=_value(values, "assignee").get("selected_user"),
        assignee_role=(_value(values, "role").get("selected_option") or {}).get("value"),
    )


def register_interactions(app: AsyncApp, container: Container) -> None:
    @app.view(views.PLAN_MODAL)
    async def plan_submitted(ack: Any, body: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        view = body["view"]
        plan_id = json.loads(view.get("private_metadata") or "{}").get("plan_id")
        draft = plan_draft(view["state"]["values"])
        async with caller.uow() as uow:
            if plan_id is None:
                saved = await plans.create_plan(uow, caller.actor, draft)
                key = "inspect.plan.created"
            else:
                saved = await plans.update_plan(uow, caller.actor, str(plan_id), draft)
                key = "inspect.plan.updated"
            next_run = bk.slack_date(saved.next_due_at) if saved.next_due_at else "—"
            uow.notify(
                Notice(
                    "text",
                    UserRecipient(caller.user_id),
                    params={
                        "key": key,
                        "plan": saved.name,
                        "plan_key": saved.key,
                        "next": next_run,
                    },
                )
            )
            await uow.commit()
        await ack()

    @app.action(views.START)
    async def start_clicked(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        caller = await caller_for(container, body["user"]["id"])
        await open_checklist(caller, body["actions"][0]["value"], body["trigger_id"])

    @app.view(views.CHECKLIST_MODAL)
    async def checklist_submitted(ack: Any, body: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        view = body["view"]
        number = json.loads(view.get("private_metadata") or "{}").get("run")
        async with caller.uow() as uow:
            run = await run_cases.get_run(uow, str(number))
            outcomes = views.checklist_outcomes(view["state"]["values"], len(run.checklist))
            await run_cases.complete_run(uow, caller.actor, run.key, outcomes)
            await uow.commit()
        await ack()

    @app.action(views.OPEN_INCIDENT)
    async def open_incident_clicked(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        caller = await caller_for(container, body["user"]["id"])
        number, _, index = body["actions"][0]["value"].partition(":")
        async with caller.reader() as uow:
            run = await run_cases.get_run(uow, number)
            item = int(index)
            if not 0 <= item < len(run.results) or run.results[item].passed:
                raise Conflict("errors.inspection.item_not_failed")
            if run.results[item].incident_key:
                raise Conflict(
                    "errors.inspection.incident_exists", incident=run.results[item].incident_key
                )
            plan = await uow.inspections.get_plan(run.plan_id)
            platform = await uow.org.get_platform(run.platform_id)
        view = views.incident_modal(
            caller.t, run, item, plan.name if plan else run.key, platform.key if platform else "?"
        )
        await container.slack.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(views.INCIDENT_MODAL)
    async def incident_submitted(ack: Any, body: dict[str, Any]) -> None:
        from domain.incidents.models import IncidentSource
        from domain.incidents.services import declare_incident

        caller = await caller_for(container, body["user"]["id"])
        view = body["view"]
        meta = json.loads(view.get("private_metadata") or "{}")
        values = view["state"]["values"]
        async with caller.uow() as uow:
            run = await run_cases.get_run(uow, str(meta.get("run")))
            platform = await uow.org.get_platform(run.platform_id)
            item = int(meta.get("item", -1))
            declared = await declare_incident(
                uow,
                caller.actor,
                title=_value(values, "title").get("value") or "",
                platform=platform.key if platform else "",
                severity=(_value(values, "severity").get("selected_option") or {}).get("value")
                or views.DEFAULT_SEVERITY,
                description=_value(values, "description").get("value") or "",
                source=IncidentSource.INSPECTION,
                # A second submit (double click, retry) finds the open incident instead.
                dedup_key=f"inspection:{run.key}:{item}",
            )
            await run_cases.link_incident(uow, caller.actor, run, item, declared.incident.key)
            await uow.commit()
        await ack()
