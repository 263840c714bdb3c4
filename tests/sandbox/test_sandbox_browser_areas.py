"""Every area's flows in the sandbox page, in a real headless Chromium, clicked and typed into as
a person would (issue 7's check): one realistic journey per area against one `platops serve`
in sandbox mode shared by the module. Screenshots of each step go to artifacts/screenshots/."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio
from playwright.async_api import expect

from domain.inspections.ports import RunFilter
from scheduler.inspections import open_due_inspections
from scheduler.jobs import sweep_deadlines
from tests.support.databases import sqlite_copy
from tests.support.sandbox_browser import (
    BROWSER_MARKS,
    WAIT_MS,
    Steps,
    act_as,
    block_input,
    launched_browser,
    message,
    open_app,
    open_channel,
    sandbox_page,
    type_command,
)
from tests.support.sandbox_server import SandboxServer, sandbox_server

pytestmark = [*BROWSER_MARKS, pytest.mark.asyncio(loop_scope="module")]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server(
    sqlite_template: Any, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[SandboxServer]:
    url = sqlite_copy(sqlite_template, tmp_path_factory.mktemp("sandbox-areas"))
    async with sandbox_server(url) as running:
        yield running


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Any]:
    async with launched_browser() as launched:
        yield launched


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Any, server: SandboxServer) -> AsyncIterator[Any]:
    async with sandbox_page(browser, server.url) as opened:
        yield opened


def modal_of(page: Any) -> Any:
    return page.locator(".modal")


async def submit_modal(page: Any) -> None:
    await modal_of(page).locator("[data-modal=submit]").click()
    await expect(modal_of(page)).to_have_count(0, timeout=WAIT_MS)


async def pinned(found: Any) -> Any:
    """The one message `found` matches now, followed by its ts even after its text changes."""
    await expect(found).to_have_count(1, timeout=WAIT_MS)
    ts = await found.get_attribute("data-ts")
    return found.page.locator(f"#content article.message[data-ts='{ts}']")


# ---- moderation -----------------------------------------------------------------------------


async def warn(page: Any, steps: Steps | None, rule: str | None = None) -> None:
    await type_command(page, "/mod warn web:u123")
    modal = modal_of(page)
    await expect(modal.locator(".modal-header h2")).to_have_text("Warn a user", timeout=WAIT_MS)
    notice = block_input(modal, "notice_text", "textarea")
    if rule is not None:
        # The rule select dispatches its action: the bot replaces the view and the preset
        # notice for the new rule fills the text box.
        await expect(notice).not_to_have_value("")
        await block_input(modal, "rule", "select").select_option(rule)
        await expect(notice).to_have_value(re.compile("fraudulent"), timeout=WAIT_MS)
    await block_input(modal, "evidence", "textarea").fill("Screenshot of the listing")
    if steps is not None:
        await steps.shot("warn-modal-rule-picked")
    await submit_modal(page)


async def test_moderation_warnings_ladder_four_eyes_ban_and_history(page: Any) -> None:
    steps = Steps(page, "moderation")
    await act_as(page, "UMONA")
    await open_channel(page, "CMODLOG")
    await warn(page, steps, rule="fraud")
    first = message(page, "CASE-1 · Warning")
    await expect(first).to_have_count(1, timeout=WAIT_MS)
    await expect(first).to_contain_text("Fraud")
    await steps.shot("first-warning-card")

    await warn(page, None)
    await warn(page, None)
    third = message(page, "CASE-3 · Warning")
    await expect(third).to_contain_text("3 active warnings", timeout=WAIT_MS)
    await expect(third.locator("[data-action-id='mod.apply_proposal']")).to_have_text("Ban 7 days")
    await steps.shot("third-warning-proposes-a-ban")

    await type_command(page, "/mod ban web:u123")
    modal = modal_of(page)
    await expect(modal.locator(".modal-header h2")).to_have_text("Ban a user", timeout=WAIT_MS)
    await modal.locator("[data-block-id=ban_type] input[value=permanent]").check()
    await block_input(modal, "reason", "textarea").fill("Three frauds in a week")
    await modal.locator("[data-block-id=pursue] input[value=yes]").check()
    await steps.shot("ban-modal")
    await submit_modal(page)
    ban = message(page, "CASE-4 · Permanent ban")
    await expect(ban).to_contain_text("waiting for a second moderator", timeout=WAIT_MS)
    await steps.shot("permanent-ban-pending")

    # Mona may not confirm her own ban: the click answers only to her and changes nothing.
    await ban.locator("[data-action-id='mod.confirm']").click()
    await expect(page.locator("#content article.message.ephemeral").last).to_be_visible(
        timeout=WAIT_MS
    )
    await expect(ban).to_contain_text("waiting for a second moderator")

    await act_as(page, "UMIKE")
    await open_channel(page, "CMODLOG")
    ban = message(page, "CASE-4 · Permanent ban")
    await ban.locator("[data-action-id='mod.confirm']").click()
    await expect(ban).to_contain_text("confirmed by", timeout=WAIT_MS)
    await expect(ban.locator("[data-action-id='mod.confirm']")).to_have_count(0)
    await expect(ban.locator(".edited")).to_be_visible()
    await steps.shot("ban-confirmed-by-the-second-moderator")

    await type_command(page, "/mod history web:u123")
    history = page.locator("#content article.message.ephemeral", has_text="History of web:u123")
    await expect(history).to_have_count(1, timeout=WAIT_MS)
    await expect(history).to_contain_text("Banned permanently")
    await expect(history).to_contain_text("Active warnings: 3")
    await steps.shot("history")


async def test_a_temporary_ban_until_a_time_picked_in_the_moderators_zone(page: Any) -> None:
    steps = Steps(page, "moderation-temporary-ban")
    await act_as(page, "UMONA")  # Europe/Berlin
    await open_channel(page, "CMODLOG")
    await type_command(page, "/mod ban web:u456")
    modal = modal_of(page)
    await expect(modal.locator(".modal-header h2")).to_have_text("Ban a user", timeout=WAIT_MS)
    await expect(modal.locator("[data-block-id=ban_type] input[value=temporary]")).to_be_checked()
    await block_input(modal, "reason", "textarea").fill("Spam wave")
    await modal.locator("[data-modal=submit]").click()
    until_error = modal.locator("[data-block-id=until] .input-error")
    await expect(until_error).not_to_be_empty(timeout=WAIT_MS)
    await steps.shot("until-missing")

    berlin = datetime.now(ZoneInfo("Europe/Berlin")) + timedelta(days=10)
    until = berlin.replace(hour=10, minute=0, second=0, microsecond=0)
    await block_input(modal, "until").fill(until.strftime("%Y-%m-%dT%H:%M"))
    await submit_modal(page)
    ban = message(page, "Temporary ban").filter(has_text="web:u456")
    await expect(ban).to_have_count(1, timeout=WAIT_MS)
    # Picked in Mona's zone; the platform's user is told the same instant as a plain UTC time.
    await expect(ban).to_contain_text(until.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    await expect(ban.locator("time").first).to_be_visible()
    await steps.shot("temporary-ban-card")


# ---- incidents ------------------------------------------------------------------------------


async def test_incident_declared_by_modal_acknowledged_resolved_and_reviewed(page: Any) -> None:
    steps, title = Steps(page, "incident-lifecycle"), "Search returns nothing"
    await act_as(page, "UOSCAR")
    await open_channel(page, "CWEBOPS")
    await type_command(page, "/incident declare")
    modal = modal_of(page)
    await expect(modal.locator(".modal-header h2")).to_have_text(
        "Declare an incident", timeout=WAIT_MS
    )
    await block_input(modal, "title").fill(title)
    await block_input(modal, "platform", "select").select_option("web")
    await block_input(modal, "severity", "select").select_option("SEV2")
    await block_input(modal, "description", "textarea").fill("Every query answers 0 results.")
    await modal.locator("[data-modal=submit]").click()
    # The bot answers the submission with response_action "update": the same modal says done.
    await expect(modal).to_contain_text("is declared and posted in", timeout=WAIT_MS)
    await steps.shot("declared-modal-updated")
    await modal.locator("[data-modal=close]").click()
    await expect(modal).to_have_count(0, timeout=WAIT_MS)

    card = await pinned(message(page, title).filter(has=page.locator("[data-action-id]")))
    await expect(card).to_contain_text("Triggered")
    await card.locator("[data-action-id='inc.ack']").click()
    await expect(card).to_contain_text("Acknowledged", timeout=WAIT_MS)
    await card.locator("[data-action-id='inc.resolve']").click()
    resolve = modal_of(page)
    await expect(resolve.locator(".modal-header h2")).to_have_text(
        "Resolve incident", timeout=WAIT_MS
    )
    await block_input(resolve, "summary", "textarea").fill("Reindexed the catalogue.")
    await submit_modal(page)
    await expect(card).to_contain_text("Resolved", timeout=WAIT_MS)
    await expect(card).to_contain_text("Post-incident review")  # SEV2 owes one
    await steps.shot("resolved-review-owed")

    await card.locator("[data-action-id='inc.review']").click()
    review = modal_of(page)
    await expect(review.locator(".modal-header h2")).to_have_text(
        "Post-incident review", timeout=WAIT_MS
    )
    await block_input(review, "summary", "textarea").fill("Index job failed silently.")
    await block_input(review, "root_cause", "textarea").fill("No alert on the index job.")
    await block_input(review, "actions", "textarea").fill("Alert on index age\nRunbook")
    await submit_modal(page)
    await expect(card).to_contain_text("No alert on the index job.", timeout=WAIT_MS)
    await expect(card.locator("[data-action-id='inc.review']")).to_have_count(0)
    await steps.shot("review-recorded")


# ---- inspections and reports ----------------------------------------------------------------

PLAN_NAME = "Payments gateway check"


class ShiftedClock:
    """Real time, moved forward so that it reads `start` now and keeps running from there."""

    def __init__(self, start: datetime) -> None:
        self.offset = start - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


async def open_due_runs_at_next_tick(server: SandboxServer) -> None:
    """The scheduler's own job, run against the live app once the plan's time has come: the
    app's clock is moved just past the next run time (the sandbox has no waiting a day)."""
    container = server.container
    async with container.reader() as uow:
        plan = await uow.inspections.find_plan_by_name(PLAN_NAME)
    assert plan is not None and plan.next_due_at is not None
    container.clock = ShiftedClock(plan.next_due_at + timedelta(seconds=30))
    assert await open_due_inspections(container) >= 1


