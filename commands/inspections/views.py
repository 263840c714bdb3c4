"""Block Kit of inspections: the plan modal, the checklist modal, reminder and result messages.

Pure functions: translator + domain objects → Block Kit dicts. Block ids of modal inputs equal
the use case's field names so validation errors land next to the right input.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.i18n import Translator
from commands import blocks as bk
from domain.inspections.models import (
    ASSIGNABLE_ROLES,
    MAX_CHECKLIST_ITEMS,
    MAX_NAME_LENGTH,
    MAX_NOTE_LENGTH,
    InspectionPlan,
    InspectionRun,
    RunState,
)
from domain.org.models import Platform

PLAN_MODAL = "inspect.plan"
CHECKLIST_MODAL = "inspect.checklist"
START = "inspect.start"
OPEN_INCIDENT = "inspect.open_incident"
GRACE_CHOICES = (15, 30, 60, 120, 240, 480, 1440)  # minutes
PASS, FAIL = "pass", "fail"


def _grace_label(t: Translator, minutes: int) -> str:
    if minutes % 60:
        return t("inspect.grace.minutes", n=minutes)
    return t("inspect.grace.hours", n=minutes // 60)


def plan_modal(
    t: Translator,
    platforms: list[Platform],
    timezone: str,
    plan: InspectionPlan | None = None,
    platform_key: str | None = None,
) -> dict[str, Any]:
    """New plan, or edit `plan` (its id travels in private_metadata)."""
    grace = int(plan.grace.total_seconds() // 60) if plan else 60
    grace_options = [bk.option(_grace_label(t, m), str(m)) for m in GRACE_CHOICES]
    if str(grace) not in {o["value"] for o in grace_options}:
        grace_options.append(bk.option(_grace_label(t, grace), str(grace)))
    platform_options = [bk.option(f"{p.name} ({p.key})", p.key) for p in platforms]
    role_options = [bk.option(t(f"inspect.role.{r.value}"), r.value) for r in ASSIGNABLE_ROLES]
    assignee = {"type": "users_select", "action_id": "value"}
    channel: dict[str, Any] = {
        "type": "conversations_select",
        "action_id": "value",
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if plan and plan.assignee_id:
        assignee["initial_user"] = plan.assignee_id
    if plan:
        channel["initial_conversation"] = plan.channel_id
    blocks = [
        bk.input_block(
            "name",
            t("inspect.modal.name"),
            bk.text_input("value", initial=plan.name if plan else None, max_length=MAX_NAME_LENGTH),
        ),
        bk.input_block(
            "platform",
            t("inspect.modal.platform"),
            bk.static_select(
                "value",
                platform_options,
                placeholder=t("inspect.modal.platform_placeholder"),
                initial=platform_key,
            ),
        ),
        bk.input_block(
            "checklist",
            t("inspect.modal.checklist"),
            bk.text_input(
                "value",
                multiline=True,
                initial="\n".join(plan.checklist) if plan else None,
                max_length=3000,
            ),
            hint=t("inspect.modal.checklist_hint", max=MAX_CHECKLIST_ITEMS),
        ),
        bk.input_block(
            "cron",
            t("inspect.modal.schedule"),
            bk.text_input("value", initial=plan.cron if plan else "weekdays 09:00", max_length=120),
            hint=t("inspect.modal.schedule_hint"),
        ),
        bk.input_block(
            "timezone",
            t("inspect.modal.timezone"),
            bk.text_input("value", initial=plan.timezone if plan else timezone, max_length=64),
            hint=t("inspect.modal.timezone_hint"),
        ),
        bk.input_block("assignee", t("inspect.modal.assignee"), assignee, optional=True),
        bk.input_block(
            "role",
            t("inspect.modal.role"),
            bk.static_select(
                "value",
                role_options,
                initial=plan.assignee_role.value if plan and plan.assignee_role else None,
            ),
            optional=True,
            hint=t("inspect.modal.role_hint"),
        ),
        bk.input_block(
            "channel",
            t("inspect.modal.channel"),
            channel,
            optional=True,
            hint=t("inspect.modal.channel_hint"),
        ),
        bk.input_block(
            "grace",
            t("inspect.modal.grace"),
            bk.static_select("value", grace_options, initial=str(grace)),
            hint=t("inspect.modal.grace_hint"),
        ),
    ]
    return bk.modal(
        PLAN_MODAL,
        t("inspect.modal.title_edit" if plan else "inspect.modal.title_new"),
        blocks,
        submit=t("inspect.modal.save"),
        close=t("inspect.modal.cancel"),
        private_metadata=json.dumps({"plan_id": plan.id if plan else None}),
    )


def checklist_modal(t: Translator, run: InspectionRun, plan_name: str) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        bk.section(t("inspect.checklist.intro", run=run.key, plan=plan_name)),
    ]
    choices = [
        bk.option(t("inspect.checklist.pass"), PASS),
        bk.option(t("inspect.checklist.fail"), FAIL),
    ]
    for index, item in enumerate(run.checklist):
        blocks.append(
            bk.input_block(
                f"item_{index}",
                f"{index + 1}. {item}",
                {"type": "radio_buttons", "action_id": "value", "options": choices},
            )
        )
        blocks.append(
            bk.input_block(
                f"note_{index}",
                t("inspect.checklist.note"),
                bk.text_input("value", max_length=MAX_NOTE_LENGTH),
                optional=True,
            )
        )
    return bk.modal(
        CHECKLIST_MODAL,
        t("inspect.checklist.title", run=run.key),
        blocks,
        submit=t("inspect.checklist.submit"),
        close=t("inspect.modal.cancel"),
        private_metadata=json.dumps({"run": run.number}),
    )


def checklist_outcomes(values: dict[str, Any], items: int) -> list[tuple[bool | None, str]]:
    """The modal's state → (passed, note) per item, in checklist order."""
    outcomes: list[tuple[bool | None, str]] = []
    for index in range(items):
        choice = (values.get(f"item_{index}", {}).get("value") or {}).get("selected_option")
        note = values.get(f"note_{index}", {}).get("value", {}).get("value") or ""
        passed = None if not choice else choice["value"] == PASS
        outcomes.append((passed, note))
    return outcomes


