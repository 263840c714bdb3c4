"""Block Kit of moderation: the case card, queue item cards, history, queue and rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.i18n import Translator
from commands import blocks as bk
from commands.moderation.modals import rule_title
from domain.moderation.catalogue import ModerationPolicy
from domain.moderation.models import (
    CaseKind,
    Confirmation,
    ItemKind,
    ModerationCase,
    PlatformUser,
    QueueItem,
)
from domain.moderation.queries import UserHistory
from domain.org.models import Platform

CONFIRM = "mod.confirm"
REVOKE = "mod.revoke"
APPLY_PROPOSAL = "mod.apply_proposal"
TAKE = "mod.item.take"
ITEM_WARN = "mod.item.warn"
ITEM_BAN = "mod.item.ban"
DISMISS = "mod.item.dismiss"
UPHOLD = "mod.item.uphold"
OVERTURN = "mod.item.overturn"


@dataclass(frozen=True)
class CaseView:
    case: ModerationCase
    platform: Platform
    user: PlatformUser
    now: datetime


def who(platform: Platform, user: PlatformUser) -> str:
    if user.erased:
        return f"`{platform.key}:{user.external_id}`"
    handle = f" ({user.handle})" if user.handle else ""
    return f"`{platform.key}:{user.external_id}`{handle}"


def _when(moment: datetime | None) -> str:
    return bk.slack_date(moment) if moment else "—"


def status_label(t: Translator, case: ModerationCase, now: datetime) -> str:
    if case.kind is CaseKind.WARNING and case.status.value == "active" and not case.is_active(now):
        return t("mod.status.expired")
    return t(f"mod.status.{case.status.value}")


def case_title(t: Translator, case: ModerationCase) -> str:
    if case.kind is CaseKind.WARNING:
        return t("mod.card.title_warning", key=case.key)
    kind = "permanent" if case.permanent else "temporary"
    return t(f"mod.card.title_ban_{kind}", key=case.key)


def case_blocks(
    t: Translator, v: CaseView, policy: ModerationPolicy, *, with_actions: bool = True
) -> list[dict[str, Any]]:
    case = v.case
    rule = policy.rule(case.rule_code)
    fields = [
        t("mod.card.user", user=who(v.platform, v.user)),
        t("mod.card.rule", rule=rule_title(t, rule) if rule else case.rule_code),
        t("mod.card.status", status=status_label(t, case, v.now)),
        t("mod.card.by", user=bk.user(case.created_by), when=_when(case.created_at)),
    ]
    if case.kind is CaseKind.WARNING:
        fields.append(t("mod.card.expires", when=_when(case.ends_at)))
    else:
        until = t("mod.card.forever") if case.permanent else _when(case.ends_at)
        fields.append(t("mod.card.until", when=until))
    if case.confirmation is not Confirmation.NOT_NEEDED:
        fields.append(
            t(f"mod.card.confirmation.{case.confirmation.value}", user=bk.user(case.confirmed_by))
        )
    if case.closed_at is not None:
        fields.append(
            t("mod.card.closed", user=bk.user(case.closed_by), when=_when(case.closed_at))
        )
    blocks: list[dict[str, Any]] = [
        bk.header(case_title(t, case)),
        bk.fields_section(fields),
    ]
    if case.notice_text:
        blocks.append(bk.section(t("mod.card.notice", text=_quote(case.notice_text))))
    details = []
    if case.content_ids:
        label = "mod.card.delete_ids" if case.delete_content else "mod.card.content_ids"
        details.append(t(label, ids=", ".join(f"`{c}`" for c in case.content_ids[:20])))
    if case.evidence:
        details.append(t("mod.card.evidence", text=case.evidence))
    if case.internal_note:
        details.append(t("mod.card.note", text=case.internal_note))
    if case.pursue_responsibility:
        details.append(t("mod.card.pursue"))
    if case.close_reason:
        details.append(t("mod.card.close_reason", text=case.close_reason))
    if details:
        blocks.append(bk.section("\n".join(details)))
    if case.proposal is not None and not case.final:
        p = case.proposal
        blocks.append(
            bk.section(
                t("mod.card.proposal", count=p.warnings, days=p.within_days)
                + " "
                + (
                    t("mod.card.propose_permanent")
                    if p.days is None
                    else t("mod.card.propose_days", days=p.days)
                )
            )
        )
    if with_actions:
        buttons = case_buttons(t, case)
        if buttons:
            blocks.append(bk.actions(*buttons, block_id=f"mod.case.{case.id}"))
    return blocks


def case_buttons(t: Translator, case: ModerationCase) -> list[dict[str, Any]]:
    if case.final:
        return []
    value = str(case.id)
    buttons = []
    if case.confirmation is Confirmation.PENDING:
        buttons.append(bk.button(t("mod.button.confirm"), CONFIRM, value, style="primary"))
    if case.proposal is not None:
        label = (
            t("mod.button.ban_permanent")
            if case.proposal.days is None
            else t("mod.button.ban_days", days=case.proposal.days)
        )
        buttons.append(bk.button(label, APPLY_PROPOSAL, value, style="danger"))
    # Revoking opens a form asking why: that form is the confirmation.
    buttons.append(bk.button(t("mod.button.revoke"), REVOKE, value))
    return buttons


def case_text(t: Translator, case: ModerationCase) -> str:
    return case_title(t, case)


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" for line in text.splitlines() or [""])


def item_blocks(
    t: Translator,
    item: QueueItem,
    platform: Platform,
    user: PlatformUser,
    case: ModerationCase | None,
    *,
    with_actions: bool = True,
) -> list[dict[str, Any]]:
    title = "mod.item.title_appeal" if item.kind is ItemKind.APPEAL else "mod.item.title_report"
    fields = [
        t("mod.card.user", user=who(platform, user)),
        t("mod.card.status", status=t(f"mod.item.status.{item.status.value}")),
        t("mod.item.received", when=_when(item.created_at)),
    ]
    if case is not None:
        fields.append(t("mod.item.case", key=case.key))
    if item.content_id:
        fields.append(t("mod.item.content", id=item.content_id))
    if item.reporter:
        fields.append(t("mod.item.reporter", ref=item.reporter))
    if item.taken_by:
        fields.append(t("mod.item.taken_by", user=bk.user(item.taken_by)))
    if item.decided_by:
        fields.append(
            t("mod.item.decided_by", user=bk.user(item.decided_by), when=_when(item.decided_at))
        )
    blocks: list[dict[str, Any]] = [bk.header(t(title, key=item.key)), bk.fields_section(fields)]
    if item.text:
        blocks.append(bk.section(_quote(item.text)))
    if with_actions and item.open:
        value = str(item.id)
        buttons = [] if item.taken_by else [bk.button(t("mod.button.take"), TAKE, value)]
        if item.kind is ItemKind.REPORT:
            buttons += [
                bk.button(t("mod.button.warn"), ITEM_WARN, value),
                bk.button(t("mod.button.ban"), ITEM_BAN, value, style="danger"),
                bk.button(t("mod.button.dismiss"), DISMISS, value),
            ]
        else:
            buttons += [
                bk.button(t("mod.button.uphold"), UPHOLD, value, style="primary"),
                bk.button(t("mod.button.overturn"), OVERTURN, value, style="danger"),
            ]
        blocks.append(bk.actions(*buttons, block_id=f"mod.item.{item.id}"))
    return blocks


def history_blocks(
    t: Translator, h: UserHistory, now: datetime, policy: ModerationPolicy
) -> list[dict[str, Any]]:
    ref = f"`{h.platform.key}:{h.ref.external_id}`"
    if h.user is None:
        return [bk.section(t("mod.history.none", ref=ref))]
    ban = h.current_ban
    if ban is None:
        ban_line = t("mod.history.not_banned")
    elif ban.status.value == "pending":
        ban_line = t("mod.history.ban_pending", key=ban.key)
    elif ban.permanent:
        ban_line = t("mod.history.banned_forever", key=ban.key)
    else:
        ban_line = t("mod.history.banned_until", key=ban.key, when=_when(ban.ends_at))
    blocks: list[dict[str, Any]] = [
        bk.header(t("mod.history.title", ref=f"{h.platform.key}:{h.ref.external_id}")),
        bk.section(ban_line + "\n" + t("mod.history.warnings", count=len(h.active_warnings))),
    ]
    lines = [
        t(
            "mod.history.line",
            key=c.key,
            title=case_title(t, c),
            rule=rule_title(t, r) if (r := policy.rule(c.rule_code)) else c.rule_code,
            status=status_label(t, c, now),
            when=_when(c.created_at),
        )
        for c in h.cases[:30]
    ]
    blocks.append(bk.section("\n".join(lines) if lines else t("mod.history.no_cases")))
    open_items = [i for i in h.items if i.open]
    if open_items:
        blocks.append(
            bk.context(t("mod.history.open_items", keys=", ".join(i.key for i in open_items)))
        )
    return blocks


def queue_summary(t: Translator, count: int) -> str:
    return t("mod.queue.title", count=count) if count else t("mod.queue.empty")


def rules_text(t: Translator, policy: ModerationPolicy) -> str:
    """The catalogue in force, the warnings' lifetime and the ladder (`/mod rules`)."""
    lines = [t("mod.rules.title")]
    for rule in policy.rules:
        lines.append(
            t(
                "mod.rules.line",
                code=rule.code,
                title=rule_title(t, rule),
                severity=t(f"mod.severity.{rule.severity.value}"),
            )
        )
    lines += ["", t("mod.rules.warning_days", days=policy.warning_ttl.days)]
    if policy.ladder:
        lines.append(t("mod.rules.ladder_title"))
    for rung in sorted(policy.ladder, key=lambda r: r.warnings):
        ban = (
            t("mod.rules.ban_permanent")
            if rung.ban_days is None
            else t("mod.rules.ban_days", days=rung.ban_days)
        )
        lines.append(
            t("mod.rules.ladder_line", count=rung.warnings, days=rung.within_days, ban=ban)
        )
    return "\n".join(lines)
