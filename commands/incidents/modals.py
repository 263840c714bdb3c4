"""Modals of incidents: declare, resolve (summary), post-incident review (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.i18n import Translator
from commands import blocks as bk
from domain.incidents.models import DESCRIPTION_MAX, SUMMARY_MAX, TITLE_MAX, Incident, Severity
from domain.org.models import Platform

Block = dict[str, Any]

DECLARE_MODAL = "inc.declare"
RESOLVE_MODAL = "inc.resolve_modal"
REVIEW_MODAL = "inc.review_modal"
DECLARED_VIEW = "inc.declared"


@dataclass(frozen=True)
class Draft:
    """What the declare modal starts with (e.g. from a failed inspection item)."""

    title: str = ""
    platform: str | None = None
    severity: str = Severity.SEV3.value
    description: str = ""
    source: str = "slack"


def declare_modal(t: Translator, platforms: list[Platform], draft: Draft) -> Block:
    platform_options = [bk.option(f"{p.name} ({p.key})", p.key) for p in platforms]
    severity_options = [bk.option(t(f"inc.severity.{s.value}"), s.value) for s in Severity]
    blocks = [
        bk.input_block(
            "title",
            t("inc.modal.title"),
            bk.text_input("value", initial=draft.title[:TITLE_MAX], max_length=TITLE_MAX),
        ),
        bk.input_block(
            "platform",
            t("inc.modal.platform"),
            bk.static_select(
                "value",
                platform_options,
                placeholder=t("inc.modal.platform_placeholder"),
                initial=draft.platform,
            ),
        ),
        bk.input_block(
            "severity",
            t("inc.modal.severity"),
            bk.static_select("value", severity_options, initial=draft.severity),
            hint=t("inc.modal.severity_hint"),
        ),
        bk.input_block(
            "description",
            t("inc.modal.description"),
            bk.text_input(
                "value",
                multiline=True,
                initial=draft.description[:DESCRIPTION_MAX],
                max_length=DESCRIPTION_MAX,
            ),
            optional=True,
        ),
    ]
    return bk.modal(
        DECLARE_MODAL,
        t("inc.modal.declare_title"),
        blocks,
        submit=t("inc.modal.declare_submit"),
        close=t("inc.modal.cancel"),
        private_metadata=draft.source,
    )


def declared_view(t: Translator, incident: Incident, platform: Platform) -> Block:
    text = t(
        "inc.modal.declared",
        key=incident.key,
        channel=bk.channel(platform.ops_channel_id),
    )
    return bk.modal(
        DECLARED_VIEW, t("inc.modal.declare_title"), [bk.section(text)], close=t("inc.modal.done")
    )


def resolve_modal(t: Translator, incident: Incident) -> Block:
    return bk.modal(
        RESOLVE_MODAL,
        t("inc.modal.resolve_title"),
        [
            bk.section(t("inc.modal.resolve_intro", key=incident.key, title=incident.title)),
            bk.input_block(
                "summary",
                t("inc.modal.summary"),
                bk.text_input("value", multiline=True, max_length=SUMMARY_MAX),
                hint=t("inc.modal.summary_hint"),
            ),
        ],
        submit=t("inc.modal.resolve_submit"),
        close=t("inc.modal.cancel"),
        private_metadata=incident.key,
    )


def review_modal(t: Translator, incident: Incident) -> Block:
    return bk.modal(
        REVIEW_MODAL,
        t("inc.modal.review_title"),
        [
            bk.section(t("inc.modal.review_intro", key=incident.key, title=incident.title)),
            bk.input_block(
                "summary",
                t("inc.modal.review_summary"),
                bk.text_input("value", multiline=True, max_length=DESCRIPTION_MAX),
            ),
            bk.input_block(
                "root_cause",
                t("inc.modal.root_cause"),
                bk.text_input("value", multiline=True, max_length=DESCRIPTION_MAX),
            ),
            bk.input_block(
                "actions",
                t("inc.modal.actions"),
                bk.text_input("value", multiline=True, max_length=DESCRIPTION_MAX),
                optional=True,
                hint=t("inc.modal.actions_hint"),
            ),
        ],
        submit=t("inc.modal.review_submit"),
        close=t("inc.modal.cancel"),
        private_metadata=incident.key,
    )


def submitted(view: dict[str, Any], block_id: str) -> str:
    """The value the person entered or picked in input `block_id` (empty when nothing)."""
    state = (view.get("state") or {}).get("values", {}).get(block_id, {}).get("value") or {}
    if state.get("type") == "static_select":
        return str((state.get("selected_option") or {}).get("value") or "")
    return str(state.get("value") or "")
