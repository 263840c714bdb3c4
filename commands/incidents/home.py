"""App Home: the incidents I am on call for (or own), and the post-incident reviews I owe."""

from __future__ import annotations

from typing import Any

from commands.incidents import views
from commands.notices import RenderContext
from domain.access import Actor
from domain.incidents.models import IncidentStatus
from domain.incidents.oncall import platforms_on_call
from domain.incidents.ports import IncidentFilter


async def incidents_section(ctx: RenderContext, actor: Actor) -> list[dict[str, Any]]:
    user_id = actor.user_id
    if user_id is None:
        return []
    now = ctx.uow.now()
    mine = await ctx.uow.incidents.open_on_platforms(await platforms_on_call(ctx.uow, user_id))
    owned = await ctx.uow.incidents.search(
        IncidentFilter(statuses=(IncidentStatus.ACKNOWLEDGED,), involving=user_id, limit=20)
    )
    seen = {i.id for i in mine}
    mine += [i for i in owned if i.id not in seen and i.acknowledged_by == user_id]
    reviews = await ctx.uow.incidents.reviews_owed_by(user_id)
    return views.home_blocks(ctx.t, mine[:20], reviews[:20], now)


HOME_SECTION = incidents_section
