"""Renderers of moderation notices: the case card and queue item cards in the moderation log."""

from __future__ import annotations

from typing import Any

from commands.moderation import views
from commands.notices import RenderContext, Rendered, RenderedMessage, Renderer, Skip
from domain.moderation.announce import CASE_CARD, ITEM_CARD
from domain.moderation.settings import policy_in_force


async def case_view(uow: Any, case_id: int, now: Any) -> views.CaseView | None:
    case = await uow.moderation.get_case(case_id)
    if case is None:
        return None
    platform = await uow.org.get_platform(case.platform_id)
    user = await uow.moderation.get_user(case.user_id)
    return views.CaseView(case, platform, user, now)


async def render_case(ctx: RenderContext) -> Rendered:
    assert ctx.subject is not None
    view = await case_view(ctx.uow, ctx.subject.id, ctx.uow.now())
    if view is None:
        return Skip("case gone")
    blocks = views.case_blocks(ctx.t, view, await policy_in_force(ctx.uow))
    return RenderedMessage(views.case_text(ctx.t, view.case), blocks)


async def item_parts(uow: Any, item_id: int) -> tuple[Any, Any, Any, Any] | None:
    item = await uow.moderation.get_item(item_id)
    if item is None:
        return None
    platform = await uow.org.get_platform(item.platform_id)
    user = await uow.moderation.get_user(item.user_id)
    case = await uow.moderation.get_case(item.case_id) if item.case_id else None
    return item, platform, user, case


async def render_item(ctx: RenderContext) -> Rendered:
    assert ctx.subject is not None
    parts = await item_parts(ctx.uow, ctx.subject.id)
    if parts is None:
        return Skip("item gone")
    item = parts[0]
    blocks = views.item_blocks(ctx.t, *parts)
    return RenderedMessage(ctx.t("mod.item.text", key=item.key), blocks)


RENDERERS: dict[str, Renderer] = {CASE_CARD: render_case, ITEM_CARD: render_item}
