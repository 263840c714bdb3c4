"""Moderation in the sandbox page, clicked and typed as a moderator would (issue 7's check).
Screenshots of each step go to artifacts/screenshots/."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import expect

from tests.support.sandbox_browser import (
    BROWSER_MARKS,
    WAIT_MS,
    Steps,
    act_as,
    block_input,
    message,
    modal_of,
    open_channel,
    submit_modal,
    type_command,
)

pytestmark = [*BROWSER_MARKS, pytest.mark.asyncio(loop_scope="module")]


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
