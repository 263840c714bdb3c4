"""Renderers of incident notices, from the current state at delivery time."""

from __future__ import annotations

from typing import Any

from commands.deadlines import snooze_menu
from commands.incidents import views
from commands.notices import RenderContext, Rendered, RenderedMessage, Skip
from domain.incidents.announce import CARD, ESCALATION_POST, PAGE, REVIEW_REMINDER
from domain.incidents.models import Incident
from domain.incidents.oncall import on_call_now
from domain.org.models import Platform


async def _load(ctx: RenderContext) -> tuple[Incident, Platform] | None:
    if ctx.subject is None:
        return None
    incident = await ctx.uow.incidents.get(ctx.subject.id)
    if incident is None:
        return None
    platform = await ctx.uow.org.get_platform(incident.platform_id)
    return (incident, platform) if platform is not None else None


async def render_card(ctx: RenderContext) -> Rendered:
    loaded = await _load(ctx)
    if loaded is None:
        return Skip("incident gone")
    incident, platform = loaded
    assert incident.id is not None
    on_call = await on_call_now(ctx.uow, platform.id or 0)
    note = views.latest_note(await ctx.uow.incidents.timeline(incident.id))
    blocks = views.incident_blocks(ctx.t, incident, platform, on_call, note)
    text = views.title_line(incident)
    if on_call and incident.is_open:
        text += f" — <@{on_call}>"
    return RenderedMessage(text, blocks)


async def render_page(ctx: RenderContext) -> Rendered:
    loaded = await _load(ctx)
    if loaded is None:
        return Skip("incident gone")
    incident, platform = loaded
    level, reason = int(ctx.params.get("level", 0)), str(ctx.params.get("reason", "ack_sla"))
    blocks = views.page_blocks(ctx.t, incident, platform, level, reason)
    return RenderedMessage(views.title_line(incident), blocks)


async def render_escalation(ctx: RenderContext) -> Rendered:
    loaded = await _load(ctx)
    if loaded is None:
        return Skip("incident gone")
    incident, _ = loaded
    targets = [str(u) for u in ctx.params.get("targets") or []]
    text = views.escalation_text(
        ctx.t,
        incident,
        int(ctx.params.get("level", 0)),
        str(ctx.params.get("reason", "ack_sla")),
        targets,
    )
    return RenderedMessage(text, [{"type": "section", "text": {"type": "mrkdwn", "text": text}}])


async def render_review_reminder(ctx: RenderContext) -> Rendered:
    loaded = await _load(ctx)
    if loaded is None:
        return Skip("incident gone")
    incident, _ = loaded
    if not incident.review_pending:
        return Skip("review recorded")
    step = str(ctx.params.get("step", "remind"))
    to_channel = ctx.recipient_channel_id is not None
    snooze = _snooze(ctx) if not to_channel else None
    blocks = views.review_reminder_blocks(ctx.t, incident, step, to_channel, snooze)
    return RenderedMessage(views.title_line(incident), blocks)


def _snooze(ctx: RenderContext) -> dict[str, Any] | None:
    deadline_id = ctx.params.get("deadline_id")
    if deadline_id is None:
        return None
    return snooze_menu(int(deadline_id), ctx.t)


RENDERERS: dict[str, Any] = {
    CARD: render_card,
    PAGE: render_page,
    ESCALATION_POST: render_escalation,
    REVIEW_REMINDER: render_review_reminder,
}
