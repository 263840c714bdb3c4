"""The posted report: computed at delivery from its fixed period, with the chart attached."""

from __future__ import annotations

import asyncio
from datetime import datetime

from commands.notices import AttachedFile, RenderContext, Rendered, RenderedMessage
from commands.reports.charts import render_chart
from commands.reports.views import report_blocks, report_title
from domain.access import Actor
from domain.reports.models import Period, ReportKind
from domain.reports.services import REPORT_TEMPLATE, build_report


async def render_report(ctx: RenderContext) -> Rendered:
    params = ctx.params
    period = Period(
        ReportKind(str(params["kind"])),
        datetime.fromisoformat(str(params["start"])),
        datetime.fromisoformat(str(params["end"])),
        str(params.get("timezone") or "UTC"),
    )
    platform = params.get("platform")
    language = params.get("language")
    t = ctx.container.translator(str(language)) if language else ctx.t
    # Who may post was checked when the report was asked for or scheduled.
    report = await build_report(
        ctx.uow, Actor.system("reports"), period, str(platform) if platform else None
    )
    text, blocks = report_blocks(t, report)
    # Drawing takes a few hundred ms of CPU: off the event loop.
    png = await asyncio.to_thread(render_chart, report, t)
    title = report_title(t, report)
    stamp = period.start.strftime("%Y%m%d")
    chart = AttachedFile(
        f"operations-report-{period.kind.value}-{stamp}.png",
        png,
        title,
        t("report.chart.alt", title=title),
    )
    return RenderedMessage(text, blocks, file=chart)


RENDERERS = {REPORT_TEMPLATE: render_report}
