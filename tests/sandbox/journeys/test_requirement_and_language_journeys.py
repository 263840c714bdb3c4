"""A requirement through every stage, and the page in Chinese, in the sandbox page (issue 7's
check). Screenshots of each step go to artifacts/screenshots/."""

from __future__ import annotations

import re
from typing import Any

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
    open_app,
    open_channel,
    pinned,
    submit_modal,
    type_command,
)

pytestmark = [*BROWSER_MARKS, pytest.mark.asyncio(loop_scope="module")]


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