def _who(t: Translator, run: InspectionRun) -> str:
    if run.assignee_id:
        return bk.user(run.assignee_id)
    if run.assignee_role:
        return t("inspect.assigned_role", role=t(f"inspect.role.{run.assignee_role.value}"))
    return "—"


def reminder_blocks(
    t: Translator, run: InspectionRun, plan_name: str, platform: str
) -> tuple[str, list[dict[str, Any]]]:
    """The reminder posted when a run opens; updated in place as the run moves on."""
    title = t("inspect.reminder.title", run=run.key, plan=plan_name)
    fields = [
        t("inspect.field.platform", platform=platform),
        t("inspect.field.assignee", who=_who(t, run)),
        t("inspect.field.scheduled", at=bk.slack_date(run.scheduled_for)),
        t("inspect.field.due", at=bk.slack_date(run.due_at)),
    ]
    blocks: list[dict[str, Any]] = [bk.header(title), bk.fields_section(fields)]
    notes = []
    if run.late:
        notes.append(t("inspect.reminder.late"))
    if run.missed and run.state is RunState.OPEN:
        notes.append(t("inspect.reminder.overdue"))
    if notes:
        blocks.append(bk.context(*notes))
    if run.state is RunState.COMPLETED:
        failed = len(run.failed_items)
        key = "inspect.reminder.done_failed" if failed else "inspect.reminder.done_ok"
        blocks.append(
            bk.section(
                t(
                    key,
                    who=bk.user(run.completed_by),
                    at=bk.slack_date(run.completed_at or run.due_at),
                    failed=failed,
                    total=len(run.results),
                )
            )
        )
        text = t(key, who=bk.user(run.completed_by), at="", failed=failed, total=len(run.results))
        return f"{title} — {text}", blocks
    blocks.append(
        bk.actions(
            bk.button(t("inspect.reminder.start"), START, str(run.number), style="primary"),
            block_id=f"run_{run.number}",
        )
    )
    return title, blocks