async def test_inspection_plan_run_failed_item_incident_and_report(
    page: Any, server: SandboxServer
) -> None:
    steps = Steps(page, "inspection")
    await act_as(page, "UOSCAR")
    await open_channel(page, "CWEBOPS")
    await type_command(page, "/inspect plan new")
    modal = modal_of(page)
    await expect(modal.locator(".modal-header h2")).to_have_text(
        "New inspection plan", timeout=WAIT_MS
    )
    await block_input(modal, "name").fill(PLAN_NAME)
    await block_input(modal, "platform", "select").select_option("web")
    await block_input(modal, "checklist", "textarea").fill(
        "Test payment succeeds\nRefund reaches the card\nWebhook latency under 2 s"
    )
    await block_input(modal, "cron").fill("every blue moon")
    await block_input(modal, "assignee", "select").select_option("UOSCAR")
    await block_input(modal, "channel", "select").select_option("CWEBOPS")
    await modal.locator("[data-modal=submit]").click()
    cron_error = modal.locator("[data-block-id=cron] .input-error")
    await expect(cron_error).to_contain_text("not a schedule I understand", timeout=WAIT_MS)
    await expect(block_input(modal, "name")).to_have_value(PLAN_NAME)
    await steps.shot("plan-modal-schedule-error")
    await block_input(modal, "cron").fill("daily 08:00")
    await submit_modal(page)
    await open_app(page)
    await expect(message(page, f"Inspection plan {PLAN_NAME}")).to_contain_text(
        "saved", timeout=WAIT_MS
    )
    await steps.shot("plan-saved-dm")

    await open_channel(page, "CWEBOPS")
    original_clock = server.container.clock
    try:
        await open_due_runs_at_next_tick(server)
        # No reload: the page hears the scheduler's post on its event stream.
        reminder = await pinned(message(page, PLAN_NAME))
        await steps.shot("run-opened-by-the-scheduler")

        # Nobody starts it within the grace period: the deadline sweep reminds the assignee
        # in a DM with a snooze menu, and the channel's reminder says it is overdue.
        async with server.container.reader() as uow:
            plan = await uow.inspections.find_plan_by_name(PLAN_NAME)
            assert plan is not None
            (run,) = await uow.inspections.list_runs(RunFilter(plan_id=plan.id))
        server.container.clock = ShiftedClock(run.due_at + timedelta(seconds=30))
        assert await sweep_deadlines(server.container) >= 1
        await expect(reminder).to_contain_text("grace period has passed", timeout=WAIT_MS)
        await open_app(page)
        overdue = await pinned(message(page, "is not done yet"))
        await overdue.locator("select[data-action-id='deadline.snooze']").select_option(
            label="1 hour"
        )
        snoozed = page.locator("#content article.message.ephemeral", has_text="Snoozed")
        await expect(snoozed).to_have_count(1, timeout=WAIT_MS)
        # The menu still shows the choice after the page redraws, as Slack's client does.
        snooze_menu = overdue.locator("select[data-action-id='deadline.snooze']")
        await expect(snooze_menu).to_have_value(re.compile(":1h$"))
        await steps.shot("overdue-reminder-snoozed")
        await overdue.locator("[data-action-id='inspect.start']").click()
        checklist = modal_of(page)
        await expect(checklist.locator("[data-block-id=item_0]")).to_be_visible(timeout=WAIT_MS)
        await checklist.locator("[data-block-id=item_0] input[value=pass]").check()
        await checklist.locator("[data-block-id=item_1] input[value=fail]").check()
        await block_input(checklist, "note_1").fill("Refund stuck in pending for 20 min")
        await checklist.locator("[data-block-id=item_2] input[value=pass]").check()
        await steps.shot("checklist")
        await submit_modal(page)
        await open_channel(page, "CWEBOPS")

        result = await pinned(
            message(page, "1 of 3 items failed").filter(
                has=page.locator("[data-action-id='inspect.open_incident']")
            )
        )
        await expect(reminder).to_contain_text("Completed by")  # the reminder, in place
        await expect(reminder.locator("[data-action-id='inspect.start']")).to_have_count(0)
        await steps.shot("result-with-open-incident")
        await result.locator("[data-action-id='inspect.open_incident']").click()
        incident = modal_of(page)
        title = block_input(incident, "title")
        await expect(title).to_have_value(
            f"{PLAN_NAME}: Refund reaches the card failed", timeout=WAIT_MS
        )
        await expect(block_input(incident, "description", "textarea")).to_have_value(
            re.compile("Note: Refund stuck in pending")
        )
        await block_input(incident, "severity", "select").select_option("SEV2")
        await steps.shot("incident-modal-prefilled")
        await submit_modal(page)
        card = message(page, "Refund reaches the card failed").filter(
            has=page.locator("[data-action-id='inc.ack']")
        )
        await expect(card).to_have_count(1, timeout=WAIT_MS)
        await expect(card).to_contain_text("SEV2")
        await expect(result).to_contain_text("Incident opened: INC-", timeout=WAIT_MS)
        await expect(result.locator("[data-action-id='inspect.open_incident']")).to_have_count(0)
        await steps.shot("incident-declared")

        await open_channel(page, "CREPORTS")
        await type_command(page, "/report now weekly here")
        report = message(page, "Weekly operations report")
        await expect(report).to_have_count(1, timeout=WAIT_MS)
        await expect(report).to_contain_text("Opened 1 · done 1 ·")
        await expect(report).to_contain_text("failed items 1")
        # Uploaded after the message, as its own post in the channel, as Slack shows a file.
        chart = page.locator("#content img.file-image[alt^='Chart of Weekly operations report']")
        await expect(chart).to_be_visible(timeout=WAIT_MS)
        await page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=await chart.element_handle()
        )
        await steps.shot("weekly-report-with-chart")
    finally:
        server.container.clock = original_clock


