"""Driving the sandbox page in Debian's headless Chromium through Playwright, as a person would:
pick who you are, click a channel, type a command, fill a modal, click a button. Every step can
leave a screenshot under artifacts/screenshots/ (gitignored) for a human to look at."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

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

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (.ci/run)"
    ),
]


@asynccontextmanager
async def launched_browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


@asynccontextmanager
async def sandbox_page(browser: Any, base_url: str) -> AsyncIterator[Any]:
    """A fresh tab (own storage, so nobody's last channel leaks in) on the ready sandbox page.
    Fails afterwards on any script error or any request that left this server."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.route(
        lambda url: not url.startswith(base_url),
        lambda route: (errors.append(f"outside request {route.request.url}"), route.abort())[1],
    )
    try:
        await page.goto(f"{base_url}/sandbox")
        await page.wait_for_selector("body[data-ready=true]", timeout=WAIT_MS)
        yield page
    finally:
        await context.close()
    assert errors == []


class Steps:
    """Numbered screenshots of one journey: artifacts/screenshots/<flow>-NN-<name>.png."""

    def __init__(self, page: Any, flow: str) -> None:
        self.page, self.flow, self.count = page, flow, 0
        for stale in SCREENSHOTS.glob(f"{flow}-[0-9][0-9]-*.png"):
            stale.unlink()  # an earlier run's steps would read as part of this one

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


async def open_channel(page: Any, channel_id: str) -> None:
    await page.click(f"#channel-list [data-channel={channel_id}]")


async def open_app(page: Any, tab: str = "messages") -> None:
    """The DM with the bot; `tab="home"` shows its App Home."""
    await page.click("#app-list [data-channel]")
    if tab == "home":
        await page.click("#tabs [data-tab=home]")


async def type_command(page: Any, text: str) -> None:
    await page.fill("#composer-input", text)
    await page.press("#composer-input", "Enter")


def message(page: Any, text: str) -> Any:
    """The message cards in the open pane that contain `text`."""
    return page.locator("#content article.message", has_text=text)


def block_input(modal: Any, block_id: str, tag: str = "input") -> Any:
    return modal.locator(f"[data-block-id='{block_id}'] {tag}")


def modal_of(page: Any) -> Any:
    return page.locator(".modal")


async def submit_modal(page: Any) -> None:
    from playwright.async_api import expect

    await modal_of(page).locator("[data-modal=submit]").click()
    await expect(modal_of(page)).to_have_count(0, timeout=WAIT_MS)


async def pinned(found: Any) -> Any:
    """The one message `found` matches now, followed by its ts even after its text changes."""
    from playwright.async_api import expect

    await expect(found).to_have_count(1, timeout=WAIT_MS)
    ts = await found.get_attribute("data-ts")
    return found.page.locator(f"#content article.message[data-ts='{ts}']")