def result_blocks(
    t: Translator, run: InspectionRun, plan_name: str, platform: str
) -> tuple[str, list[dict[str, Any]]]:
    failed = run.failed_items
    title = t(
        "inspect.result.title_failed" if failed else "inspect.result.title_ok",
        run=run.key,
        plan=plan_name,
        failed=len(failed),
        total=len(run.results),
    )
    blocks: list[dict[str, Any]] = [
        bk.section(f"*{title}*"),
        bk.context(
            t("inspect.field.platform", platform=platform),
            t(
                "inspect.result.by",
                who=bk.user(run.completed_by),
                at=bk.slack_date(run.completed_at or run.due_at),
            ),
        ),
    ]
    for index, result in enumerate(run.results):
        mark = "✅" if result.passed else "❌"
        text = f"{mark} {result.item}" + (f"\n_{result.note}_" if result.note else "")
        accessory = None
        if not result.passed and result.incident_key:
            text += "\n" + t("inspect.result.incident", incident=result.incident_key)
        elif not result.passed:
            accessory = bk.button(
                t("inspect.result.open_incident"),
                OPEN_INCIDENT,
                f"{run.number}:{index}",
                style="danger",
            )
        blocks.append(bk.section(text, accessory=accessory, block_id=f"item_{index}"))
    return title, blocks[:50]


def runs_text(
    t: Translator, runs: list[InspectionRun], plan_names: dict[int, str], empty_key: str
) -> str:
    if not runs:
        return t(empty_key)
    lines = []
    for run in runs:
        if run.state is RunState.COMPLETED:
            state = (
                t("inspect.state.failed", failed=len(run.failed_items))
                if run.failed_items
                else t("inspect.state.passed")
            )
        else:
            state = t("inspect.state.overdue") if run.missed else t("inspect.state.open")
        lines.append(
            t(
                "inspect.run.line",
                run=run.key,
                plan=plan_names.get(run.plan_id, "?"),
                at=bk.slack_date(run.scheduled_for),
                due=bk.slack_date(run.due_at),
                state=state,
            )
            + (" " + t("inspect.state.late") if run.late else "")
        )
    return "\n".join(lines)


def plans_text(t: Translator, plans: list[InspectionPlan], platforms: dict[int, str]) -> str:
    if not plans:
        return t("inspect.plans.empty")
    lines = [t("inspect.plans.title", count=len(plans))]
    for plan in plans:
        next_run = (
            bk.slack_date(plan.next_due_at) if plan.next_due_at else t("inspect.plans.paused")
        )
        who = (
            bk.user(plan.assignee_id)
            if plan.assignee_id
            else t(
                "inspect.assigned_role",
                role=t(f"inspect.role.{plan.assignee_role.value}") if plan.assignee_role else "—",
            )
        )
        lines.append(
            t(
                "inspect.plans.line",
                key=plan.key,
                name=plan.name,
                platform=platforms.get(plan.platform_id, "?"),
                cron=plan.cron,
                timezone=plan.timezone,
                who=who,
                channel=bk.channel(plan.channel_id),
                next=next_run,
                items=len(plan.checklist),
            )
        )
    return "\n".join(lines)


def due_label(t: Translator, run: InspectionRun, now: datetime) -> str:
    return t("inspect.state.overdue") if run.due_at <= now else t("inspect.state.open")


INCIDENT_MODAL = "inspect.incident"
SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
DEFAULT_SEVERITY = "SEV3"


def incident_modal(
    t: Translator, run: InspectionRun, index: int, plan_name: str, platform: str
) -> dict[str, Any]:
    """ "Open incident" for a failed item: prefilled with the plan, platform and item."""
    result = run.results[index]
    title = t("inspect.incident.default_title", plan=plan_name, item=result.item)[:150]
    description = t(
        "inspect.incident.default_description",
        run=run.key,
        plan=plan_name,
        platform=platform,
        item=result.item,
        note=result.note or "—",
    )
    blocks = [
        bk.section(t("inspect.incident.intro", run=run.key, platform=platform)),
        bk.input_block(
            "title",
            t("inspect.incident.title_label"),
            bk.text_input("value", initial=title, max_length=150),
        ),
        bk.input_block(
            "severity",
            t("inspect.incident.severity"),
            bk.static_select(
                "value", [bk.option(s, s) for s in SEVERITIES], initial=DEFAULT_SEVERITY
            ),
        ),
        bk.input_block(
            "description",
            t("inspect.incident.description"),
            bk.text_input("value", multiline=True, initial=description, max_length=3000),
            optional=True,
        ),
    ]
    return bk.modal(
        INCIDENT_MODAL,
        t("inspect.incident.modal_title"),
        blocks,
        submit=t("inspect.incident.submit"),
        close=t("inspect.modal.cancel"),
        private_metadata=json.dumps({"run": run.number, "item": index}),
    )
