"""Pure report arithmetic over fetched facts: counts, medians, MTTA/MTTR, SLA breaches, trends."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from itertools import pairwise
from statistics import median
from zoneinfo import ZoneInfo

from domain.reports.models import (
    ACK_SLA_MINUTES,
    FLOWS,
    SEVERITIES,
    STAGES,
    IncidentsSection,
    InspectionsSection,
    ModerationSection,
    OperationsReport,
    Period,
    ReportFacts,
    ReportKind,
    RequirementsSection,
    Transition,
    Trend,
)

ON_DEMAND_SPAN = {
    ReportKind.DAILY: timedelta(days=1),
    ReportKind.WEEKLY: timedelta(days=7),
    ReportKind.MONTHLY: timedelta(days=30),
}


def last_complete_period(kind: ReportKind, now: datetime, timezone: str) -> Period:
    """The calendar day/week (Mon–Sun)/month before `now` in `timezone` — what a scheduled
    report covers."""
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    today = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if kind is ReportKind.DAILY:
        end = today
        start = _local_midnight(end.date() - timedelta(days=1), zone)
    elif kind is ReportKind.WEEKLY:
        end = _local_midnight(today.date() - timedelta(days=today.weekday()), zone)
        start = _local_midnight(end.date() - timedelta(days=7), zone)
    else:
        end = _local_midnight(today.date().replace(day=1), zone)
        previous = (end.date() - timedelta(days=1)).replace(day=1)
        start = _local_midnight(previous, zone)
    return Period(
        kind, start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC")), timezone
    )


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, datetime.min.time(), zone)


def rolling_period(kind: ReportKind, now: datetime, timezone: str) -> Period:
    """The last 24 hours / 7 days / 30 days up to now — what an on-demand report covers."""
    return Period(kind, now - ON_DEMAND_SPAN[kind], now, timezone)


def _minutes(delta: timedelta) -> float:
    return round(delta.total_seconds() / 60, 1)


def _median_hours(deltas: list[timedelta]) -> float | None:
    if not deltas:
        return None
    return round(median(d.total_seconds() for d in deltas) / 3600, 1)


def stage_hours(transitions: list[Transition], period: Period) -> dict[str, float]:
    """Median hours spent in each stage, over stays that ended inside the period."""
    by_subject: dict[int, list[Transition]] = defaultdict(list)
    for transition in transitions:
        by_subject[transition.subject_id].append(transition)
    stays: dict[str, list[timedelta]] = defaultdict(list)
    for moves in by_subject.values():
        moves.sort(key=lambda t: t.at)
        for entered, left in pairwise(moves):
            if period.start <= left.at < period.end and entered.stage in STAGES:
                stays[entered.stage].append(left.at - entered.at)
    result: dict[str, float] = {}
    for stage in STAGES:
        hours = _median_hours(stays.get(stage, []))
        if hours is not None:
            result[stage] = hours
    return result


def requirements_section(facts: ReportFacts, period: Period) -> RequirementsSection:
    count = facts.counts.get
    return RequirementsSection(
        submitted=count("requirement.submitted", 0),
        approved=count("requirement.approved", 0),
        rejected=count("requirement.rejected", 0),
        changes_requested=count("requirement.changes_requested", 0),
        withdrawn=count("requirement.withdrawn", 0),
        live=len(facts.live_at),
        stage_hours=stage_hours(facts.transitions, period),
    )


def incidents_section(facts: ReportFacts, now: datetime) -> IncidentsSection:
    by_severity = {severity: 0 for severity in SEVERITIES}
    ack: dict[str, list[timedelta]] = defaultdict(list)
    resolve: dict[str, list[timedelta]] = defaultdict(list)
    breaches = 0
    for incident in facts.incidents:
        by_severity[incident.severity] = by_severity.get(incident.severity, 0) + 1
        acked = facts.first_ack.get(incident.subject_id)
        resolved = facts.first_resolve.get(incident.subject_id)
        if acked is not None:
            ack[incident.severity].append(acked - incident.at)
        if resolved is not None:
            resolve[incident.severity].append(resolved - incident.at)
        sla = timedelta(minutes=ACK_SLA_MINUTES.get(incident.severity, ACK_SLA_MINUTES["SEV4"]))
        # Unacknowledged so far counts once its SLA has run out (as of now).
        if (acked or now) - incident.at > sla:
            breaches += 1
    all_ack = [d for values in ack.values() for d in values]
    all_resolve = [d for values in resolve.values() for d in values]
    totals = facts.incident_totals.get
    open_now = (
        totals("incident.declared", 0)
        + totals("incident.reopened", 0)
        - totals("incident.resolved", 0)
    )
    return IncidentsSection(
        declared=len(facts.incidents),
        by_severity=by_severity,
        mtta_minutes=_minutes(_mean(all_ack)) if all_ack else None,
        mttr_minutes=_minutes(_mean(all_resolve)) if all_resolve else None,
        mtta_by_severity={s: _minutes(_mean(ack[s])) if ack.get(s) else None for s in SEVERITIES},
        mttr_by_severity={
            s: _minutes(_mean(resolve[s])) if resolve.get(s) else None for s in SEVERITIES
        },
        sla_breaches=breaches,
        resolved=facts.counts.get("incident.resolved", 0),
        open_now=max(open_now, 0),
    )


def _mean(deltas: list[timedelta]) -> timedelta:
    # Plain float arithmetic: statistics.mean's exact fractions cost ~10x on thousands of values.
    return sum(deltas, timedelta(0)) / len(deltas)


def moderation_section(facts: ReportFacts) -> ModerationSection:
    count = facts.counts.get
    return ModerationSection(
        warnings=count("moderation.warning_issued", 0),
        # A permanent ban starts when the second moderator confirms it (it has no ban_started).
        bans=count("moderation.ban_started", 0) + count("moderation.ban_confirmed", 0),
        bans_lifted=count("moderation.ban_lifted", 0),
        appeals=count("moderation.appeal_received", 0),
        appeals_decided=count("moderation.appeal_decided", 0),
        reports=count("moderation.report_received", 0),
        median_handling_hours=_median_hours([done - got for got, done in facts.handled]),
    )


def trend(facts: ReportFacts, period: Period) -> Trend:
    days = period.days()
    index = {day: n for n, day in enumerate(days)}
    incidents = {severity: [0] * len(days) for severity in SEVERITIES}
    for incident in facts.incidents:
        slot = index.get(period.local_day(incident.at))
        if slot is not None and incident.severity in incidents:
            incidents[incident.severity][slot] += 1
    flows = {flow: [0] * len(days) for flow in FLOWS}
    moments = {**facts.flows, "live": facts.live_at}
    for flow in FLOWS:
        for moment in moments.get(flow, []):
            slot = index.get(period.local_day(moment))
            if slot is not None:
                flows[flow][slot] += 1
    return Trend(days, incidents, flows)


def compute_report(
    facts: ReportFacts, period: Period, platform: str | None, now: datetime
) -> OperationsReport:
    return OperationsReport(
        period=period,
        platform=platform,
        generated_at=now,
        requirements=requirements_section(facts, period),
        incidents=incidents_section(facts, now),
        inspections=InspectionsSection(
            opened=facts.inspections.opened,
            done=facts.inspections.done,
            missed=facts.inspections.missed,
            failed_items=facts.inspections.failed_items,
            late=facts.inspections.late,
        ),
        moderation=moderation_section(facts),
        trend=trend(facts, period),
    )
