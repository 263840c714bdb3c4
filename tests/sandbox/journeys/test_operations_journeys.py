"""Incidents, inspections and reports in the sandbox page, as operators would use them (issue 7's
check). Screenshots of each step go to artifacts/screenshots/."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.async_api import expect

from domain.inspections.ports import RunFilter
from scheduler.inspections import open_due_inspections
from scheduler.jobs import sweep_deadlines
from tests.support.sandbox_browser import (
    BROWSER_MARKS,
    WAIT_MS,
    Steps,
    act_as,
    block_input,
    message,
    modal_of,
    open_app,
    open_channel,
    pinned,
    submit_modal,
    type_command,
)
from tests.support.sandbox_server import SandboxServer

pytestmark = [*BROWSER_MARKS, pytest.mark.asyncio(loop_scope="module")]


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
