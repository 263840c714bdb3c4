"""Block Kit for incidents: the card, the pages and reminders, and the lists (pure functions)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.i18n import Translator
from commands import blocks as bk
from domain.incidents.models import Incident, IncidentStatus
from domain.incidents.oncall import OnCall
from domain.incidents.ports import TimelineEntry
from domain.org.models import Platform

Block = dict[str, Any]

# Action ids (buttons on cards and DMs).
ACK = "inc.ack"
RESOLVE = "inc.resolve"
ESCALATE = "inc.escalate"
REVIEW = "inc.review"

STATUS_EMOJI = {
    IncidentStatus.TRIGGERED: ":red_circle:",
    IncidentStatus.ACKNOWLEDGED: ":large_orange_circle:",
    IncidentStatus.RESOLVED: ":large_green_circle:",
}


def who(t: Translator, actor_id: str | None) -> str:
    """A person as a mention; an integration or the scheduler by name."""
    if not actor_id:
        return "—"
    kind, _, label = actor_id.partition(":")
    if kind == "integration" and label:
        return t("inc.actor.integration", name=label)
    if kind == "system":
        return t("inc.actor.system")
    return bk.user(actor_id)


def status_text(t: Translator, incident: Incident) -> str:
    return f"{STATUS_EMOJI[incident.status]} {t(f'inc.status.{incident.status.value}')}"


def title_line(incident: Incident) -> str:
    return f"{incident.key} · {incident.severity.value} · {incident.title}"


def incident_blocks(
    t: Translator,
    incident: Incident,
    platform: Platform,
    on_call: str | None,
    latest_note: str | None = None,
    *,
    interactive: bool = True,
) -> list[Block]:
    fields = [
        t("inc.card.status", status=status_text(t, incident)),
        t("inc.card.severity", severity=incident.severity.value),
        t("inc.card.platform", platform=platform.name, key=platform.key),
        t("inc.card.on_call", user=bk.user(on_call) if on_call else t("inc.card.nobody")),
        t(
            "inc.card.declared",
            who=who(t, incident.declared_by),
            when=bk.slack_date(incident.created_at),
        ),
    ]
    if incident.acknowledged_at:
        fields.append(
            t(
                "inc.card.acknowledged",
                who=who(t, incident.acknowledged_by),
                when=bk.slack_date(incident.acknowledged_at),
            )
        )
    if incident.resolved_at:
        fields.append(
            t(
                "inc.card.resolved",
                who=who(t, incident.resolved_by),
                when=bk.slack_date(incident.resolved_at),
            )
        )
    if incident.occurrences > 1:
        fields.append(t("inc.card.seen", count=incident.occurrences))
    if incident.escalation_level and incident.is_open:
        fields.append(t(f"inc.card.escalated.{incident.escalation_level}"))
    blocks: list[Block] = [bk.header(title_line(incident)), bk.fields_section(fields)]
    if incident.description:
        blocks.append(bk.section(incident.description))
    if incident.resolution_summary:
        blocks.append(bk.section(t("inc.card.summary", summary=incident.resolution_summary)))
    if incident.review is not None:
        blocks.append(bk.section(review_text(t, incident)))
    elif incident.review_due_at is not None:
        blocks.append(
            bk.section(
                t(
                    "inc.card.review_due",
                    owner=who(t, incident.review_owner_id),
                    due=bk.slack_date(incident.review_due_at),
                )
            )
        )
    if latest_note:
        blocks.append(bk.context(t("inc.card.latest_note", note=latest_note)))
    if interactive:
        buttons = card_buttons(t, incident)
        if buttons:
            blocks.append(bk.actions(*buttons, block_id=f"inc.actions.{incident.number}"))
    return blocks


def card_buttons(t: Translator, incident: Incident) -> list[Block]:
    value = incident.key
    if incident.status is IncidentStatus.RESOLVED:
        if incident.review_pending:
            return [bk.button(t("inc.button.review"), REVIEW, value, style="primary")]
        return []
    buttons = []
    if incident.status is IncidentStatus.TRIGGERED:
        buttons.append(bk.button(t("inc.button.ack"), ACK, value, style="primary"))
    buttons.append(bk.button(t("inc.button.resolve"), RESOLVE, value))
    if incident.escalation_level < 2:
        buttons.append(bk.button(t("inc.button.escalate"), ESCALATE, value, style="danger"))
    return buttons


def review_text(t: Translator, incident: Incident) -> str:
    review = incident.review
    assert review is not None
    actions = "\n".join(f"• {a}" for a in review.actions) or t("common.none")
    return t(
        "inc.card.review",
        summary=review.summary,
        root_cause=review.root_cause,
        actions=actions,
        who=who(t, review.recorded_by),
    )


def page_blocks(
    t: Translator, incident: Incident, platform: Platform, level: int, reason: str
) -> list[Block]:
    text = t(
        f"inc.page.{reason}.{level}" if reason == "ack_sla" else "inc.page.manual",
        key=incident.key,
        severity=incident.severity.value,
        title=incident.title,
        platform=platform.name,
        since=bk.slack_date(incident.triggered_at or incident.created_at),
    )
    blocks = [bk.section(text)]
    if incident.status is IncidentStatus.TRIGGERED:
        blocks.append(
            bk.actions(
                bk.button(t("inc.button.ack"), ACK, incident.key, style="primary"),
                block_id=f"inc.page.{incident.number}",
            )
        )
    return blocks


def escalation_text(
    t: Translator, incident: Incident, level: int, reason: str, targets: list[str]
) -> str:
    people = " ".join(bk.user(u) for u in targets) or t("inc.card.nobody")
    return t(
        f"inc.escalation.{reason}.{level}"
        if reason == "ack_sla"
        else f"inc.escalation.manual.{level}",
        key=incident.key,
        severity=incident.severity.value,
        people=people,
    )


def review_reminder_blocks(
    t: Translator, incident: Incident, step: str, to_channel: bool, snooze: Block | None
) -> list[Block]:
    assert incident.review_due_at is not None
    text = t(
        f"inc.review.reminder.{step}",
        key=incident.key,
        title=incident.title,
        owner=who(t, incident.review_owner_id),
        due=bk.slack_date(incident.review_due_at),
    )
    blocks = [bk.section(text)]
    if not to_channel:
        button = bk.button(t("inc.button.review"), REVIEW, incident.key, style="primary")
        blocks.append(bk.actions(button, block_id=f"inc.review.{incident.number}"))
        if snooze is not None:
            blocks.append(snooze)  # the shared snooze control is a block of its own
    return blocks


def list_text(
    t: Translator, incidents: list[Incident], platforms: dict[int, Platform], scope: str
) -> str:
    if not incidents:
        return t(f"inc.list.empty.{scope}")
    lines = [t(f"inc.list.title.{scope}", count=len(incidents))]
    for incident in incidents:
        platform = platforms.get(incident.platform_id)
        lines.append(
            t(
                "inc.list.line",
                key=incident.key,
                severity=incident.severity.value,
                status=status_text(t, incident),
                platform=platform.key if platform else "?",
                title=incident.title,
                when=bk.slack_date(incident.created_at),
            )
        )
    return "\n".join(lines)


def timeline_lines(t: Translator, entries: list[TimelineEntry]) -> list[str]:
    lines = []
    for entry in entries:
        kind = entry.type.removeprefix("incident.")
        actor = who(
            t,
            entry.actor_id
            if entry.actor_kind == "user"
            else f"{entry.actor_kind}:{entry.actor_id.partition(':')[2]}",
        )
        data = {k: v for k, v in entry.data.items() if isinstance(v, str | int | float)}
        if kind == "escalated":
            kind = f"escalated.{entry.data.get('level', 0)}"
        what = t(f"inc.timeline.{kind}", **data) if t.has(f"inc.timeline.{kind}") else kind
        lines.append(f"{bk.slack_date(entry.at)} · {actor} · {what}")
    return lines


def show_blocks(
    t: Translator,
    incident: Incident,
    platform: Platform,
    on_call: str | None,
    entries: list[TimelineEntry],
) -> list[Block]:
    blocks = incident_blocks(t, incident, platform, on_call, interactive=False)
    lines = timeline_lines(t, entries)[-30:]
    blocks.append(bk.divider())
    blocks.append(bk.section(t("inc.timeline.title") + "\n" + "\n".join(lines)))
    return blocks


def latest_note(entries: list[TimelineEntry]) -> str | None:
    notes = [e for e in entries if e.type == "incident.note_added"]
    return str(notes[-1].data.get("text")) if notes else None


def home_blocks(
    t: Translator,
    on_call: list[Incident],
    reviews: list[Incident],
    now: datetime,
) -> list[Block]:
    blocks: list[Block] = []
    if on_call:
        lines = [
            f"• *{i.key}* {i.severity.value} · {status_text(t, i)} — {i.title}" for i in on_call
        ]
        blocks.append(
            bk.section(t("inc.home.on_call", count=len(on_call)) + "\n" + "\n".join(lines))
        )
    if reviews:
        lines = []
        for incident in reviews:
            assert incident.review_due_at is not None
            key = (
                "inc.home.review_overdue" if incident.review_due_at < now else "inc.home.review_due"
            )
            lines.append(
                t(
                    key,
                    key=incident.key,
                    title=incident.title,
                    due=bk.slack_date(incident.review_due_at),
                )
            )
        blocks.append(
            bk.section(t("inc.home.reviews", count=len(reviews)) + "\n" + "\n".join(lines))
        )
    return blocks


def oncall_text(t: Translator, answers: list[OnCall]) -> str:
    if not answers:
        return t("inc.oncall.no_platforms")
    lines = []
    for answer in answers:
        if answer.now is None:
            lines.append(t("inc.oncall.none", platform=answer.platform_key))
            continue
        assert answer.handover_at is not None
        lines.append(
            t(
                "inc.oncall.line",
                platform=answer.platform_key,
                now=bk.user(answer.now),
                next=bk.user(answer.next),
                handover=bk.slack_date(answer.handover_at),
            )
        )
    return "\n".join(lines)
