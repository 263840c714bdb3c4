"""The requirements part of the App Home: what waits for my vote, and my own requests."""

from __future__ import annotations

from typing import Any

from commands import blocks as bk
from commands.notices import RenderContext
from commands.requirements import views
from domain.access import Actor
from domain.requirements.queries import Scope, awaiting_vote, list_requirements
from domain.requirements.services import VIEW

SHOWN = 10


async def home_section(ctx: RenderContext, actor: Actor) -> list[dict[str, Any]]:
    if actor.user_id is None or not actor.can(VIEW):
        return []
    t = ctx.t
    blocks: list[dict[str, Any]] = []
    waiting = await awaiting_vote(ctx.uow, actor.user_id)
    if waiting:
        blocks.append(bk.section(f"*{t('req.home.waiting', count=len(waiting))}*"))
        for item in waiting[:SHOWN]:
            r = item.requirement
            line = t(
                "req.home.waiting_line", key=r.key, title=r.title, submitter=bk.user(r.submitter_id)
            )
            if item.seat != actor.user_id:
                line += " " + t("req.home.for", approver=bk.user(item.seat))
            value = views.vote_value(r, item.seat)
            blocks.append(
                bk.section(
                    line,
                    accessory=bk.button(
                        t("req.button.approve"), views.APPROVE, value, style="primary"
                    ),
                )
            )
    mine = await list_requirements(ctx.uow, actor, Scope.MINE, limit=SHOWN)
    if mine.items:
        blocks.append(bk.section(f"*{t('req.home.mine')}*"))
        for r in mine.items:
            blocks.append(
                bk.section(
                    t(
                        "req.home.mine_line",
                        key=r.key,
                        title=r.title,
                        stage=views.stage_label(t, r.stage),
                    )
                )
            )
    return blocks


HOME_SECTION = home_section
