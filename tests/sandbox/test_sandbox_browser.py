"""The sandbox page in a real headless Chromium (Debian's `chromium`), clicked and typed into as a
person would, against `platops serve` in sandbox mode. A screenshot of each step is saved under
artifacts/screenshots/."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from domain.access import Actor
from domain.apikeys.services import create_api_key
from tests.support.sandbox_browser import (
    BROWSER_MARKS,
    WAIT_MS,
    Steps,
    act_as,
    launched_browser,
    sandbox_page,
    type_command,
)
from tests.support.sandbox_server import SandboxServer, sandbox_server

pytestmark = BROWSER_MARKS


@pytest.fixture
async def sandbox(sqlite_url: str) -> AsyncIterator[SandboxServer]:
    async with sandbox_server(sqlite_url) as server:
        yield server


@pytest.fixture
async def browser_page(sandbox: SandboxServer) -> AsyncIterator[Any]:
    async with launched_browser() as browser, sandbox_page(browser, sandbox.url) as page:
        yield page


async def test_submit_a_requirement_and_approve_it_from_the_dm(browser_page: Any) -> None:
    from playwright.async_api import expect

    page, steps = browser_page, Steps(browser_page, "requirement")
    await act_as(page, "UBOB")
    await page.click("#channel-list [data-channel=CMARKETING]")
    await page.fill("#composer-input", "/re")
    await expect(page.locator("#suggestions [data-command='/req']")).to_be_visible()
    await type_command(page, "/req new")
    modal = page.locator(".modal")
    await expect(modal).to_be_visible(timeout=WAIT_MS)
    await expect(modal.locator(".modal-header h2")).to_have_text("New requirement")

    # Slack's client: a required field left empty is flagged in place, nothing is sent.
    await modal.locator("[data-modal=submit]").click()
    await expect(modal.locator("[data-block-id=title] .input-error")).to_have_text(
        "Please complete this required field."
    )
    await modal.locator("[data-block-id=title] input").fill("Checkout with Alipay")
    await modal.locator("[data-block-id=description] textarea").fill("Let buyers pay with Alipay.")
    await modal.locator("[data-block-id=justification] textarea").fill("Customers ask for it.")
    await modal.locator("[data-block-id=priority] select").select_option("high")
    await modal.locator("[data-block-id=wanted_by] input").fill("2020-01-01")
    await modal.locator("[data-modal=submit]").click()
    # The bot's response_action errors, under the right input; what was typed stays.
    wanted_by_error = modal.locator("[data-block-id=wanted_by] .input-error")
    await expect(wanted_by_error).to_contain_text("in the past", timeout=WAIT_MS)
    await expect(modal.locator("[data-block-id=title] input")).to_have_value("Checkout with Alipay")
    await expect(modal.locator("[data-block-id=title] .input-error")).to_have_text("")
    await steps.shot("modal-error-in-place")

    await modal.locator("[data-block-id=wanted_by] input").fill("2099-06-01")
    await modal.locator("[data-modal=submit]").click()
    await expect(page.locator(".modal")).to_have_count(0, timeout=WAIT_MS)
    card = page.locator("#content article.message", has_text="Checkout with Alipay")
    await expect(card).to_have_count(1, timeout=WAIT_MS)
    await expect(card).to_contain_text("Awaiting approval")
    await steps.shot("card-posted")

    await act_as(page, "UCAROL")
    await page.click("#app-list [data-channel]")
    request = page.locator("#content article.message", has_text="Checkout with Alipay")
    await expect(request.locator("[data-action-id='req.approve']")).to_be_visible(timeout=WAIT_MS)
    await steps.shot("approval-request-dm")
    await request.locator("[data-action-id='req.approve']").click()
    await expect(request.locator("[data-action-id='req.approve']")).to_have_count(
        0, timeout=WAIT_MS
    )
    await expect(request).to_contain_text("Approved by")
    await steps.shot("dm-updated")

    await page.click("#channel-list [data-channel=CMARKETING]")
    card = page.locator("#content article.message", has_text="Checkout with Alipay")
    await expect(card).to_have_count(1)  # updated in place, not posted again
    await expect(card).to_contain_text("Design", timeout=WAIT_MS)
    await expect(card.locator(".edited")).to_be_visible()
    await steps.shot("card-updated-in-place")


async def test_live_update_from_the_api_and_a_click_on_the_card(
    browser_page: Any, sandbox: SandboxServer
) -> None:
    from playwright.async_api import expect

    page, steps = browser_page, Steps(browser_page, "incident")
    await act_as(page, "UOSCAR")
    await page.click("#channel-list [data-channel=CWEBOPS]")
    await expect(page.locator("#content .empty")).to_be_visible()
    async with sandbox.container.uow() as uow:
        key = await create_api_key(uow, Actor.system("test"), "monitoring", ["incidents:write"])
        await uow.commit()
    declared = await sandbox.http.post(
        "/api/v1/incidents",
        json={"title": "Checkout returns 500", "severity": "SEV2", "platform": "web"},
        headers={"Authorization": f"Bearer {key.token}"},
    )
    assert declared.status_code == 201, declared.text
    # No reload: the page hears the change on its event stream.
    card = page.locator("#content article.message", has_text="Checkout returns 500")
    await expect(card).to_have_count(1, timeout=WAIT_MS)
    await expect(card).to_contain_text("@oscar")  # the seeded on-call rotation is paged
    await steps.shot("declared-through-the-api")
    await card.locator("[data-action-id='inc.ack']").first.click()
    await expect(card).to_contain_text("Acknowledged", timeout=WAIT_MS)
    await expect(card.locator("[data-action-id='inc.ack']")).to_have_count(0)
    await steps.shot("acknowledged-in-place")


async def test_chinese_for_a_person_whose_slack_speaks_chinese(browser_page: Any) -> None:
    from playwright.async_api import expect

    page, steps = browser_page, Steps(browser_page, "zh-CN")
    await act_as(page, "UZHANG")
    await expect(page.locator("#channels-title")).to_have_text("频道")
    await expect(page.locator("#banner")).to_contain_text("沙盒")
    await page.click("#channel-list [data-channel=CMARKETING]")
    await type_command(page, "/platops whoami")
    answer = page.locator("#content article.message.ephemeral")
    await expect(answer).to_have_count(1, timeout=WAIT_MS)
    await expect(answer.locator(".only-you")).to_contain_text("仅你可见")
    await type_command(page, "/req new")
    modal = page.locator(".modal")
    await expect(modal).to_be_visible(timeout=WAIT_MS)
    await expect(modal.locator("[data-modal=close]")).not_to_have_text("Cancel")
    await steps.shot("modal-in-chinese")
    await modal.locator(".modal-close").click()
    await expect(page.locator(".modal")).to_have_count(0, timeout=WAIT_MS)

    # The ephemeral answer was for Zhang only.
    await act_as(page, "UBOB")
    await page.click("#channel-list [data-channel=CMARKETING]")
    await expect(page.locator("#channels-title")).to_have_text("Channels")
    await expect(page.locator("#content article.message.ephemeral")).to_have_count(0)
