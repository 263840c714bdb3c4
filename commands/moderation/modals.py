"""The warn and ban modals, and reading their submitted state.

Input block ids equal the domain's field names, so a `ValidationFailed` lands on its input. The
notice text's action id carries the rule it was prefilled for: picking another rule replaces the
view, and a new action id makes Slack show the new template instead of keeping the old text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from bot.i18n import Translator
from commands import blocks as bk
from domain.moderation.catalogue import ModerationPolicy, Rule, in_language
from domain.moderation.models import ModerationCase, parse_content_ids
from domain.moderation.services import CaseDraft

WARN_VIEW = "mod.warn"
BAN_VIEW = "mod.ban"
REVOKE_VIEW = "mod.revoke_reason"
RULE_PICKED = "mod_rule_picked"  # no dots: a modal state key is "block_id.action_id"
NOTICE_ACTION = "notice_text"
_CONTENT = re.compile(r"\s*\{content\}")


@dataclass(frozen=True)
class ModalContext:
    """What travels in private_metadata: whom the case is about, and the report it answers."""

    ref: str
    item_id: int | None = None
    content_id: str = ""

    def dump(self) -> str:
        return json.dumps({"ref": self.ref, "item": self.item_id, "content": self.content_id})

    @classmethod
    def load(cls, raw: str) -> ModalContext:
        data = json.loads(raw or "{}")
        return cls(str(data.get("ref", "")), data.get("item"), str(data.get("content") or ""))


def rule_title(t: Translator, rule: Rule) -> str:
    title = in_language(rule.title, t.language)
    return t(title) if t.has(title) else title


def notice_template(t: Translator, rule: Rule, kind: str, /, **params: object) -> str:
    """The preset notice for a rule, filled in: built-in rules name an i18n key, configured ones
    carry their text per language (in the moderator's language; they may edit it)."""
    template = in_language(rule.warn_notice if kind == "warning" else rule.ban_notice, t.language)
    if t.has(template):
        return t(template, **params)
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def _rule_select(t: Translator, policy: ModerationPolicy, rule: Rule) -> dict[str, Any]:
    options = [bk.option(rule_title(t, r), r.code) for r in policy.rules]
    select = bk.static_select(RULE_PICKED, options, initial=rule.code)
    block = bk.input_block("rule", t("mod.field.rule"), select)
    block["dispatch_action"] = True
    return block


def _notice_block(t: Translator, rule: Rule, kind: str, ctx: ModalContext) -> dict[str, Any]:
    text = notice_template(
        t,
        rule,
        kind,
        user=ctx.ref,
        platform=ctx.ref.partition(":")[0],
        rule=rule_title(t, rule),
        # Left open when unknown: filled from the form's own fields on submit (`completed`).
        content=ctx.content_id or "{content}",
        until="{until}",
    )
    return bk.input_block(
        "notice_text",
        t("mod.field.notice_text"),
        bk.text_input(
            f"{NOTICE_ACTION}:{rule.code}", multiline=True, initial=text, max_length=3000
        ),
        hint=t("mod.field.notice_hint"),
    )


def warn_modal(
    t: Translator, policy: ModerationPolicy, rule: Rule, ctx: ModalContext
) -> dict[str, Any]:
    blocks = [
        bk.section(t("mod.modal.about", ref=ctx.ref)),
        _rule_select(t, policy, rule),
        _notice_block(t, rule, "warning", ctx),
        bk.input_block(
            "evidence",
            t("mod.field.evidence"),
            bk.text_input("evidence", multiline=True, max_length=3000),
            optional=True,
        ),
        bk.input_block(
            "content_ids",
            t("mod.field.content_ids"),
            bk.text_input("content_ids", initial=ctx.content_id or None),
            optional=True,
            hint=t("mod.field.content_ids_hint"),
        ),
        bk.input_block(
            "internal_note",
            t("mod.field.internal_note"),
            bk.text_input("internal_note", multiline=True, max_length=3000),
            optional=True,
            hint=t("mod.field.internal_note_hint"),
        ),
        bk.input_block(
            "handle", t("mod.field.handle"), bk.text_input("handle", max_length=120), optional=True
        ),
    ]
    return bk.modal(
        WARN_VIEW,
        t("mod.modal.warn_title"),
        blocks,
        submit=t("mod.modal.warn_submit"),
        close=t("mod.modal.cancel"),
        private_metadata=ctx.dump(),
    )


def ban_modal(
    t: Translator, policy: ModerationPolicy, rule: Rule, ctx: ModalContext
) -> dict[str, Any]:
    kinds = [
        bk.option(t("mod.ban.temporary"), "temporary"),
        bk.option(t("mod.ban.permanent"), "permanent"),
    ]
    ban_type = {
        "type": "radio_buttons",
        "action_id": "ban_type",
        "options": kinds,
        "initial_option": kinds[0],
    }
    pursue = {
        "type": "checkboxes",
        "action_id": "pursue",
        "options": [bk.option(t("mod.field.pursue_yes"), "yes")],
    }
    blocks = [
        bk.section(t("mod.modal.about", ref=ctx.ref)),
        _rule_select(t, policy, rule),
        bk.input_block(
            "ban_type", t("mod.field.ban_type"), ban_type, hint=t("mod.field.ban_type_hint")
        ),
        bk.input_block(
            "until",
            t("mod.field.until"),
            {"type": "datetimepicker", "action_id": "until"},
            optional=True,
            hint=t("mod.field.until_hint"),
        ),
        _notice_block(t, rule, "ban", ctx),
        bk.input_block(
            "reason",
            t("mod.field.reason"),
            bk.text_input("reason", multiline=True, max_length=3000),
            hint=t("mod.field.internal_note_hint"),
        ),
        bk.input_block(
            "content_ids",
            t("mod.field.delete_ids"),
            bk.text_input("content_ids", initial=ctx.content_id or None),
            optional=True,
            hint=t("mod.field.delete_ids_hint"),
        ),
        bk.input_block("pursue", t("mod.field.pursue"), pursue, optional=True),
        bk.input_block(
            "handle", t("mod.field.handle"), bk.text_input("handle", max_length=120), optional=True
        ),
    ]
    return bk.modal(
        BAN_VIEW,
        t("mod.modal.ban_title"),
        blocks,
        submit=t("mod.modal.ban_submit"),
        close=t("mod.modal.cancel"),
        private_metadata=ctx.dump(),
    )


def revoke_modal(t: Translator, case: ModerationCase) -> dict[str, Any]:
    """Why the case is withdrawn: kept on the case, shown on its card (required, like the API)."""
    blocks = [
        bk.section(t("mod.revoke.text")),
        bk.input_block(
            "reason",
            t("mod.field.revoke_reason"),
            bk.text_input("reason", multiline=True, max_length=3000),
            hint=t("mod.field.revoke_reason_hint"),
        ),
    ]
    return bk.modal(
        REVOKE_VIEW,
        t("mod.revoke.title", key=case.key),
        blocks,
        submit=t("mod.button.revoke"),
        close=t("mod.modal.cancel"),
        private_metadata=str(case.id),
    )


def _field(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    """The one element of an input block, whatever its action id (see NOTICE_ACTION)."""
    block = values.get(block_id) or {}
    return next(iter(block.values()), {}) if block else {}


def text_of(values: dict[str, Any], block_id: str) -> str:
    return str(_field(values, block_id).get("value") or "")


def rule_of(values: dict[str, Any]) -> str:
    option = _field(values, "rule").get("selected_option") or {}
    return str(option.get("value") or "")


@dataclass(frozen=True)
class BanChoice:
    permanent: bool
    until: datetime | None
    reason: str
    pursue: bool


def draft_from(values: dict[str, Any], ctx: ModalContext, view_id: str) -> CaseDraft:
    """The case a modal describes (content ids are checked here: the field has a fixed syntax)."""
    return CaseDraft(
        rule_code=rule_of(values),
        notice_text=text_of(values, "notice_text"),
        evidence=text_of(values, "evidence"),
        content_ids=parse_content_ids(text_of(values, "content_ids")),
        internal_note=text_of(values, "internal_note"),
        handle=text_of(values, "handle") or None,
        source_item_id=ctx.item_id,
        request_key=f"slack-view:{view_id}",
    )


def completed(t: Translator, draft: CaseDraft, ban: BanChoice | None = None) -> CaseDraft:
    """The notice with the placeholders the prefill left open filled from the same form: the
    content ids (without any, the placeholder and its space go: "your content on web"), and for a
    ban how long it lasts, as a phrase ("until 2026-05-01 10:00 UTC" / "permanently")."""
    text = draft.notice_text
    ids = ", ".join(draft.content_ids)
    text = text.replace("{content}", ids) if ids else _CONTENT.sub("", text)
    if ban is not None:
        # The platform shows this text to its user: a plain UTC time, not a Slack token.
        lasts = (
            t("mod.notice.until_time", when=ban.until.strftime("%Y-%m-%d %H:%M UTC"))
            if ban.until and not ban.permanent
            else t("mod.notice.until_forever")
        )
        text = text.replace("{until}", lasts)
    return replace(draft, notice_text=text)


def ban_choice_from(values: dict[str, Any]) -> BanChoice:
    kind = (_field(values, "ban_type").get("selected_option") or {}).get("value", "temporary")
    stamp = _field(values, "until").get("selected_date_time")
    until = datetime.fromtimestamp(int(stamp), UTC) if stamp else None
    pursue = bool(_field(values, "pursue").get("selected_options"))
    return BanChoice(kind == "permanent", until, text_of(values, "reason"), pursue)


def with_rule(
    view: dict[str, Any], t: Translator, policy: ModerationPolicy, rule: Rule
) -> dict[str, Any]:
    """The open modal again, prefilled with the newly picked rule's notice template."""
    ctx = ModalContext.load(view.get("private_metadata", ""))
    build = warn_modal if view.get("callback_id") == WARN_VIEW else ban_modal
    return build(t, policy, rule, ctx)
