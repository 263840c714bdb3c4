"""The chart image of an operations report: incident trend by severity and requirement flow.

matplotlib with the Agg backend and Figure objects (no pyplot global state), labels in the
reader's language; Noto Sans CJK (a packaged font) renders Chinese as well as Latin text.
"""

from __future__ import annotations

import io
from functools import cache

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager
from matplotlib.ticker import MaxNLocator

from bot.i18n import Translator
from domain.reports.models import FLOWS, SEVERITIES, OperationsReport

SEVERITY_COLOURS = {"SEV1": "#d62828", "SEV2": "#f77f00", "SEV3": "#fcbf49", "SEV4": "#6c757d"}
FLOW_COLOURS = {"submitted": "#457b9d", "approved": "#2a9d8f", "live": "#1d3557"}


@cache
def font_family() -> list[str]:
    """Register the packaged CJK font once; fall back to matplotlib's default if it is absent."""
    try:
        from noto_cjk_sans_otc import FONT_PATH

        fontManager.addfont(str(FONT_PATH))
    except (ImportError, OSError, RuntimeError):
        return ["DejaVu Sans"]
    # The collection holds one face per region; the Simplified Chinese one suits both languages.
    names = {entry.name for entry in fontManager.ttflist if entry.fname == str(FONT_PATH)}
    preferred = [n for n in ("Noto Sans CJK SC", "Noto Sans CJK JP") if n in names]
    return [*(preferred or sorted(names)[:1]), "DejaVu Sans"]


def render_chart(report: OperationsReport, t: Translator) -> bytes:
    """A PNG (1200×900) with two panels sharing the report's days."""
    buffer = io.BytesIO()
    chart_figure(report, t).savefig(buffer, format="png")
    return buffer.getvalue()


def chart_figure(report: OperationsReport, t: Translator) -> Figure:
    family = font_family()
    figure = Figure(figsize=(10, 7.5), dpi=120, layout="constrained")
    FigureCanvasAgg(figure)
    incidents, requirements = figure.subplots(2, 1, sharex=True)
    days = report.trend.days
    labels = [day.strftime("%m-%d") for day in days]
    positions = list(range(len(days)))
    for severity in SEVERITIES:
        incidents.plot(
            positions,
            report.trend.incidents[severity],
            marker="o",
            linewidth=2,
            color=SEVERITY_COLOURS[severity],
            label=severity,
        )
    incidents.set_title(t("report.chart.incidents"), fontfamily=family, fontsize=13)
    incidents.set_ylabel(t("report.chart.count"), fontfamily=family)
    for flow in FLOWS:
        requirements.plot(
            positions,
            report.trend.requirements[flow],
            marker="s",
            linewidth=2,
            color=FLOW_COLOURS[flow],
            label=t(f"report.chart.flow.{flow}"),
        )
    requirements.set_title(t("report.chart.requirements"), fontfamily=family, fontsize=13)
    requirements.set_ylabel(t("report.chart.count"), fontfamily=family)
    requirements.set_xlabel(
        t("report.chart.day", timezone=report.period.timezone), fontfamily=family
    )
    step = max(1, len(days) // 12)
    requirements.set_xticks(positions[::step], labels[::step])
    for axes in (incidents, requirements):
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        # A quiet period is all zeros: without a top of at least 1 the integer locator has no
        # whole numbers to mark and the axis reads 0.000 … 0.054.
        axes.set_ylim(bottom=0, top=max(1.0, axes.get_ylim()[1]))
        axes.grid(alpha=0.3)
        axes.legend(prop={"family": family}, loc="upper left", ncols=4, fontsize=9)
    figure.suptitle(
        t(
            f"report.title.{report.period.kind.value}",
            platform=report.platform or t("report.all_platforms"),
        ),
        fontfamily=family,
        fontsize=15,
    )
    return figure
