"""Modals of requirements: submit/edit, the reason for a reject or change request, a test result.

Input block ids equal the domain's field names, so a `ValidationFailed` lands on its input.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.i18n import Translator
from commands import blocks as bk
from domain.org.models import Department, Platform
from domain.requirements.drafts import RequirementDraft
from domain.requirements.models import Decision, Priority, Requirement

SUBMIT_VIEW = "req.submit"
RESUBMIT_VIEW = "req.resubmit_view"
REASON_VIEW = "req.reason"
TEST_VIEW = "req.test_view"


def requirement_modal(
    t: Translator,
    departments: list[Department],
    platforms: list[Platform],
    *,
    editing: Requirement | None = None,
) -> dict[str, Any]:
    """Blank for `/req new`; prefilled for "Edit and resubmit"."""
    r = editing
    department_key = next((d.key for d in departments if r and d.id == r.department_id), None)
    platform_key = next((p.key for p in platforms if r and p.id == r.platform_id), None)
    blocks = [
        bk.input_block(
            "title", t("req.field.title"), bk.text_input("title", initial=r.title if r else None)
        ),
        bk.input_block(
            "department",
            t("req.field.department"),
            bk.static_select(
                "department",
                [bk.option(d.name, d.key) for d in departments],
                placeholder=t("req.modal.pick_department"),
                initial=department_key or (departments[0].key if len(departments) == 1 else None),
            ),
        ),
    ]
    if platforms:
        blocks.append(
            bk.input_block(
                "platform",
                t("req.field.platform"),
                bk.static_select(
                    "platform",
                    [bk.option(p.name, p.key) for p in platforms],
                    placeholder=t("req.modal.pick_platform"),
                    initial=platform_key,
                ),
                optional=True,
                hint=t("req.modal.platform_hint"),
            )
        )
    blocks += [
        bk.input_block(
            "description",
            t("req.field.description"),
            bk.text_input("description", multiline=True, initial=r.description if r else None),
        ),
        bk.input_block(
            "justification",
            t("req.field.justification"),
            bk.text_input("justification", multiline=True, initial=r.justification if r else None),
            hint=t("req.modal.justification_hint"),
        ),
        bk.input_block(
            "priority",
            t("req.field.priority"),
            bk.static_select(
                "priority",
                [bk.option(t(f"req.priority.{p.value}"), p.value) for p in Priority],
                initial=r.priority.value if r else Priority.MEDIUM.value,
            ),
        ),
        bk.input_block(
            "wanted_by", t("req.field.wanted_by"), _datepicker(r.wanted_by if r else None, t)
        ),
    ]
    if r is not None:
        return bk.modal(
            RESUBMIT_VIEW,
            t("req.modal.resubmit_title", key=r.key),
            blocks,
            submit=t("req.modal.resubmit"),
            close=t("req.button.cancel"),
            private_metadata=str(r.id),
        )
    return bk.modal(
        SUBMIT_VIEW,
        t("req.modal.title"),
        blocks,
        submit=t("req.modal.submit"),
        close=t("req.button.cancel"),
    )


def _datepicker(initial: date | None, t: Translator) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "datepicker",
        "action_id": "wanted_by",
        "placeholder": bk.plain(t("req.modal.pick_date")),
    }
    if initial:
        element["initial_date"] = initial.isoformat()
    return element


def draft_from_state(values: dict[str, Any]) -> RequirementDraft:
    """The modal's `view.state.values` → what the use case checks."""

    def value(block: str) -> Any:
        return (values.get(block) or {}).get(block) or {}

    def option(block: str) -> str | None:
        chosen = value(block).get("selected_option")
        return chosen.get("value") if chosen else None

    picked = value("wanted_by").get("selected_date")
    return RequirementDraft(
        title=value("title").get("value") or "",
        department=option("department") or "",
        description=value("description").get("value") or "",
        justification=value("justification").get("value") or "",
        priority=option("priority") or "",
        wanted_by=date.fromisoformat(picked) if picked else None,
        platform=option("platform"),
    )


def reason_modal(
    t: Translator, requirement: Requirement, decision: Decision, seat: str
) -> dict[str, Any]:
    metadata = json.dumps(
        {"id": requirement.id, "round": requirement.round, "seat": seat, "decision": decision.value}
    )
    title_key = (
        "req.modal.reject_title" if decision is Decision.REJECT else "req.modal.changes_title"
    )
    return bk.modal(
        REASON_VIEW,
        t(title_key),
        [
            bk.section(t("req.modal.reason_intro", key=requirement.key, title=requirement.title)),
            bk.input_block(
                "reason", t("req.field.reason"), bk.text_input("reason", multiline=True)
            ),
        ],
        submit=t("req.button.reject" if decision is Decision.REJECT else "req.button.changes"),
        close=t("req.button.cancel"),
        private_metadata=metadata,
    )


def test_modal(t: Translator, requirement: Requirement) -> dict[str, Any]:
    options = [bk.option(t("req.test.passed"), "pass"), bk.option(t("req.test.failed"), "fail")]
    result = {"type": "radio_buttons", "action_id": "result", "options": options}
    return bk.modal(
        TEST_VIEW,
        t("req.modal.test_title"),
        [
            bk.section(t("req.modal.test_intro", key=requirement.key, title=requirement.title)),
            bk.input_block("result", t("req.field.test_result"), result),
            bk.input_block(
                "evidence",
                t("req.field.evidence"),
                bk.text_input("evidence", multiline=True),
                hint=t("req.modal.evidence_hint"),
            ),
        ],
        submit=t("req.modal.record"),
        close=t("req.button.cancel"),
        private_metadata=str(requirement.id),
    )
