"""`/mod ban`, four-eyes confirmation, the escalation ladder, expiry on time, `/mod unban`."""

from __future__ import annotations

import copy

from sqlalchemy import select

from bot.sandbox import validate_view
from storage.models.core import OutboxRow
from storage.models.moderation import ModerationCaseRow
from tests.commands.moderation.databases import seeded_on_every_database

__all__ = ["seeded_on_every_database"]  # `seeded`: on SQLite and PostgreSQL


async def case_row(h, number):
    async with h.container.reader() as uow:
        return await uow.session.scalar(
            select(ModerationCaseRow).where(ModerationCaseRow.number == number)
        )


async def test_temporary_ban_takes_effect_at_once_and_lifts_itself_on_time(mod):
    await mod.ban(days=2)
    card = mod.card("CASE-1")
    assert "Temporary ban" in card.all_text and "active" in card.all_text
    assert [e.type for e in await mod.events()] == ["moderation.ban_started"]
    assert await mod.sweep(days=1) == 0  # not yet
    fired = await mod.sweep(days=1, minutes=1)
    assert fired == 1
    assert (await case_row(mod.h, 1)).status == "expired"
    lifted = [e for e in await mod.events() if e.type == "moderation.ban_lifted"]
    assert len(lifted) == 1 and lifted[0].data["reason"] == "expired"
    log = [m for m in mod.h.fake.messages_in("CMODLOG") if "has ended" in m.all_text]
    assert len(log) == 1
    # Updated in place (chat.update), not posted again.
    card = mod.card("CASE-1")
    assert "expired" in card.all_text and card.edits
    assert "mod.revoke" not in str(card.blocks)
    # Running the sweep again announces nothing twice.
    await mod.sweep(days=3)
    assert len([e for e in await mod.events() if e.type == "moderation.ban_lifted"]) == 1


async def test_ban_in_the_past_or_without_end_is_an_inline_error(mod):
    view = await mod.open("UMONA", "ban", "web:u-100")
    response = await mod.submit(
        "UMONA",
        view,
        {
            "notice_text": "Suspended.",
            "reason": "fraud",
            "until": int(mod.h.clock.now().timestamp()) - 3600,
        },
    )
    assert "until" in response.json["errors"]
    assert "future" in response.json["errors"]["until"]
    view = mod.h.fake.open_modal("UMONA")
    response = await mod.submit("UMONA", view, {"until": None})
    assert "until" in response.json["errors"]
    assert mod.cards() == []


async def test_permanent_ban_waits_for_a_second_moderator(mod):
    await mod.ban(days=None, content_ids="post-1 post-2")
    card = mod.card("CASE-1")
    assert "pending confirmation" in card.all_text and "waiting for a second" in card.all_text
    assert "post-1" in card.all_text
    assert "effect when a second moderator" in mod.h.fake.dms_to("UMONA")[-1].all_text
    # The moderator who created it cannot confirm it.
    await mod.click("UMONA", "mod.confirm", card)
    assert "second moderator must confirm" in mod.ephemeral("UMONA")
    assert (await case_row(mod.h, 1)).status == "pending"
    # Someone without the role cannot either.
    await mod.click("UNINA", "mod.confirm", card)
    assert "not allowed" in mod.ephemeral("UNINA")
    # It shows on the other moderator's App Home as waiting for them.
    assert "CASE-1" in str(mod.h.fake.home_views["UMIKE"].view)
    stale = copy.deepcopy(mod.card("CASE-1"))  # what a slow client still shows
    await mod.click("UMIKE", "mod.confirm", mod.card("CASE-1"))
    row = await case_row(mod.h, 1)
    assert (row.status, row.confirmation, row.confirmed_by) == ("active", "confirmed", "UMIKE")
    types = [e.type for e in await mod.events()]
    assert types == [
        "moderation.ban_requested",
        "moderation.ban_confirmed",
        "moderation.content_deletion_requested",
    ]
    card = mod.card("CASE-1")
    assert "confirmed by <@UMIKE>" in card.all_text and "mod.confirm" not in str(card.blocks)
    # A second click on the now stale card changes nothing and says so.
    await mod.click("UMIKE", "mod.confirm", stale)
    assert "not waiting for a confirmation" in mod.ephemeral("UMIKE")
    assert len(await mod.events()) == 3


async def test_unconfirmed_permanent_ban_is_reminded_then_lapses(mod):
    await mod.ban(days=None)
    stale = copy.deepcopy(mod.card("CASE-1"))
    await mod.sweep(hours=4, minutes=1)
    reminders = [m for m in mod.h.fake.messages_in("CMODLOG") if "still waiting" in m.all_text]
    assert len(reminders) == 1
    await mod.sweep(hours=20)
    row = await case_row(mod.h, 1)
    assert (row.status, row.confirmation) == ("lapsed", "lapsed")
    assert "did not take effect" in mod.h.fake.messages_in("CMODLOG")[-1].all_text
    # The platform never heard of a ban that never took effect.
    async with mod.h.container.reader() as uow:
        assert (
            await uow.session.scalars(select(OutboxRow).where(OutboxRow.kind == "webhook"))
        ).all() == []
    await mod.click("UMIKE", "mod.confirm", stale)
    assert "not waiting" in mod.ephemeral("UMIKE") or "already closed" in mod.ephemeral("UMIKE")


