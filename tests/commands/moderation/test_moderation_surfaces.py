"""Moderation on PostgreSQL too, in Chinese, in App Home and `/mod rules`."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models.moderation import ModerationCaseRow
from tests.commands.moderation.conftest import ModDriver


@pytest.fixture
async def mod_any(any_harness) -> ModDriver:
    await any_harness.seed_org()
    return ModDriver(any_harness)


async def test_four_eyes_ban_end_to_end_on_every_database(mod_any):
    mod = mod_any
    await mod.warn()
    await mod.ban(days=None)
    await mod.click("UMIKE", "mod.confirm", mod.card("CASE-2"))
    async with mod.h.container.reader() as uow:
        rows = (
            await uow.session.scalars(select(ModerationCaseRow).order_by(ModerationCaseRow.id))
        ).all()
    assert [(r.kind, r.status) for r in rows] == [("warning", "active"), ("ban", "active")]
    await mod.h.command("UMONA", "/mod", "history web:u-100")
    assert "Banned permanently" in mod.ephemeral("UMONA")


async def test_a_chinese_moderator_gets_chinese_forms_and_templates(mod):
    await mod.h.command("UALICE", "/platops", "role grant <@UZHANG> moderator")
    view = await mod.open("UZHANG", "warn", "web:u-1")
    assert view.title == "警告用户"
    notice = next(b for b in view.blocks if b["block_id"] == "notice_text")
    assert "违反了平台规则" in notice["element"]["initial_value"]
    await mod.submit("UZHANG", view, {"notice_text": "请停止发布垃圾信息。"})
    assert "CASE-1" in mod.h.fake.dms_to("UZHANG")[-1].all_text


async def test_app_home_shows_cases_to_confirm_and_the_queue(mod):
    await mod.ban(days=None)
    await mod.h.sim.open_home("UMIKE")
    await mod.h.settle()
    home = str(mod.h.fake.home_views["UMIKE"].view)
    assert "CASE-1" in home and "waits for your confirmation" in home
    # The creator is not asked to confirm their own case.
    await mod.h.sim.open_home("UMONA")
    await mod.h.settle()
    assert "waits for your confirmation" not in str(mod.h.fake.home_views["UMONA"].view)
    # Confirming from App Home works like the card's button.
    home_view = mod.h.fake.home_views["UMIKE"]
    await mod.h.sim.click("UMIKE", "mod.confirm", view_id=home_view.id)
    await mod.h.settle()
    assert "confirmed by <@UMIKE>" in mod.card("CASE-1").all_text


async def test_rules_lists_the_catalogue(mod):
    await mod.h.command("UAUDREY", "/mod", "rules")
    text = mod.ephemeral("UAUDREY")
    assert "`false_advertising`" in text and "`illegal_content`" in text and "serious" in text