# ---- requirements ---------------------------------------------------------------------------


async def submit_requirement(page: Any, title: str) -> None:
    await type_command(page, "/req new")
    modal = modal_of(page)
    await expect(block_input(modal, "title")).to_be_visible(timeout=WAIT_MS)
    await block_input(modal, "title").fill(title)
    await block_input(modal, "description", "textarea").fill("Show stock per store.")
    await block_input(modal, "justification", "textarea").fill("Fewer wasted trips.")
    await block_input(modal, "priority", "select").select_option("medium")
    await block_input(modal, "wanted_by").fill("2099-03-01")
    await submit_modal(page)


async def test_requirement_through_every_stage_with_app_home_queues(page: Any) -> None:
    steps, title = Steps(page, "requirement-stages"), "Store stock on product pages"
    await act_as(page, "UBOB")
    await open_channel(page, "CMARKETING")
    await submit_requirement(page, title)
    card = await pinned(message(page, title))
    await expect(card).to_contain_text("Awaiting approval", timeout=WAIT_MS)

    # The approver's queue on the App Home, approved from there.
    await act_as(page, "UCAROL")
    await open_app(page, "home")
    queue = page.locator("#content .block.section", has_text=title)
    await expect(queue).to_contain_text("from @bob", timeout=WAIT_MS)
    await expect(page.locator("#content")).to_contain_text("Waiting for my approval (1)")
    await steps.shot("approver-app-home-queue")
    await queue.locator("[data-action-id='req.approve']").click()
    await expect(queue).to_have_count(0, timeout=WAIT_MS)  # the home is published again
    await steps.shot("approver-app-home-emptied")

    await act_as(page, "UBOB")
    await open_app(page, "home")
    mine = page.locator("#content .block.section", has_text=title)
    await expect(mine).to_contain_text("Design", timeout=WAIT_MS)
    await steps.shot("submitter-app-home-my-requests")

    await act_as(page, "UERIN")
    await open_channel(page, "CMARKETING")
    card = await pinned(message(page, title))
    # Withdraw asks first; cancelling it changes nothing.
    await card.locator("[data-action-id='req.withdraw']").click()
    confirm = page.locator(".confirm")
    await expect(confirm).to_contain_text("will be closed as withdrawn")
    await steps.shot("withdraw-asks-first")
    await confirm.get_by_role("button", name="Cancel").click()
    await expect(confirm).to_have_count(0)

    await card.get_by_role("button", name="Start development").click()
    await expect(card).to_contain_text("Development", timeout=WAIT_MS)
    await card.get_by_role("button", name="Start testing").click()
    await expect(card.locator("[data-action-id='req.test']")).to_be_visible(timeout=WAIT_MS)
    await expect(card.get_by_role("button", name="Go live")).to_have_count(0)
    await steps.shot("testing")

    # A failed test sends it back to development; a passing one opens the way to live.
    await record_test(page, card, "fail", "Stock is wrong for closed stores")
    await expect(card.get_by_role("button", name="Start testing")).to_be_visible(timeout=WAIT_MS)
    await steps.shot("failed-test-back-to-development")
    await card.get_by_role("button", name="Start testing").click()
    await record_test(page, card, "pass", "https://ci.example.com/runs/118 all green")
    await expect(card.get_by_role("button", name="Go live")).to_be_visible(timeout=WAIT_MS)
    await card.get_by_role("button", name="Go live").click()
    await expect(card).to_contain_text("Live", timeout=WAIT_MS)
    await expect(card.locator(".block.actions button")).to_have_count(0)
    await steps.shot("live")

    await act_as(page, "UBOB")
    await open_app(page, "home")
    await expect(page.locator("#content .block.section", has_text=title)).to_contain_text(
        "Live", timeout=WAIT_MS
    )
    await open_app(page)
    await expect(message(page, title).last).to_contain_text("is live", timeout=WAIT_MS)
    await steps.shot("submitter-told")


