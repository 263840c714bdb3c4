"""Operations reports (Art. 8): periods, the facts fetched for one, and the computed report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
# SPEC §5.2 defaults; a breach is an incident not acknowledged within its severity's SLA.
ACK_SLA_MINUTES = {"SEV1": 5, "SEV2": 15, "SEV3": 60, "SEV4": 240}
STAGES = ("approval", "changes_requested", "design", "development", "testing")
FLOWS = ("submitted", "approved", "live")


class ReportKind(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


@dataclass(frozen=True)
class Period:
    kind: ReportKind
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive
    timezone: str

    def days(self) -> list[date]:
        """The local calendar days the period touches, for daily trend lines."""
        zone = ZoneInfo(self.timezone)
        first = self.start.astimezone(zone).date()
        last = (self.end - timedelta(microseconds=1)).astimezone(zone).date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(ZoneInfo(self.timezone)).date()


@dataclass(frozen=True, slots=True)
class Transition:
    """A requirement entered `stage` at `at` (from submitted/approved/stage_changed… events)."""

    subject_id: int
    stage: str
    at: datetime


@dataclass(frozen=True, slots=True)
class DeclaredIncident:
    subject_id: int
    at: datetime
    severity: str


@dataclass(frozen=True)
class InspectionCounts:
    opened: int = 0
    done: int = 0
    missed: int = 0
    failed_items: int = 0
    late: int = 0


@dataclass
class ReportFacts:
    """Everything a report is computed from, fetched by indexed queries (see storage)."""

    counts: dict[str, int] = field(default_factory=dict)  # event type → count in the period
    live_at: list[datetime] = field(default_factory=list)  # requirement went live
    flows: dict[str, list[datetime]] = field(default_factory=dict)  # submitted/approved times
    transitions: list[Transition] = field(default_factory=list)
    incidents: list[DeclaredIncident] = field(default_factory=list)
    first_ack: dict[int, datetime] = field(default_factory=dict)
    first_resolve: dict[int, datetime] = field(default_factory=dict)
    incident_totals: dict[str, int] = field(default_factory=dict)  # all time, up to now
    handled: list[tuple[datetime, datetime]] = field(default_factory=list)  # moderation items
    inspections: InspectionCounts = field(default_factory=InspectionCounts)


@dataclass(frozen=True)
class RequirementsSection:
    submitted: int
    approved: int
    rejected: int
    changes_requested: int
    withdrawn: int
    live: int
    stage_hours: dict[str, float]  # median hours spent in a stage, for stages left in the period

    @property
    def empty(self) -> bool:
        return not any((self.submitted, self.approved, self.rejected, self.live, self.stage_hours))


@dataclass(frozen=True)
class IncidentsSection:
    declared: int
    by_severity: dict[str, int]
    mtta_minutes: float | None
    mttr_minutes: float | None
    mtta_by_severity: dict[str, float | None]
    mttr_by_severity: dict[str, float | None]
    sla_breaches: int
    resolved: int
    open_now: int

    @property
    def empty(self) -> bool:
        return not (self.declared or self.resolved or self.open_now)


@dataclass(frozen=True)
class InspectionsSection:
    opened: int
    done: int
    missed: int
    failed_items: int
    late: int

    @property
    def empty(self) -> bool:
        return not (self.opened or self.done or self.missed)


@dataclass(frozen=True)
class ModerationSection:
    warnings: int
    bans: int
    bans_lifted: int
    appeals: int
    appeals_decided: int
    reports: int
    median_handling_hours: float | None

    @property
    def empty(self) -> bool:
        return (
            not any((self.warnings, self.bans, self.bans_lifted, self.appeals, self.reports))
            and self.median_handling_hours is None
        )


@dataclass(frozen=True)
class Trend:
    days: list[date]
    incidents: dict[str, list[int]]  # severity → declared per day
    requirements: dict[str, list[int]]  # submitted/approved/live → per day


@dataclass(frozen=True)
class OperationsReport:
    period: Period
    platform: str | None
    generated_at: datetime
    requirements: RequirementsSection
    incidents: IncidentsSection
    inspections: InspectionsSection
    moderation: ModerationSection
    trend: Trend
