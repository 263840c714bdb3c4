"""Declaring from Slack, acknowledging and resolving from the card, with every message counted."""

from __future__ import annotations

from commands.incidents import modals, views
from tests.commands.incidents.conftest import (
    assert_all_valid,
    card,
    cards_in_channel,
    declare,
    events,
    last_ephemeral,
)
from tests.support.harness import Harness


async def test_declare_posts_one_card_mentioning_the_on_call(rota_any: Harness):
    h = rota_any
    result = await declare(h, "UBOB")
    assert result.status == 200
    assert result.json["response_action"] == "update"
    assert "INC-1" in h.fake.open_modal("UBOB").all_text  # the modal now confirms the key
    posted = cards_in_channel(h)
    assert len(posted) == 1
    inc = posted[0]
    assert "INC-1 · SEV2 · Checkout returns 500" in inc.all_text
    assert "<@UOSCAR>" in inc.all_text and "<@UOSCAR>" in inc.text  # mentioned: notified
    action_ids = [
        e["action_id"] for b in inc.blocks if b["type"] == "actions" for e in b["elements"]
    ]
    assert action_ids == [views.ACK, views.RESOLVE, views.ESCALATE]
    declared = [e for e in await events(h) if e.type == "incident.declared"]
    assert len(declared) == 1
    assert declared[0].data["severity"] == "SEV2" and declared[0].data["platform"] == "web"
    assert declared[0].actor_id == "UBOB"
    assert_all_valid(h)


async def test_bad_fields_come_back_inline_and_nothing_is_created(rota: Harness):
    h = rota
    await h.command("UBOB", "/incident")
    modal = h.fake.open_modal("UBOB")
    result = await h.sim.submit(
        "UBOB", modal.id, {"title.value": "   ", "platform.value": "web", "severity.value": "SEV1"}
    )
    assert result.json["response_action"] == "errors"
    assert set(result.json["errors"]) == {"title"}
    await h.settle()
    assert cards_in_channel(h) == [] and await events(h, "incident.declared") == []


async def test_auditor_and_strangers_cannot_declare(rota: Harness):
    h = rota
    await h.command("UNINA", "/incident")
    assert "not allowed" in last_ephemeral(h, "UNINA")
    assert h.fake.open_modal("UNINA") is None
    await h.command("UAUDREY", "/incident", "declare")
    assert "not allowed" in last_ephemeral(h, "UAUDREY")


async def test_acknowledge_updates_the_card_in_place_and_a_second_click_changes_nothing(
    rota_any: Harness,
):
    h = rota_any
    await declare(h)
    inc = card(h)
    await h.sim.click("UOLIVIA", views.ACK, message=inc)
    await h.settle()
    assert len(cards_in_channel(h)) == 1  # updated, not re-posted
    assert len(inc.edits) == 1
    assert "Acknowledged" in inc.all_text and "<@UOLIVIA>" in inc.all_text
    assert views.ACK not in str(inc.blocks)  # Resolve and Escalate stay
    assert len([e for e in await events(h) if e.type == "incident.acknowledged"]) == 1
    assert_all_valid(h)


async def test_second_acknowledge_answers_ephemerally(rota: Harness):
    h = rota
    await declare(h)
    inc = card(h)
    before = list(inc.blocks)
    await h.sim.click("UOSCAR", views.ACK, message=inc)
    await h.settle()
    inc.blocks = before  # Olivia's client still shows the card as it was: she clicks too
    await h.sim.click("UOLIVIA", views.ACK, message=inc)
    await h.settle()
    assert "already acknowledged by <@UOSCAR>" in h.fake.response_url_posts[-1].body["text"]
    acks = [e for e in await events(h) if e.type == "incident.acknowledged"]
    assert len(acks) == 1 and acks[0].actor_id == "UOSCAR"


async def test_someone_not_operating_the_platform_cannot_acknowledge(rota: Harness):
    h = rota
    await declare(h)
    inc = card(h)
    await h.sim.click("UBOB", views.ACK, message=inc)
    await h.settle()
    assert "not allowed" in h.fake.response_url_posts[-1].body["text"]
    assert inc.edits == []
    assert [e for e in await events(h) if e.type == "incident.acknowledged"] == []


async def test_resolve_asks_for_a_summary_then_the_card_is_final(rota_any: Harness):
    h = rota_any
    await declare(h, severity="SEV3")
    inc = card(h)
    await h.sim.click("UOSCAR", views.RESOLVE, message=inc)
    modal = h.fake.open_modal("UOSCAR")
    assert modal.callback_id == modals.RESOLVE_MODAL
    empty = await h.sim.submit("UOSCAR", modal.id, {"summary.value": "  \n "})
    assert list(empty.json["errors"]) == ["summary"]
    done = await h.sim.submit("UOSCAR", modal.id, {"summary.value": "Rolled back release 41"})
    assert done.status == 200 and not done.json
    await h.settle()
    assert "Resolved" in inc.all_text and "Rolled back release 41" in inc.all_text
    assert not [b for b in inc.blocks if b["type"] == "actions"]  # SEV3: no review, no buttons
    resolved = [e for e in await events(h) if e.type == "incident.resolved"]
    assert len(resolved) == 1 and resolved[0].data["summary"] == "Rolled back release 41"
    assert resolved[0].data["seconds_to_resolve"] == 0
    # A click on the resolved incident from an old copy of the card changes nothing.
    inc.blocks = inc.edits[0].blocks
    await h.sim.click("UOLIVIA", views.ACK, message=inc)
    await h.settle()
    assert "already resolved" in h.fake.response_url_posts[-1].body["text"]
    assert len([e for e in await events(h) if e.type == "incident.resolved"]) == 1
    assert_all_valid(h)
