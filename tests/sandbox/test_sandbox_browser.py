"""The sandbox page in a real headless Chromium (Debian's `chromium`), clicked and typed into as a
person would, against `platops serve` in sandbox mode. A screenshot of each step is saved under
artifacts/screenshots/."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from domain.access import Actor
from domain.apikeys.services import create_api_key
from tests.support.sandbox_server import SandboxServer, sandbox_server

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 10_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (.ci/run)"
    ),
]


@pytest.fixture
async def sandbox(sqlite_url: str) -> AsyncIterator[SandboxServer]:
    async with sandbox_server(sqlite_url) as server:
        yield server


@pytest.fixture
async def browser_page(sandbox: SandboxServer) -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        page = await browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        # Nothing may be fetched from anywhere but this server.
        await page.route(
            lambda url: not url.startswith(sandbox.url),
            lambda route: (errors.append(f"outside request {route.request.url}"), route.abort())[1],
        )
        await page.goto(f"{sandbox.url}/sandbox")
        await page.wait_for_selector("body[data-ready=true]", timeout=WAIT_MS)
        yield page
        await browser.close()
        assert errors == []


class Steps:
    def __init__(self, page: Any, flow: str) -> None:
        self.page, self.flow, self.count = page, flow, 0

    async def shot(self, name: str) -> None:
        self.count += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.flow}-{self.count:02d}-{name}.png"
        await self.page.screenshot(path=str(path))
        assert path.stat().st_size > 0


async def act_as(page: Any, user_id: str) -> None:
    await page.select_option("#user-switcher", user_id)
    await page.wait_for_function(
        "id => document.querySelector('#user-switcher').value === id", arg=user_id
    )


async def type_command(page: Any, text: str) -> None:
    await page.fill("#composer-input", text)
    await page.press("#composer-input", "Enter")


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