async def record_test(page: Any, card: Any, result: str, evidence: str) -> None:
    await card.locator("[data-action-id='req.test']").click()
    modal = modal_of(page)
    await expect(modal.locator(".modal-header h2")).to_have_text(
        "Record test result", timeout=WAIT_MS
    )
    await modal.locator(f"[data-block-id=result] input[value={result}]").check()
    await block_input(modal, "evidence", "textarea").fill(evidence)
    await submit_modal(page)


# ---- language -------------------------------------------------------------------------------


async def test_a_chinese_operator_sees_chinese_modals_messages_and_reports(page: Any) -> None:
    steps = Steps(page, "zh-CN-operator")
    await act_as(page, "UOLIVIA")
    await expect(page.locator("#channels-title")).to_have_text("频道")
    # Chinese glyphs come from the font the server ships, not from whatever the machine has.
    await page.wait_for_function(
        "document.fonts.ready.then(() => [...document.fonts].some("
        "f => f.family.includes('Sandbox CJK') && f.status === 'loaded'))"
    )
    await open_channel(page, "CWEBOPS")
    await type_command(page, "/inspect plan new")
    modal = modal_of(page)
    await expect(modal.locator(".modal-header h2")).to_have_text("新建巡检计划", timeout=WAIT_MS)
    await expect(modal.locator("[data-modal=submit]")).to_have_text("保存")
    await expect(modal.locator("[data-block-id=name] .input-label")).to_have_text("名称")
    await block_input(modal, "name").fill("支付网关夜检")
    await block_input(modal, "platform", "select").select_option("web")
    await block_input(modal, "checklist", "textarea").fill("测试支付成功\n退款到账")
    # Her own timezone is the plan's default.
    await expect(block_input(modal, "timezone")).to_have_value("Asia/Shanghai")
    await steps.shot("plan-modal")
    await submit_modal(page)
    await open_app(page)
    await expect(message(page, "支付网关夜检")).to_contain_text("已保存", timeout=WAIT_MS)
    await steps.shot("plan-saved-dm")

    await open_channel(page, "CREPORTS")
    await type_command(page, "/report now daily here")
    answer = page.locator("#content article.message.ephemeral")
    await expect(answer).to_contain_text("报告正在连同图表发布到本频道", timeout=WAIT_MS)
    report = message(page, "运营日报")
    await expect(report).to_have_count(1, timeout=WAIT_MS)
    await expect(report).to_contain_text("🚨 故障")
    chart = page.locator("#content img.file-image").last
    await expect(chart).to_be_visible(timeout=WAIT_MS)
    await expect(chart).to_have_attribute("alt", re.compile("运营日报"))
    await steps.shot("report-in-chinese")

    await open_app(page, "home")
    await expect(page.locator("#tabs [data-tab=home]")).to_have_text("主页")
    await expect(page.locator("#content .blocks")).to_be_visible(timeout=WAIT_MS)
    await steps.shot("app-home")
