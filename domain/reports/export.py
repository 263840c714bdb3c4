"""A report as plain data: nested JSON for the API, flat (section, metric, value) rows for CSV."""

from __future__ import annotations

from domain.events import JSONDict, JSONValue
from domain.reports.models import OperationsReport


def report_to_dict(report: OperationsReport) -> JSONDict:
    r, i, n, m = report.requirements, report.incidents, report.inspections, report.moderation
    stage_hours: dict[str, JSONValue] = dict(r.stage_hours)
    return {
        "kind": report.period.kind.value,
        "from": report.period.start.isoformat(),
        "to": report.period.end.isoformat(),
        "timezone": report.period.timezone,
        "platform": report.platform,
        "generated_at": report.generated_at.isoformat(),
        "requirements": {
            "submitted": r.submitted,
            "approved": r.approved,
            "rejected": r.rejected,
            "changes_requested": r.changes_requested,
            "withdrawn": r.withdrawn,
            "live": r.live,
            "median_stage_hours": stage_hours,
            "has_data": not r.empty,
        },
        "incidents": {
            "declared": i.declared,
            "by_severity": dict(i.by_severity),
            "mtta_minutes": i.mtta_minutes,
            "mttr_minutes": i.mttr_minutes,
            "mtta_minutes_by_severity": dict(i.mtta_by_severity),
            "mttr_minutes_by_severity": dict(i.mttr_by_severity),
            "sla_breaches": i.sla_breaches,
            "resolved": i.resolved,
            "open_now": i.open_now,
            "has_data": not i.empty,
        },
        "inspections": {
            "opened": n.opened,
            "done": n.done,
            "missed": n.missed,
            "failed_items": n.failed_items,
            "late": n.late,
            "has_data": not n.empty,
        },
        "moderation": {
            "warnings": m.warnings,
            "bans": m.bans,
            "bans_lifted": m.bans_lifted,
            "appeals": m.appeals,
            "appeals_decided": m.appeals_decided,
            "reports": m.reports,
            "median_handling_hours": m.median_handling_hours,
            "has_data": not m.empty,
        },
        "trend": {
            "days": [day.isoformat() for day in report.trend.days],
            "incidents_by_severity": {k: list(v) for k, v in report.trend.incidents.items()},
            "requirements": {k: list(v) for k, v in report.trend.requirements.items()},
        },
    }


def report_rows(report: OperationsReport) -> list[tuple[str, str, str]]:
    """(section, metric, value) for every scalar of the report (nested keys joined by '.')."""
    data = report_to_dict(report)
    rows: list[tuple[str, str, str]] = []
    for section in ("requirements", "incidents", "inspections", "moderation"):
        _flatten(section, "", data[section], rows)
    return rows


def _flatten(section: str, prefix: str, value: JSONValue, rows: list[tuple[str, str, str]]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(section, f"{prefix}{key}.", inner, rows)
        return
    rows.append((section, prefix.rstrip("."), "" if value is None else str(value)))
