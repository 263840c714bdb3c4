"""Report arithmetic on hand-made facts: periods, stage medians, MTTA/MTTR, breaches, trends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.reports.compute import compute_report, last_complete_period
from domain.reports.models import DeclaredIncident, ReportFacts, ReportKind, Transition

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # Monday


def test_last_complete_periods_in_the_reports_timezone() -> None:
    daily = last_complete_period(ReportKind.DAILY, NOW, "Asia/Shanghai")
    # 18:00 on 2 March in Shanghai: yesterday is 1 March, 00:00–24:00 at UTC+8.
    assert (daily.start, daily.end) == (
        datetime(2026, 2, 28, 16, 0, tzinfo=UTC),
        datetime(2026, 3, 1, 16, 0, tzinfo=UTC),
    )
    weekly = last_complete_period(ReportKind.WEEKLY, NOW, "UTC")
    assert (weekly.start, weekly.end) == (
        datetime(2026, 2, 23, tzinfo=UTC),
        datetime(2026, 3, 2, tzinfo=UTC),
    )
    monthly = last_complete_period(ReportKind.MONTHLY, NOW, "UTC")
    assert (monthly.start, monthly.end) == (
        datetime(2026, 2, 1, tzinfo=UTC),
        datetime(2026, 3, 1, tzinfo=UTC),
    )
    assert len(monthly.days()) == 28


def test_sections_from_facts() -> None:
    period = last_complete_period(ReportKind.WEEKLY, NOW, "UTC")
    day = period.start + timedelta(hours=10)
    facts = ReportFacts(
        counts={"requirement.submitted": 2, "moderation.warning_issued": 3},
        transitions=[
            Transition(1, "approval", day - timedelta(days=10)),  # entered before the period
            Transition(1, "design", day),  # left approval inside: 240 h
            Transition(1, "development", day + timedelta(hours=5)),
            Transition(2, "approval", day),
            Transition(2, "design", day + timedelta(hours=2)),
        ],
        incidents=[
            DeclaredIncident(10, day, "SEV1"),
            DeclaredIncident(11, day, "SEV4"),
            DeclaredIncident(12, day + timedelta(days=1), "SEV4"),
        ],
        first_ack={10: day + timedelta(minutes=10), 11: day + timedelta(minutes=30)},
        first_resolve={10: day + timedelta(hours=2)},
        incident_totals={"incident.declared": 5, "incident.reopened": 1, "incident.resolved": 4},
        handled=[(day, day + timedelta(hours=1)), (day, day + timedelta(hours=3))],
    )
    report = compute_report(facts, period, None, NOW)
    assert report.requirements.stage_hours == {"approval": 121.0, "design": 5.0}
    assert report.incidents.mtta_minutes == 20.0 and report.incidents.mttr_minutes == 120.0
    assert report.incidents.mtta_by_severity["SEV1"] == 10.0
    # SEV1 acked after 10 min (SLA 5): breach; SEV4 after 30 min (SLA 240): fine; the other
    # SEV4 is still unacknowledged days later: breach.
    assert report.incidents.sla_breaches == 2
    assert report.incidents.open_now == 2
    assert report.moderation.warnings == 3 and report.moderation.median_handling_hours == 2.0
    assert report.inspections.empty and not report.incidents.empty
    assert report.trend.incidents["SEV4"][:2] == [1, 1]
