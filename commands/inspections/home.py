"""The App Home section of inspections: runs due for this person, with Start buttons."""

from __future__ import annotations

from typing import Any

from commands import blocks as bk
from commands.inspections import views
from commands.notices import RenderContext
from domain.inspections.runs import list_due_runs

MAX_SHOWN = 10


async def home_section(ctx: RenderContext, actor: Any) -> list[dict[str, Any]]:
    due = await list_due_runs(ctx.uow, actor)
    if not due:
        return []
    plans = {p.id: p.name for p in await ctx.uow.inspections.list_plans(include_deleted=True)}
    now = ctx.container.clock.now()
    blocks: list[dict[str, Any]] = [bk.section(f"*{ctx.t('inspect.home.title', count=len(due))}*")]
    for run in due[:MAX_SHOWN]:
        text = ctx.t(
            "inspect.home.line",
            run=run.key,
            plan=plans.get(run.plan_id, "?"),
            due=bk.slack_date(run.due_at),
            state=views.due_label(ctx.t, run, now),
        )
        blocks.append(
            bk.section(
                text,
                accessory=bk.button(ctx.t("inspect.reminder.start"), views.START, str(run.number)),
                block_id=f"home_run_{run.number}",
            )
        )
    return blocks


HOME_SECTION = home_section
