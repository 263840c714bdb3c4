"""`/report` end to end and the report figures checked against counts computed by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.i18n import Translator
from bot.sandbox import validate_blocks
from commands.reports.charts import chart_figure, font_family, render_chart
from domain.access import Actor
from domain.events import DomainEvent, Subject
from domain.people import services as people
from domain.reports.compute import last_complete_period, rolling_period
from domain.reports.models import ReportKind
from domain.reports.services import build_report
from scheduler.reports import post_due_reports
from storage.models.core import EventRow
from tests.support.harness import Harness

MONDAY = datetime(2026, 1, 12, 8, 0, tzinfo=UTC)  # Monday 09:00 in Berlin
SYSTEM = Actor.system("test")


async def record(h: Harness, at: datetime, kind: str, subject: Subject, **data: object) -> None:
    h.clock.set(at)
    async with h.container.uow() as uow:
        uow.record(SYSTEM, DomainEvent(kind, subject, dict(data)))  # type: ignore[arg-type]
        await uow.commit()


def incident(n: int) -> Subject:
    return Subject("incident", n, f"INC-{n}")


def requirement(n: int) -> Subject:
    return Subject("requirement", n, f"REQ-{n}")


async def seed_week(h: Harness) -> dict[str, object]:
    """Activity in the week of Mon 5 Jan – Sun 11 Jan 2026 (Berlin), plus one event before it."""
    day = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    await record(
        h,
        day - timedelta(days=3),
        "incident.declared",
        incident(1),
        severity="SEV3",
        platform="web",
    )
    # INC-2 SEV1: acked after 4 min (within SLA), resolved after 60 min.
    await record(h, day, "incident.declared", incident(2), severity="SEV1", platform="web")
    await record(
        h, day + timedelta(minutes=4), "incident.acknowledged", incident(2), platform="web"
    )
    await record(h, day + timedelta(minutes=60), "incident.resolved", incident(2), platform="web")
    # INC-3 SEV2: acked after 20 min (SLA 15: a breach), still open.
    await record(
        h,
        day + timedelta(days=1),
        "incident.declared",
        incident(3),
        severity="SEV2",
        platform="web",
    )
    await record(
        h, day + timedelta(days=1, minutes=20), "incident.acknowledged", incident(3), platform="web"
    )
    # INC-4 SEV2 on another platform: never acknowledged (breach), open.
    await record(
        h,
        day + timedelta(days=2),
        "incident.declared",
        incident(4),
        severity="SEV2",
        platform="shop",
    )
    # Requirements: REQ-1 submitted, approved 24 h later, design 48 h, development, testing, live.
    await record(h, day, "requirement.submitted", requirement(1), to="approval", platform="web")
    await record(h, day + timedelta(hours=24), "requirement.approved", requirement(1), to="design")
    await record(
        h,
        day + timedelta(hours=72),
        "requirement.stage_changed",
        requirement(1),
        **{"from": "design", "to": "development"},
    )
    await record(
        h,
        day + timedelta(hours=80),
        "requirement.stage_changed",
        requirement(1),
        **{"from": "development", "to": "testing"},
    )
    await record(
        h,
        day + timedelta(hours=90),
        "requirement.stage_changed",
        requirement(1),
        **{"from": "testing", "to": "live"},
    )
    await record(
        h,
        day + timedelta(days=1),
        "requirement.submitted",
        requirement(2),
        to="approval",
        platform="shop",
    )
    await record(h, day + timedelta(days=2), "requirement.rejected", requirement(2), to="rejected")
    # Moderation: a warning, a ban, an appeal handled in 6 hours.
    await record(
        h, day, "moderation.warning_issued", Subject("moderation_case", 1, "CASE-1"), platform="web"
    )
    await record(
        h, day, "moderation.ban_started", Subject("moderation_case", 2, "CASE-2"), platform="web"
    )
    item = Subject("moderation_item", 1, "Q-1")
    await record(h, day + timedelta(hours=1), "moderation.appeal_received", item, platform="web")
    await record(h, day + timedelta(hours=7), "moderation.appeal_decided", item, platform="web")
    return {"day": day}


async def test_report_figures_match_counts_made_by_hand(seeded: Harness) -> None:
    await seed_week(seeded)
    seeded.clock.set(MONDAY)
    period = last_complete_period(ReportKind.WEEKLY, MONDAY, "Europe/Berlin")
    assert period.start == datetime(2026, 1, 4, 23, 0, tzinfo=UTC)
    assert period.end == datetime(2026, 1, 11, 23, 0, tzinfo=UTC)
    async with seeded.container.reader() as uow:
        report = await build_report(uow, SYSTEM, period)
        web_only = await build_report(uow, SYSTEM, period, "web")
    incidents = report.incidents
    assert incidents.declared == 3  # INC-1 was before the week
    assert incidents.by_severity == {"SEV1": 1, "SEV2": 2, "SEV3": 0, "SEV4": 0}
    assert incidents.mtta_minutes == 12.0  # (4 + 20) / 2
    assert incidents.mttr_minutes == 60.0
    assert incidents.sla_breaches == 2  # INC-3 acked late, INC-4 never acked
    assert incidents.resolved == 1
    assert incidents.open_now == 3  # 4 declared − 1 resolved
    assert web_only.incidents.declared == 2 and web_only.incidents.open_now == 2
    web_reqs = web_only.requirements
    assert (web_reqs.submitted, web_reqs.rejected, web_reqs.live) == (1, 0, 1)
    assert web_only.moderation.warnings == 1
    reqs = report.requirements
    assert (reqs.submitted, reqs.approved, reqs.rejected, reqs.live) == (2, 1, 1, 1)
    assert reqs.stage_hours == {
        "approval": 24.0,  # REQ-1 24 h; REQ-2 24 h until rejected
        "design": 48.0,
        "development": 8.0,
        "testing": 10.0,
    }
    moderation = report.moderation
    assert (moderation.warnings, moderation.bans, moderation.appeals) == (1, 1, 1)
    assert moderation.median_handling_hours == 6.0
    assert report.inspections.empty
    assert sum(report.trend.incidents["SEV2"]) == 2 and len(report.trend.days) == 7
    assert report.trend.requirements["live"][4] == 1  # Friday 04:00 in Berlin


async def test_on_demand_preview_is_ephemeral_and_sections_without_data_say_so(
    seeded: Harness,
) -> None:
    seeded.clock.set(MONDAY)
    await seeded.command("UAUDREY", "/report", "now weekly")
    preview = seeded.fake.ephemerals_for("UAUDREY")[-1]
    assert "Weekly operations report" in preview.text
    text = str(preview.blocks)
    assert "No requirement activity in this period." in text
    assert "No incidents in this period" in text and "No inspections" in text
    assert validate_blocks(preview.blocks, "message") == []
    assert seeded.fake.messages_in("CREPORTS") == []
    await seeded.command("UNINA", "/report", "now")
    assert "not allowed" in seeded.fake.ephemerals_for("UNINA")[-1].text


async def test_report_here_posts_in_the_channel_with_a_chart(seeded: Harness) -> None:
    await seed_week(seeded)
    seeded.clock.set(MONDAY)
    await seeded.command("UALICE", "/report", "now weekly here", channel_id="CREPORTS")
    assert "being posted" in seeded.fake.ephemerals_for("UALICE")[-1].text
    posted = [m for m in seeded.fake.messages_in("CREPORTS") if m.blocks]
    assert len(posted) == 1
    assert "Declared *3*" in posted[0].all_text
    assert validate_blocks(posted[0].blocks, "message") == []
    [chart] = [f for f in seeded.fake.files.values() if f.completed]
    assert chart.channels == ["CREPORTS"] and chart.filename.endswith(".png")
    assert chart.content is not None and chart.content.startswith(b"\x89PNG")
    assert len(chart.content) > 20_000  # a real picture, not an empty canvas


async def test_scheduled_report_posts_once_per_tick_even_after_an_outage(seeded: Harness) -> None:
    seeded.clock.set(MONDAY - timedelta(days=3))
    await seeded.command(
        "UALICE",
        "/report",
        'schedule add weekly <#CREPORTS|ops-reports> "monday 09:00" Europe/Berlin',
    )
    added = seeded.fake.ephemerals_for("UALICE")[-1].text
    assert "Schedule *1*" in added and "0 9 * * 1" in added
    await seeded.command("UALICE", "/report", "schedules")
    assert "<#CREPORTS>" in seeded.fake.ephemerals_for("UALICE")[-1].text
    await seeded.command("UALICE", "/report", "schedule add fortnightly <#CREPORTS> daily")
    assert "not a report kind" in seeded.fake.ephemerals_for("UALICE")[-1].text
    await seeded.command("UALICE", "/report", "schedule add daily <#CREPORTS> 99 * * * *")
    assert "not a schedule I understand" in seeded.fake.ephemerals_for("UALICE")[-1].text

    seeded.clock.set(MONDAY - timedelta(minutes=1))
    assert await post_due_reports(seeded.container) == 0
    seeded.clock.set(MONDAY + timedelta(seconds=30))
    assert await post_due_reports(seeded.container) == 1
    assert await post_due_reports(seeded.container) == 0
    await seeded.settle()
    assert len([m for m in seeded.fake.messages_in("CREPORTS") if m.blocks]) == 1
    assert len([f for f in seeded.fake.files.values() if f.completed]) == 1
    # Down for three weeks: exactly one catch-up report when it comes back.
    seeded.clock.set(MONDAY + timedelta(weeks=3, hours=2))
    assert await post_due_reports(seeded.container) == 1
    assert await post_due_reports(seeded.container) == 0
    await seeded.command("UALICE", "/report", "schedule remove 1")
    assert "removed" in seeded.fake.ephemerals_for("UALICE")[-1].text
    seeded.clock.advance(weeks=1)
    assert await post_due_reports(seeded.container) == 0
    async with seeded.container.reader() as uow:
        posted = list(
            await uow.session.scalars(select(EventRow).where(EventRow.type == "report.posted"))
        )
    assert len(posted) == 2


async def test_chinese_reader_gets_chinese_report_and_chart(seeded: Harness) -> None:
    async with seeded.container.uow() as uow:
        await people.grant_role(uow, SYSTEM, "UZHANG", "auditor")
        await uow.commit()
    await seed_week(seeded)
    seeded.clock.set(MONDAY)
    await seeded.command("UZHANG", "/report", "now weekly")
    preview = seeded.fake.ephemerals_for("UZHANG")[-1]
    assert "运营周报" in preview.text and "故障" in str(preview.blocks)
    assert font_family()[0].startswith("Noto Sans CJK")  # the chart can draw Chinese
    async with seeded.container.reader() as uow:
        report = await build_report(
            uow, SYSTEM, rolling_period(ReportKind.WEEKLY, MONDAY, "Asia/Shanghai")
        )
    png = render_chart(report, Translator("zh-CN"))
    assert png.startswith(b"\x89PNG")
    # Posted in a channel, the report (and its chart title) keeps the asker's language.
    await seeded.command("UZHANG", "/report", "now weekly here", channel_id="CREPORTS")
    posted = [m for m in seeded.fake.messages_in("CREPORTS") if m.blocks]
    assert len(posted) == 1 and "运营周报" in posted[0].all_text
    [chart] = [f for f in seeded.fake.files.values() if f.completed]
    assert chart.title.startswith("运营周报")


async def test_a_failed_chart_upload_is_retried_without_posting_the_report_twice(
    seeded: Harness,
) -> None:
    await seed_week(seeded)
    seeded.clock.set(MONDAY)
    seeded.fake.fail_next("files.getUploadURLExternal", "ratelimited", retry_after=1)
    await seeded.command("UALICE", "/report", "now weekly here", channel_id="CREPORTS")
    assert not [f for f in seeded.fake.files.values() if f.completed]
    seeded.clock.advance(seconds=5)
    await seeded.settle()
    posted = [m for m in seeded.fake.messages_in("CREPORTS") if m.blocks]
    assert len(posted) == 1 and posted[0].edits  # updated in place on the retry
    assert len([f for f in seeded.fake.files.values() if f.completed]) == 1


async def test_a_permanent_ban_counts_once_its_second_moderator_confirms_it(
    seeded: Harness,
) -> None:
    day = datetime(2026, 1, 6, 9, 0, tzinfo=UTC)
    permanent, temporary = (Subject("moderation_case", n, f"CASE-{n}") for n in (1, 2))
    await record(seeded, day, "moderation.ban_requested", permanent, platform="web")
    await record(seeded, day, "moderation.ban_confirmed", permanent, platform="web")
    await record(seeded, day, "moderation.ban_started", temporary, platform="web")
    period = last_complete_period(ReportKind.WEEKLY, MONDAY, "Europe/Berlin")
    async with seeded.container.reader() as uow:
        report = await build_report(uow, SYSTEM, period)
    assert report.moderation.bans == 2


async def test_a_quiet_period_charts_whole_numbers(seeded: Harness) -> None:
    seeded.clock.set(MONDAY)
    period = last_complete_period(ReportKind.WEEKLY, MONDAY, "Europe/Berlin")
    async with seeded.container.reader() as uow:
        report = await build_report(uow, SYSTEM, period)
    for axes in chart_figure(report, Translator("en")).axes:
        ticks = list(axes.get_yticks())
        assert ticks and all(tick == int(tick) for tick in ticks), ticks
