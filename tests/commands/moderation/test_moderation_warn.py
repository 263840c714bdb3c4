"""`/mod warn`: the modal, the numbered case in the moderation log, bad input, permissions."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from sqlalchemy import select

from bot.sandbox.simulator_payloads import interaction
from storage.models.moderation import ModerationCaseRow, PlatformUserRow


async def test_warning_creates_a_case_card_in_the_moderation_log(mod):
    view = await mod.open("UMONA", "warn", "web:u-100")
    notice = next(b for b in view.blocks if b["block_id"] == "notice_text")
    # Prefilled from the rule's notice template (Art. 13: the user is told what they did).
    assert "web:u-100" in notice["element"]["initial_value"]
    response = await mod.submit(
        "UMONA", view, {"notice_text": "Spam in c-1, please stop.", "content_ids": "c-1, c-2"}
    )
    assert response.status == 200 and mod.h.fake.open_modal("UMONA") is None
    card = mod.card("CASE-1")
    text = card.all_text
    assert "Warning" in text and "`web:u-100`" in text and "Spam in c-1" in text
    assert "`c-1`, `c-2`" in text and "<@UMONA>" in text
    assert "mod.revoke" in str(card.blocks)
    # The moderator is told the case key.
    assert "CASE-1" in mod.h.fake.dms_to("UMONA")[-1].all_text
    (event,) = await mod.events("moderation.warning_issued")
    assert event.subject_key == "CASE-1" and event.actor_id == "UMONA"
    # Art. 11: the audit row names the user by internal id only; texts stay in the case table.
    assert "u-100" not in str(event.data) and "Spam" not in str(event.data)
    assert isinstance(event.data["platform_user_id"], int)


async def test_only_platform_external_id_and_handle_are_stored_about_the_user(mod):
    await mod.warn(handle="spammer42")
    async with mod.h.container.reader() as uow:
        (user,) = (await uow.session.scalars(select(PlatformUserRow))).all()
    assert (user.external_id, user.handle) == ("u-100", "spammer42")


async def test_blank_violation_text_comes_back_as_an_inline_error(mod):
    view = await mod.open("UMONA", "warn", "web:u-100")
    response = await mod.submit("UMONA", view, {"notice_text": "   "})
    assert response.json["response_action"] == "errors"
    assert "notice_text" in response.json["errors"]
    await mod.h.settle()
    assert mod.cards() == []
    async with mod.h.container.reader() as uow:
        assert (await uow.session.scalars(select(ModerationCaseRow))).all() == []
        assert (await uow.session.scalars(select(PlatformUserRow))).all() == []


async def test_bad_content_ids_come_back_as_an_inline_error(mod):
    view = await mod.open("UMONA", "warn", "web:u-100")
    response = await mod.submit("UMONA", view, {"content_ids": "c-1 <script>"})
    assert "content_ids" in response.json["errors"]
    assert "not a valid content id" in response.json["errors"]["content_ids"]


async def test_picking_another_rule_prefills_its_notice_template(mod):
    view = await mod.open("UMONA", "warn", "web:u-100")
    await mod.h.sim.click(
        "UMONA", "mod_rule_picked", view_id=view.id, selected_option_value="fraud"
    )
    updated = mod.h.fake.open_modal("UMONA")
    notice = next(b for b in updated.blocks if b["block_id"] == "notice_text")
    assert "fraudulent" in notice["element"]["initial_value"]
    await mod.submit("UMONA", updated, {"notice_text": "Fraud in c-9."})
    assert "Fraud" in mod.card("CASE-1").all_text


async def test_malformed_reference_or_unknown_platform_gets_the_usage_line(mod):
    await mod.h.command("UMONA", "/mod", "warn shop:")
    assert "Usage:" in mod.ephemeral("UMONA") and "PLATFORM:EXTERNAL_ID" in mod.ephemeral("UMONA")
    await mod.h.command("UMONA", "/mod", "warn nowhere:u-1")
    assert "Usage:" in mod.ephemeral("UMONA") and "no platform “nowhere”" in mod.ephemeral("UMONA")
    await mod.h.command("UMONA", "/mod", "warn")
    assert "Usage:" in mod.ephemeral("UMONA")
    assert mod.h.fake.open_modal("UMONA") is None


async def test_reference_without_platform_works_while_there_is_one_platform(mod):
    await mod.warn(ref="u-7")
    assert "`web:u-7`" in mod.card("CASE-1").all_text


async def test_non_moderator_is_refused_before_any_form_opens(mod):
    await mod.h.command("UNINA", "/mod", "warn web:u-100")
    assert "not allowed" in mod.ephemeral("UNINA") and "moderator" in mod.ephemeral("UNINA")
    assert mod.h.fake.open_modal("UNINA") is None
    await mod.h.command("UNINA", "/mod", "help")
    assert "warn" not in mod.ephemeral("UNINA")


async def test_help_in_chinese_for_a_chinese_reader(mod):
    await mod.h.command("UALICE", "/platops", "role grant <@UZHANG> moderator")
    await mod.h.command("UZHANG", "/mod", "help")
    assert "警告平台用户" in mod.ephemeral("UZHANG")


async def test_a_repeated_submission_of_the_same_form_creates_one_case(mod):
    view = await mod.open("UMONA", "warn", "web:u-100")
    payload = view.view
    await mod.submit("UMONA", view, {"notice_text": "Stop."})
    # Slack delivers the same view_submission again (a retry or a double click).
    form = {
        "payload": json.dumps(
            {
                **interaction(mod.h.fake, "view_submission", "UMONA"),
                "view": {**payload, "state": {"values": view.state_values}},
            }
        )
    }
    response = await mod.h.sim.send(urlencode(form).encode(), "application/x-www-form-urlencoded")
    await mod.h.settle()
    assert response.status == 200
    async with mod.h.container.reader() as uow:
        assert len((await uow.session.scalars(select(ModerationCaseRow))).all()) == 1
    assert len([m for m in mod.h.fake.dms_to("UMONA") if "CASE-" in m.all_text]) == 1
    assert len(await mod.events("moderation.warning_issued")) == 1
