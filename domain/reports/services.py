"""Operations reports on demand and on schedules (SPEC §5.3, Art. 8 operations reports)."""

from __future__ import annotations

from datetime import datetime

from domain.access import Actor, Permission, Role
from domain.errors import NotFound, ValidationFailed
from domain.events import ChannelRecipient, DomainEvent, JSONDict, Notice, Subject
from domain.inspections.schedule import Schedule, check_timezone, parse_cron
from domain.reports.compute import compute_report, last_complete_period
from domain.reports.models import OperationsReport, Period, ReportKind
from domain.reports.ports import ReportSchedule, ReportsUnitOfWork

VIEW_REPORTS = Permission(
    "reports.view", roles=(Role.ADMIN, Role.AUDITOR, Role.OPERATOR), scope="reports:read"
)
MANAGE_SCHEDULES = Permission("reports.schedule", roles=(Role.ADMIN, Role.OPERATOR), scope="admin")
REPORT_TEMPLATE = "report.operations"
MAX_SPAN_DAYS = 366


def parse_kind(text: str | None, field: str = "kind") -> ReportKind:
    try:
        return ReportKind((text or "weekly").strip().lower())
    except ValueError:
        raise ValidationFailed.single(
            field, "errors.report.kind", kind=text, kinds=", ".join(k.value for k in ReportKind)
        ) from None


async def build_report(
    uow: ReportsUnitOfWork, actor: Actor, period: Period, platform: str | None = None
) -> OperationsReport:
    actor.require(VIEW_REPORTS)
    if period.end <= period.start:
        raise ValidationFailed.single("to", "errors.report.range")
    if (period.end - period.start).days > MAX_SPAN_DAYS:
        raise ValidationFailed.single("to", "errors.report.too_long", days=MAX_SPAN_DAYS)
    target = None
    if platform:
        target = await uow.org.find_platform(platform.strip().lower())
        if target is None:
            raise NotFound("errors.platform.not_found", platform=platform)
    now = uow.now()
    facts = await uow.reports.facts(period.start, period.end, now, target)
    return compute_report(facts, period, target.key if target else None, now)


def report_notice(
    channel_id: str,
    period: Period,
    platform: str | None,
    ref: str | None = None,
    language: str | None = None,
) -> Notice:
    """Post a report to a channel. It is rendered (and its chart drawn) at delivery, in
    `language` (a channel has no language of its own; default: PLATOPS_LOCALE)."""
    params: JSONDict = {
        "kind": period.kind.value,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "timezone": period.timezone,
        "platform": platform,
        "language": language,
    }
    return Notice(REPORT_TEMPLATE, ChannelRecipient(channel_id), None, ref, params)


async def post_report(
    uow: ReportsUnitOfWork,
    actor: Actor,
    period: Period,
    channel_id: str,
    platform: str | None,
    language: str | None = None,
) -> None:
    """`/report now … here`: the same report, posted in the channel for everyone."""
    actor.require(VIEW_REPORTS)
    # A ref: a retried delivery (say the chart upload failed) updates the message, never
    # posts it twice; asking twice in the same instant posts one report.
    ref = f"report:{channel_id}:{period.kind.value}:{_stamp(period.start)}:{_stamp(period.end)}"
    uow.notify(report_notice(channel_id, period, platform, ref, language))
    uow.record(
        actor,
        DomainEvent(
            "report.posted",
            None,
            {
                "kind": period.kind.value,
                "channel_id": channel_id,
                "start": period.start.isoformat(),
            },
            webhook=False,
        ),
    )


def _subject(schedule: ReportSchedule) -> Subject:
    assert schedule.id is not None
    return Subject("report_schedule", schedule.id, f"schedule-{schedule.id}")


async def add_schedule(
    uow: ReportsUnitOfWork,
    actor: Actor,
    kind: str,
    channel_id: str | None,
    cron: str,
    timezone: str | None,
    default_timezone: str = "UTC",
    language: str | None = None,
) -> ReportSchedule:
    actor.require(MANAGE_SCHEDULES)
    report_kind = parse_kind(kind)
    if not channel_id:
        raise ValidationFailed.single("channel", "errors.report.channel")
    schedule = ReportSchedule(
        id=None,
        kind=report_kind,
        channel_id=channel_id,
        cron=parse_cron("cron", cron),
        timezone=check_timezone("timezone", timezone or default_timezone),
        created_by=actor.id_for_audit,
        created_at=uow.now(),
        language=language,
    )
    schedule.next_run_at = Schedule(schedule.cron, schedule.timezone).next_after(uow.now())
    schedule = await uow.reports.add_schedule(schedule)
    uow.record(
        actor,
        DomainEvent(
            "report.schedule_added",
            _subject(schedule),
            {
                "kind": report_kind.value,
                "channel_id": channel_id,
                "cron": schedule.cron,
                "timezone": schedule.timezone,
            },
            webhook=False,
        ),
    )
    return schedule


async def list_schedules(uow: ReportsUnitOfWork, actor: Actor) -> list[ReportSchedule]:
    actor.require(VIEW_REPORTS)
    return [s for s in await uow.reports.list_schedules() if s.active]


async def remove_schedule(uow: ReportsUnitOfWork, actor: Actor, number: str) -> ReportSchedule:
    actor.require(MANAGE_SCHEDULES)
    word = number.strip().lstrip("#")
    schedule = await uow.reports.get_schedule(int(word)) if word.isdigit() else None
    if schedule is None or not schedule.active:
        raise NotFound("errors.report.schedule_not_found", number=number)
    schedule.active, schedule.next_run_at = False, None
    await uow.reports.save_schedule(schedule)
    uow.record(
        actor,
        DomainEvent(
            "report.schedule_removed",
            _subject(schedule),
            {"kind": schedule.kind.value, "channel_id": schedule.channel_id},
            webhook=False,
        ),
    )
    return schedule


async def post_scheduled_report(uow: ReportsUnitOfWork, schedule_id: int) -> ReportSchedule | None:
    """Post the report a schedule owes, once per tick (a restart after an outage posts the
    latest one once). None when nothing was owed or another worker took it."""
    now = uow.now()
    schedule = await uow.reports.get_schedule(schedule_id)
    if (
        schedule is None
        or schedule.id is None
        or not schedule.active
        or schedule.next_run_at is None
        or schedule.next_run_at > now
    ):
        return None
    expected = schedule.next_run_at
    following = Schedule(schedule.cron, schedule.timezone).next_after(now)
    if not await uow.reports.claim_schedule(schedule.id, expected, following):
        return None
    schedule.next_run_at, schedule.last_run_at = following, now
    period = last_complete_period(schedule.kind, now, schedule.timezone)
    ref = f"report:{schedule.id}:{_stamp(expected)}"
    uow.notify(report_notice(schedule.channel_id, period, None, ref, schedule.language))
    uow.record(
        Actor.system("scheduler"),
        DomainEvent(
            "report.posted",
            _subject(schedule),
            {
                "kind": schedule.kind.value,
                "channel_id": schedule.channel_id,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
            },
            webhook=False,
        ),
    )
    return schedule


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")
