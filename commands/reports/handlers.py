"""`/report` subcommands: a preview now (or posted `here`), and schedules per channel."""

from __future__ import annotations

from typing import Any

from commands import blocks as bk
from commands.framework import Caller, SlashCommand, UsageError, channel_to_id, ephemeral
from commands.reports import views
from domain.errors import ValidationFailed
from domain.inspections.schedule import check_timezone
from domain.reports import services as reports
from domain.reports.compute import rolling_period
from domain.reports.models import ReportKind


def attach(command: SlashCommand) -> None:
    command.sub("now", "report.usage.now", reports.VIEW_REPORTS)(now)
    command.sub("schedule", "report.usage.schedule", reports.MANAGE_SCHEDULES)(schedule)
    command.sub("schedules", "report.usage.schedules", reports.VIEW_REPORTS)(schedules)


async def now(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    words = [w.lower() for w in args]
    here = "here" in words
    kinds = [w for w in words if w in {k.value for k in ReportKind}]
    rest = [w for w in words if w != "here" and w not in kinds]
    if len(kinds) > 1 or len(rest) > 1:
        raise UsageError()
    kind = reports.parse_kind(kinds[0] if kinds else "weekly")
    platform = rest[0] if rest else None
    period = rolling_period(kind, caller.container.clock.now(), caller.timezone)
    if here:
        async with caller.uow() as uow:
            await reports.build_report(uow, caller.actor, period, platform)  # checks the input
            await reports.post_report(
                uow, caller.actor, period, body["channel_id"], platform, caller.t.language
            )
            await uow.commit()
        await ack(ephemeral(caller.t("report.posted_here")))
        return
    async with caller.reader() as uow:
        report = await reports.build_report(uow, caller.actor, period, platform)
    text, blocks = views.report_blocks(caller.t, report)
    await ack(ephemeral(text, [*blocks, bk.context(caller.t("report.preview_hint"))]))


async def schedule(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    verb = args[0].lower() if args else ""
    if verb == "remove" and len(args) == 2:
        async with caller.uow() as uow:
            removed = await reports.remove_schedule(uow, caller.actor, args[1])
            await uow.commit()
        await ack(ephemeral(caller.t("report.schedule.removed", number=removed.id)))
        return
    if verb != "add" or len(args) < 4:
        raise UsageError()
    channel = channel_to_id(args[2])
    if channel is None:
        raise UsageError("report.errors.channel", word=args[2])
    cron_words, timezone = args[3:], None
    if len(cron_words) > 1:
        try:
            timezone = check_timezone("timezone", cron_words[-1])
            cron_words = cron_words[:-1]
        except ValidationFailed:
            timezone = None
    async with caller.uow() as uow:
        added = await reports.add_schedule(
            uow,
            caller.actor,
            args[1],
            channel,
            " ".join(cron_words),
            timezone,
            caller.timezone,
            caller.t.language,
        )
        await uow.commit()
    await ack(
        ephemeral(
            caller.t(
                "report.schedule.added",
                number=added.id,
                kind=caller.t(f"report.kind.{added.kind.value}"),
                channel=bk.channel(added.channel_id),
                cron=added.cron,
                timezone=added.timezone,
                next=bk.slack_date(added.next_run_at) if added.next_run_at else "—",
            )
        )
    )


async def schedules(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    async with caller.reader() as uow:
        found = await reports.list_schedules(uow, caller.actor)
    await ack(ephemeral(views.schedules_text(caller.t, found)))
