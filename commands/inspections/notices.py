"""Renderers of inspection notices: reminder (kept up to date), result, overdue, escalation."""

from __future__ import annotations

from commands import blocks as bk
from commands.deadlines import snooze_menu
from commands.inspections import views
from commands.notices import RenderContext, Rendered, RenderedMessage, Skip
from domain.access import Role
from domain.inspections.models import InspectionRun, RunState


async def _load(ctx: RenderContext) -> tuple[InspectionRun, str, str] | None:
    if ctx.subject is None:
        return None
    run = await ctx.uow.inspections.get_run(ctx.subject.id)
    if run is None:
        return None
    plan = await ctx.uow.inspections.get_plan(run.plan_id)
    platform = await ctx.uow.org.get_platform(run.platform_id)
    return run, plan.name if plan else run.key, platform.key if platform else "?"


async def render_reminder(ctx: RenderContext) -> Rendered:
    loaded = await _load(ctx)
    if loaded is None:
        return Skip("the run is gone")
    text, blocks = views.reminder_blocks(ctx.t, *loaded)
    return RenderedMessage(text, blocks)


async def render_result(ctx: RenderContext) -> Rendered:
    loaded = await _load(ctx)
    if loaded is None or loaded[0].state is not RunState.COMPLETED:
        return Skip("the run is not completed")
    text, blocks = views.result_blocks(ctx.t, *loaded)
    return RenderedMessage(text, blocks)


async def render_overdue(ctx: RenderContext) -> Rendered:
    loaded = await _load(ctx)
    if loaded is None or loaded[0].state is RunState.COMPLETED:
        return Skip("the run was completed")
    run, plan, platform = loaded
    text = ctx.t(
        "inspect.overdue.text",
        run=run.key,
        plan=plan,
        platform=platform,
        due=bk.slack_date(run.due_at),
    )
    start = bk.button(
        ctx.t("inspect.reminder.start"), views.START, str(run.number), style="primary"
    )
    blocks = [bk.section(text), bk.actions(start, block_id=f"overdue_{run.number}")]
    deadline_id = ctx.params.get("deadline_id")
    if isinstance(deadline_id, int):
        blocks.append(snooze_menu(deadline_id, ctx.t))
    return RenderedMessage(text, blocks)


async def render_escalation(ctx: RenderContext) -> Rendered:
    loaded = await _load(ctx)
    if loaded is None or loaded[0].state is RunState.COMPLETED:
        return Skip("the run was completed")
    run, plan, platform = loaded
    level = int(ctx.params.get("level") or 1)
    mentions = ""
    if ctx.recipient_channel_id:
        operators = await ctx.uow.people.holders_of(Role.OPERATOR, platform_id=run.platform_id)
        mentions = " ".join(bk.user(u) for u in sorted(set(operators))[:20])
    key = "inspect.escalation.operators" if level <= 1 else "inspect.escalation.admins"
    text = ctx.t(
        key,
        run=run.key,
        plan=plan,
        platform=platform,
        due=bk.slack_date(run.due_at),
        who=mentions or "—",
    )
    button = bk.button(
        ctx.t("inspect.reminder.start"), views.START, str(run.number), style="primary"
    )
    return RenderedMessage(
        text, [bk.section(text), bk.actions(button, block_id=f"escalated_{run.number}")]
    )


RENDERERS = {
    "inspection.reminder": render_reminder,
    "inspection.result": render_result,
    "inspection.overdue": render_overdue,
    "inspection.escalation": render_escalation,
}
