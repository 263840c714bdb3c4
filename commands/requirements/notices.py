"""Renderers of requirement notices, drawn from current state at delivery time."""

from __future__ import annotations

from typing import Any

from commands import blocks as bk
from commands.deadlines import snooze_menu
from commands.notices import RenderContext, Rendered, RenderedMessage, Skip
from commands.requirements import views
from domain.events import Subject
from domain.requirements import notices as n
from domain.requirements.models import Requirement, Stage
from domain.requirements.queries import requirement_history


async def card_data(uow: Any, requirement: Requirement) -> views.CardData:
    department = await uow.org.get_department(requirement.department_id)
    platform = (
        await uow.org.get_platform(requirement.platform_id) if requirement.platform_id else None
    )
    history = await requirement_history(uow, requirement)
    return views.CardData(requirement, department, platform, history)


async def _load(ctx: RenderContext) -> Requirement | None:
    subject: Subject | None = ctx.subject
    if subject is None:
        return None
    requirement: Requirement | None = await ctx.uow.requirements.get(subject.id)
    return requirement


async def render_card(ctx: RenderContext) -> Rendered:
    requirement = await _load(ctx)
    if requirement is None:
        return Skip("requirement gone")
    data = await card_data(ctx.uow, requirement)
    text = ctx.t(
        "req.card.text",
        key=requirement.key,
        title=requirement.title,
        stage=ctx.t(f"req.stage.{requirement.stage.value}"),
    )
    return RenderedMessage(text, views.card_blocks(ctx.t, data))


async def render_approval_request(ctx: RenderContext) -> Rendered:
    requirement = await _load(ctx)
    if requirement is None or ctx.recipient_user_id is None:
        return Skip("requirement gone")
    data = await card_data(ctx.uow, requirement)
    seat, round_ = str(ctx.params["seat"]), int(ctx.params["round"])
    text = ctx.t("req.dm.text", key=requirement.key, title=requirement.title)
    return RenderedMessage(
        text, views.approval_dm_blocks(ctx.t, data, seat, ctx.recipient_user_id, round_)
    )


async def render_outcome(ctx: RenderContext) -> Rendered:
    requirement = await _load(ctx)
    if requirement is None:
        return Skip("requirement gone")
    outcome = str(ctx.params["outcome"])
    reason = (
        next((v.reason for v in reversed(requirement.votes) if v.reason), None)
        if outcome in (Stage.REJECTED.value, Stage.CHANGES_REQUESTED.value)
        else None
    )
    text = ctx.t(f"req.outcome.{outcome}", key=requirement.key, title=requirement.title)
    blocks = [bk.section(text)]
    if reason:
        blocks.append(bk.section(ctx.t("req.outcome.reason", reason=reason)))
    if outcome == Stage.CHANGES_REQUESTED.value and requirement.stage is Stage.CHANGES_REQUESTED:
        blocks.append(
            bk.actions(
                bk.button(
                    ctx.t("req.button.resubmit"),
                    views.RESUBMIT,
                    str(requirement.id),
                    style="primary",
                )
            )
        )
    return RenderedMessage(text, blocks)


async def render_reminder(ctx: RenderContext) -> Rendered:
    requirement = await _load(ctx)
    if requirement is None or requirement.stage is not Stage.APPROVAL:
        return Skip("decided meanwhile")
    seat = str(ctx.params["approver"])
    if seat not in requirement.waiting_for():
        return Skip("voted meanwhile")
    key = "req.reminder.text" if seat == ctx.recipient_user_id else "req.reminder.delegate"
    text = ctx.t(
        key,
        key=requirement.key,
        title=requirement.title,
        approver=bk.user(seat),
        since=bk.slack_date(requirement.stage_changed_at or requirement.created_at),
    )
    blocks = [bk.section(text)]
    value = views.vote_value(requirement, seat)
    elements = [
        bk.button(ctx.t("req.button.approve"), views.APPROVE, value, style="primary"),
        bk.button(ctx.t("req.button.reject"), views.REJECT, value, style="danger"),
        bk.button(ctx.t("req.button.changes"), views.CHANGES, value),
    ]
    blocks.append(bk.actions(*elements))
    deadline_id = ctx.params.get("deadline_id")
    if deadline_id is not None and seat == ctx.recipient_user_id:
        blocks.append(snooze_menu(int(deadline_id), ctx.t))
    return RenderedMessage(text, blocks)


async def render_escalation(ctx: RenderContext) -> Rendered:
    requirement = await _load(ctx)
    if requirement is None or requirement.stage is not Stage.APPROVAL:
        return Skip("decided meanwhile")
    seat = str(ctx.params["approver"])
    if seat not in requirement.waiting_for():
        return Skip("voted meanwhile")
    data = await card_data(ctx.uow, requirement)
    text = ctx.t(
        "req.escalation.text",
        key=requirement.key,
        title=requirement.title,
        approver=bk.user(seat),
        department=data.department.name,
        since=bk.slack_date(requirement.stage_changed_at or requirement.created_at),
    )
    return RenderedMessage(
        text, [bk.section(text), bk.context(views.progress_text(ctx.t, requirement))]
    )


async def render_assigned(ctx: RenderContext) -> Rendered:
    requirement = await _load(ctx)
    if requirement is None:
        return Skip("requirement gone")
    text = ctx.t(
        "req.assigned.text",
        key=requirement.key,
        title=requirement.title,
        by=bk.user(str(ctx.params.get("by"))),
        stage=ctx.t(f"req.stage.{requirement.stage.value}"),
    )
    return RenderedMessage(text, [bk.section(text)])


RENDERERS = {
    n.CARD: render_card,
    n.APPROVAL_REQUEST: render_approval_request,
    n.OUTCOME: render_outcome,
    n.REMINDER: render_reminder,
    n.ESCALATION: render_escalation,
    n.ASSIGNED: render_assigned,
}
