"""The moderator's part of App Home: four-eyes cases waiting for them, and the open queue."""

from __future__ import annotations

from typing import Any

from commands import blocks as bk
from commands.moderation import views
from commands.notices import RenderContext
from domain.access import Actor
from domain.moderation import queue
from domain.moderation.access import MODERATE


async def home_section(ctx: RenderContext, actor: Actor) -> list[dict[str, Any]]:
    if not actor.can(MODERATE):
        return []
    t = ctx.t
    # Only what this moderator may confirm: not their own cases, only their platforms.
    pending = [
        c
        for c in await ctx.uow.moderation.pending_cases()
        if c.created_by != actor.user_id and actor.can(MODERATE, platform_id=c.platform_id)
    ]
    items = await queue.open_queue(ctx.uow, actor, permission=MODERATE, limit=10)
    blocks: list[dict[str, Any]] = [bk.header(t("mod.home.title"))]
    if not pending and not items:
        blocks.append(bk.section(t("mod.home.nothing")))
        return blocks
    for case in pending[:10]:
        blocks.append(
            bk.section(
                t(
                    "mod.home.to_confirm",
                    key=case.key,
                    title=views.case_title(t, case),
                    user=bk.user(case.created_by),
                ),
                accessory=bk.button(
                    t("mod.button.confirm"), views.CONFIRM, str(case.id), style="primary"
                ),
            )
        )
    for item in items:
        blocks.append(
            bk.section(
                t(
                    "mod.home.item",
                    key=item.key,
                    status=t(f"mod.item.status.{item.status.value}"),
                    when=bk.slack_date(item.created_at),
                )
            )
        )
    if items:
        blocks.append(bk.context(t("mod.home.queue_hint")))
    return blocks


HOME_SECTION = home_section
