"""Block Kit for requirements: the department card, the approval DM, lists (pure functions)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.i18n import Translator
from commands import blocks as bk
from domain.org.models import Department, Platform
from domain.requirements.models import ENGINEERING_MOVES, Decision, Requirement, Stage
from domain.requirements.ports import HistoryEntry

APPROVE = "req.approve"
REJECT = "req.reject"
CHANGES = "req.changes"
RESUBMIT = "req.resubmit"
MOVE = "req.move"
RECORD_TEST = "req.test"
WITHDRAW = "req.withdraw"
LIST_PAGE = "req.list.page"

HISTORY_LINES = 8
STAGE_EMOJI = {
    Stage.APPROVAL: ":hourglass_flowing_sand:",
    Stage.CHANGES_REQUESTED: ":pencil2:",
    Stage.DESIGN: ":triangular_ruler:",
    Stage.DEVELOPMENT: ":hammer_and_wrench:",
    Stage.TESTING: ":test_tube:",
    Stage.LIVE: ":rocket:",
    Stage.REJECTED: ":no_entry:",
    Stage.WITHDRAWN: ":leftwards_arrow_with_hook:",
}
DECISION_EMOJI = {
    Decision.APPROVE: ":white_check_mark:",
    Decision.REJECT: ":x:",
    Decision.CHANGES: ":pencil2:",
}


@dataclass(frozen=True)
class CardData:
    requirement: Requirement
    department: Department
    platform: Platform | None
    history: list[HistoryEntry]


def stage_label(t: Translator, stage: Stage) -> str:
    return f"{STAGE_EMOJI[stage]} {t(f'req.stage.{stage.value}')}"


def vote_value(requirement: Requirement, seat: str) -> str:
    return f"{requirement.id}:{requirement.round}:{seat}"


def parse_vote_value(value: str) -> tuple[int, int, str]:
    requirement_id, round_, seat = value.split(":", 2)
    return int(requirement_id), int(round_), seat


def move_value(requirement: Requirement, target: Stage) -> str:
    return f"{requirement.id}:{requirement.stage.value}:{target.value}"


def summary_fields(t: Translator, data: CardData) -> list[str]:
    r = data.requirement
    fields = [
        f"*{t('req.field.department')}*\n{data.department.name}",
        f"*{t('req.field.platform')}*\n{data.platform.name if data.platform else '—'}",
        f"*{t('req.field.submitter')}*\n{bk.user(r.submitter_id)}",
        f"*{t('req.field.priority')}*\n{t(f'req.priority.{r.priority.value}')}",
        f"*{t('req.field.stage')}*\n{stage_label(t, r.stage)}",
        f"*{t('req.field.wanted_by')}*\n{r.wanted_by.isoformat() if r.wanted_by else '—'}",
    ]
    if r.owner_id:
        fields.append(f"*{t('req.field.owner')}*\n{bk.user(r.owner_id)}")
    return fields


def progress_text(t: Translator, r: Requirement) -> str:
    """Approval progress of the current round: who approved, who is still awaited."""
    parts = []
    for seat in r.seats:
        vote = r.vote_of(seat)
        if vote is None:
            mark = ":hourglass:" if r.stage is Stage.APPROVAL else ":heavy_minus_sign:"
            parts.append(f"{mark} {bk.user(seat)}")
            continue
        who = bk.user(seat)
        if vote.on_behalf:
            who = t("req.card.on_behalf", delegate=bk.user(vote.cast_by), approver=bk.user(seat))
        parts.append(f"{DECISION_EMOJI[vote.decision]} {who}")
    head = t("req.card.progress", round=r.round, approvals=r.approvals, quorum=r.quorum)
    return f"{head}  " + "  ".join(parts)


def history_line(t: Translator, entry: HistoryEntry) -> str:
    data = entry.data
    key = "req.history." + entry.type.removeprefix("requirement.")
    if entry.type == "requirement.vote_cast" and not data.get("reason"):
        key = "req.history.vote_cast_plain"  # an approval usually gives no reason
    text = t(
        key,
        actor=bk.user(entry.actor_id)
        if not entry.actor_id.startswith(("system:", "integration:"))
        else entry.actor_id,
        **{k: _history_param(t, k, v) for k, v in data.items() if not isinstance(v, dict | list)},
    )
    if text == key:
        text = f"{entry.type} {bk.user(entry.actor_id)}"
    return f"{bk.slack_date(entry.at)} · {text}"


def _history_param(t: Translator, name: str, value: Any) -> str:
    if value is None:
        return "—"
    if name in ("from", "to") and value in Stage._value2member_map_:
        return t(f"req.stage.{value}")
    if name in ("decision",) and value in Decision._value2member_map_:
        return t(f"req.decision.{value}")
    if name in ("approver", "on_behalf_of", "owner", "previous_owner", "delegate", "decided_by"):
        return bk.user(str(value))
    if name == "note" and value == "test_failed":
        return t("req.history.test_failed_note")
    return str(value)


def card_blocks(
    t: Translator, data: CardData, *, with_actions: bool = True
) -> list[dict[str, Any]]:
    r = data.requirement
    blocks: list[dict[str, Any]] = [
        bk.header(f"{r.key} · {r.title}"),
        bk.fields_section(summary_fields(t, data)),
        bk.section(f"*{t('req.field.description')}*\n{r.description}"),
        bk.section(f"*{t('req.field.justification')}*\n{r.justification}"),
        bk.context(progress_text(t, r)),
    ]
    test = r.tests[-1] if r.tests else None
    if test is not None:
        result = t("req.test.passed" if test.passed else "req.test.failed")
        blocks.append(
            bk.context(
                t(
                    "req.card.last_test",
                    result=result,
                    evidence=test.evidence,
                    at=bk.slack_date(test.recorded_at),
                    by=bk.user(test.recorded_by),
                )
            )
        )
    if data.history:
        lines = [history_line(t, e) for e in data.history[-HISTORY_LINES:]]
        blocks.append(bk.context(t("req.card.history") + "\n" + "\n".join(lines)))
    buttons = card_buttons(t, r) if with_actions else []
    if buttons:
        blocks.append(bk.actions(*buttons, block_id=f"req_card_{r.id}"))
    return blocks


def card_buttons(t: Translator, r: Requirement) -> list[dict[str, Any]]:
    buttons = []
    for target in ENGINEERING_MOVES.get(r.stage, ()):
        if target is Stage.LIVE and r.passing_test() is None:
            continue
        buttons.append(
            bk.button(
                t(f"req.button.to.{target.value}"),
                f"{MOVE}.{target.value}",
                move_value(r, target),
                style="primary" if target is Stage.LIVE else None,
            )
        )
    if r.stage is Stage.TESTING:
        buttons.append(bk.button(t("req.button.record_test"), RECORD_TEST, str(r.id)))
    if not r.is_closed:
        confirm = {
            "title": bk.plain(t("req.withdraw.confirm_title"), 100),
            "text": bk.plain(t("req.withdraw.confirm_text", key=r.key), 300),
            "confirm": bk.plain(t("req.button.withdraw"), 30),
            "deny": bk.plain(t("req.button.cancel"), 30),
        }
        buttons.append(
            bk.button(
                t("req.button.withdraw"), WITHDRAW, str(r.id), style="danger", confirm=confirm
            )
        )
    return buttons


def approval_dm_blocks(
    t: Translator, data: CardData, seat: str, recipient: str, round_: int
) -> list[dict[str, Any]]:
    """The approver's DM: what to decide, and the buttons while their vote is still open."""
    r = data.requirement
    intro = (
        t("req.dm.intro", key=r.key, submitter=bk.user(r.submitter_id))
        if seat == recipient
        else t(
            "req.dm.intro_delegate",
            key=r.key,
            submitter=bk.user(r.submitter_id),
            approver=bk.user(seat),
        )
    )
    blocks = [bk.section(intro), *card_blocks(t, data, with_actions=False)]
    vote = next((v for v in r.round_votes(round_) if v.approver_id == seat), None)
    if r.stage is Stage.APPROVAL and r.round == round_ and vote is None:
        value = vote_value(r, seat)
        blocks.append(
            bk.actions(
                bk.button(t("req.button.approve"), APPROVE, value, style="primary"),
                bk.button(t("req.button.reject"), REJECT, value, style="danger"),
                bk.button(t("req.button.changes"), CHANGES, value),
                block_id=f"req_vote_{r.id}_{round_}_{seat}",
            )
        )
    elif vote is not None:
        who = bk.user(vote.cast_by)
        blocks.append(
            bk.context(
                t(
                    "req.dm.voted",
                    decision=t(f"req.decision.{vote.decision.value}"),
                    who=who,
                    at=bk.slack_date(vote.cast_at),
                )
            )
        )
    if r.round != round_ or r.stage is not Stage.APPROVAL:
        blocks.append(bk.context(t("req.dm.closed", stage=stage_label(t, r.stage))))
    return blocks


def list_blocks(
    t: Translator, items: list[Requirement], title: str, next_value: str | None
) -> list[dict[str, Any]]:
    if not items:
        return [bk.section(t("req.list.empty"))]
    blocks: list[dict[str, Any]] = [bk.section(f"*{title}*")]
    for r in items:
        line = t(
            "req.list.line",
            key=r.key,
            title=r.title,
            stage=stage_label(t, r.stage),
            priority=t(f"req.priority.{r.priority.value}"),
            submitter=bk.user(r.submitter_id),
        )
        blocks.append(bk.section(line))
    if next_value:
        blocks.append(bk.actions(bk.button(t("req.list.next"), LIST_PAGE, next_value)))
    return blocks


def page_value(scope: str, department: str | None, stage: str | None, cursor: int) -> str:
    return json.dumps({"s": scope, "d": department, "g": stage, "c": cursor}, separators=(",", ":"))