async def test_third_warning_crosses_the_ladder_and_the_card_proposes_a_ban(mod):
    for _ in range(2):
        await mod.warn()
    assert "mod.apply_proposal" not in str(mod.card("CASE-2").blocks)
    await mod.warn()
    card = mod.card("CASE-3")
    assert "3 active warnings within 90 days" in card.all_text and "Ban 7 days" in card.all_text
    stale = copy.deepcopy(card)
    await mod.click("UMIKE", "mod.apply_proposal", card)
    ban = mod.card("CASE-4")
    assert "Temporary ban" in ban.all_text
    row = await case_row(mod.h, 4)
    assert row.status == "active" and (row.ends_at - row.created_at).days == 7
    assert "mod.apply_proposal" not in str(mod.card("CASE-3").blocks)
    # A double click does not ban twice.
    await mod.click("UMIKE", "mod.apply_proposal", stale)
    assert "no escalation proposal" in mod.ephemeral("UMIKE")


async def test_expired_warnings_do_not_count_towards_the_ladder(mod):
    await mod.warn()
    await mod.warn()
    mod.h.clock.advance(days=91)
    await mod.warn()
    assert "mod.apply_proposal" not in str(mod.card("CASE-3").blocks)


async def test_unban_needs_a_reason_and_lifts_the_ban_once(mod):
    await mod.ban(days=30)
    await mod.h.command("UMIKE", "/mod", "unban web:u-100")
    assert "Give a reason" in mod.ephemeral("UMIKE")
    assert (await case_row(mod.h, 1)).status == "active"
    await mod.h.command("UMIKE", "/mod", 'unban web:u-100 "appeal by phone, identity mix-up"')
    assert "is lifted" in mod.ephemeral("UMIKE")
    row = await case_row(mod.h, 1)
    assert (row.status, row.close_reason) == ("lifted", "appeal by phone, identity mix-up")
    await mod.h.command("UMIKE", "/mod", "unban web:u-100 again")
    assert "is not banned" in mod.ephemeral("UMIKE")
    # The expiry deadline was closed: nothing fires later.
    assert await mod.sweep(days=31) == 0


async def test_revoke_asks_why_and_withdraws_the_warning(mod):
    h = mod.h
    await mod.warn()
    card = mod.card("CASE-1")
    stale = copy.deepcopy(card)
    await mod.click("UNINA", "mod.revoke", card)  # not a moderator: no form, nothing changes
    assert "not allowed" in mod.ephemeral("UNINA") and h.fake.open_modal("UNINA") is None
    await mod.click("UMIKE", "mod.revoke", card)
    view = h.fake.open_modal("UMIKE")
    assert view.callback_id == "mod.revoke_reason"
    assert view.view["title"]["text"] == "Revoke CASE-1?"
    assert validate_view(view.view) == []
    response = await h.sim.submit("UMIKE", view.id, {"reason.reason": "   "})
    assert response.json["response_action"] == "errors"
    assert "Give a reason" in h.fake.views[view.id].errors["reason"]
    assert "revoked" not in mod.card("CASE-1").all_text
    assert [e.type for e in await mod.events()][-1] == "moderation.warning_issued"
    await h.sim.submit("UMIKE", view.id, {"reason.reason": "Wrong user: a shared account."})
    await h.settle()
    card = mod.card("CASE-1")
    assert "revoked" in card.all_text and "Wrong user: a shared account." in card.all_text
    assert [e.type for e in await mod.events()][-1] == "moderation.case_revoked"
    assert "mod.revoke" not in str(card.blocks)
    # A click on an old copy of the card is refused at once: no second form.
    await mod.click("UMONA", "mod.revoke", stale)
    assert "already closed" in mod.ephemeral("UMONA") and h.fake.open_modal("UMONA") is None


async def test_history_and_case_are_for_moderators_and_auditors_only(mod):
    await mod.warn()
    await mod.ban(days=3)
    await mod.h.command("UAUDREY", "/mod", "history web:u-100")
    text = mod.ephemeral("UAUDREY")
    assert "Banned" in text and "Active warnings: 1" in text and "CASE-1" in text
    await mod.h.command("UAUDREY", "/mod", "case CASE-2")
    text = mod.ephemeral("UAUDREY")
    assert "Temporary ban" in text and "mod.revoke" not in str(
        mod.h.fake.ephemerals_for("UAUDREY")[-1].blocks
    )
    await mod.h.command("UNINA", "/mod", "history web:u-100")
    assert "not allowed" in mod.ephemeral("UNINA") and "u-100" not in mod.ephemeral("UNINA")
    await mod.h.command("UNINA", "/mod", "case CASE-1")
    assert "not allowed" in mod.ephemeral("UNINA")
    await mod.h.command("UMONA", "/mod", "case CASE-99")
    assert "no case CASE-99" in mod.ephemeral("UMONA")
