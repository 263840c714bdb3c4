"""Block Kit of an operations report (pure: translator + report → text and blocks)."""

from __future__ import annotations

from typing import Any

from bot.i18n import Translator
from commands import blocks as bk
from domain.reports.models import SEVERITIES, OperationsReport
from domain.reports.ports import ReportSchedule


def _number(value: float | None, t: Translator, unit: str) -> str:
    return t(f"report.unit.{unit}", value=value) if value is not None else "—"


def report_title(t: Translator, report: OperationsReport) -> str:
    return t(
        f"report.title.{report.period.kind.value}",
        platform=report.platform or t("report.all_platforms"),
    )


def report_blocks(t: Translator, report: OperationsReport) -> tuple[str, list[dict[str, Any]]]:
    title = report_title(t, report)
    period = t(
        "report.period",
        start=bk.slack_date(report.period.start),
        end=bk.slack_date(report.period.end),
        timezone=report.period.timezone,
    )
    r, i, n, m = report.requirements, report.incidents, report.inspections, report.moderation
    blocks: list[dict[str, Any]] = [bk.header(title), bk.context(period)]
    if r.empty:
        requirements = t("report.requirements.empty")
    else:
        stages = " · ".join(
            t("report.requirements.stage", stage=t(f"report.stage.{stage}"), hours=hours)
            for stage, hours in r.stage_hours.items()
        )
        requirements = t(
            "report.requirements.counts",
            submitted=r.submitted,
            approved=r.approved,
            rejected=r.rejected,
            changes=r.changes_requested,
            live=r.live,
            withdrawn=r.withdrawn,
        ) + ("\n" + t("report.requirements.stages", stages=stages) if stages else "")
    blocks.append(bk.section(f"*{t('report.requirements.title')}*\n{requirements}"))
    if i.empty:
        incidents = t("report.incidents.empty")
    else:
        severities = " · ".join(f"{s} {i.by_severity.get(s, 0)}" for s in SEVERITIES)
        incidents = "\n".join(
            [
                t(
                    "report.incidents.counts",
                    declared=i.declared,
                    severities=severities,
                    resolved=i.resolved,
                    open=i.open_now,
                    breaches=i.sla_breaches,
                ),
                t(
                    "report.incidents.times",
                    mtta=_number(i.mtta_minutes, t, "minutes"),
                    mttr=_number(i.mttr_minutes, t, "minutes"),
                ),
            ]
        )
    blocks.append(bk.section(f"*{t('report.incidents.title')}*\n{incidents}"))
    inspections = (
        t("report.inspections.empty")
        if n.empty
        else t(
            "report.inspections.counts",
            opened=n.opened,
            done=n.done,
            missed=n.missed,
            failed=n.failed_items,
            late=n.late,
        )
    )
    blocks.append(bk.section(f"*{t('report.inspections.title')}*\n{inspections}"))
    moderation = (
        t("report.moderation.empty")
        if m.empty
        else t(
            "report.moderation.counts",
            warnings=m.warnings,
            bans=m.bans,
            lifted=m.bans_lifted,
            appeals=m.appeals,
            decided=m.appeals_decided,
            reports=m.reports,
            handling=_number(m.median_handling_hours, t, "hours"),
        )
    )
    blocks.append(bk.section(f"*{t('report.moderation.title')}*\n{moderation}"))
    blocks.append(bk.context(t("report.footer", at=bk.slack_date(report.generated_at))))
    return f"{title} — {period}", blocks


def schedules_text(t: Translator, schedules: list[ReportSchedule]) -> str:
    if not schedules:
        return t("report.schedules.empty")
    lines = [t("report.schedules.title", count=len(schedules))]
    for schedule in schedules:
        lines.append(
            t(
                "report.schedules.line",
                number=schedule.id,
                kind=t(f"report.kind.{schedule.kind.value}"),
                channel=bk.channel(schedule.channel_id),
                cron=schedule.cron,
                timezone=schedule.timezone,
                next=bk.slack_date(schedule.next_run_at) if schedule.next_run_at else "—",
            )
        )
    return "\n".join(lines)
