"""Queue decisions through the API, for a Slack moderator, with the rules of the Slack buttons:
the card in the moderation log updates in place and the platform hears the outcome."""

from __future__ import annotations

import pytest

from bot.config_file import apply_config, parse_config
from tests.api.conftest import assert_problem
from tests.commands.moderation.conftest import ModDriver, keys, platform
from tests.commands.moderation.databases import seeded_on_every_database

__all__ = ["keys", "platform", "seeded_on_every_database"]  # seeded: SQLite and PostgreSQL


@pytest.fixture
def mod(seeded) -> ModDriver:
    return ModDriver(seeded)


async def decide(h, key, item, decision, **body):
    return await h.api("POST", f"/api/v1/moderation/queue/{item}/{decision}", key, json=body)


async def report(h, key, user="web:u-200"):
    response = await h.api(
        "POST", "/api/v1/moderation/reports", key, json={"user": user, "reason": "Fake tickets"}
    )
    assert response.status_code == 201, response.text
    return response.json()["key"]


async def test_a_moderator_takes_and_dismisses_a_report_through_the_api(mod, keys, platform):
    h = mod.h
    for person in ("UMONA", "UNINA"):  # known to PlatOps once they used it in Slack
        await h.command(person, "/mod", "help")
    item = await report(h, keys["write"])
    await h.settle()
    card = next(m for m in h.fake.messages_in("CMODLOG") if f"{item} ·" in m.all_text)
    posted = len(h.fake.messages_in("CMODLOG"))

    denied = await decide(h, keys["write"], item, "take", user_id="UNINA")
    assert_problem(denied, 403, "permission-denied")
    assert_problem(
        await decide(h, keys["read"], item, "take", user_id="UMONA"), 403, "insufficient-scope"
    )
    nobody = await decide(h, keys["write"], item, "take")
    assert_problem(nobody, 403, "permission-denied")
    assert "user_id or email" in nobody.json()["detail"]

    taken = await decide(h, keys["write"], item, "take", email="mona@example.com")
    assert taken.status_code == 200, taken.text
    assert taken.json()["status"] == "taken" and taken.json()["taken_by"] == "UMONA"
    await h.settle()
    assert "<@UMONA>" in card.all_text  # the same card, updated in place
    again = await decide(h, keys["write"], item, "take", user_id="UMIKE")
    assert_problem(again, 409, "conflict")

    dismissed = await decide(
        h, keys["write"], item, "dismiss", user_id="UMONA", note="Tickets were genuine."
    )
    assert dismissed.status_code == 200 and dismissed.json()["status"] == "dismissed"
    await h.settle()
    assert "dismissed" in card.all_text and "mod.item.dismiss" not in str(card.blocks)
    assert len(h.fake.messages_in("CMODLOG")) == posted
    (closed,) = platform.of("moderation.report_closed")
    assert closed["data"]["outcome"] == "dismissed" and closed["data"]["external_id"] == "u-200"
    twice = await decide(h, keys["write"], item, "dismiss", user_id="UMONA")
    assert_problem(twice, 409, "conflict")
    assert len(platform.of("moderation.report_closed")) == 1


async def test_an_appeal_is_decided_by_a_moderator_who_did_not_act(mod, keys, platform):
    h = mod.h
    for person in ("UMONA", "UMIKE"):
        await h.command(person, "/mod", "help")
    await mod.ban(days=10)  # by Mona
    appeal = await h.api(
        "POST",
        "/api/v1/moderation/appeals",
        keys["write"],
        json={"case": "CASE-1", "statement": "It was my brother."},
    )
    item = appeal.json()["key"]
    await h.settle()
    card = next(m for m in h.fake.messages_in("CMODLOG") if f"{item} ·" in m.all_text)

    own = await decide(h, keys["write"], item, "overturn", user_id="UMONA")
    assert_problem(own, 403, "permission-denied")
    assert_problem(await decide(h, keys["write"], item, "overturn"), 403, "permission-denied")
    assert_problem(
        await decide(h, keys["write"], item, "dismiss", user_id="UMIKE"), 409, "conflict"
    )

    overturned = await decide(
        h, keys["write"], item, "overturn", user_id="UMIKE", note="Shared device."
    )
    assert overturned.status_code == 200 and overturned.json()["status"] == "overturned"
    assert overturned.json()["decided_by"] == "UMIKE"
    await h.settle()
    assert "overturned" in card.all_text and "mod.item.uphold" not in str(card.blocks)
    assert "revoked" in mod.card("CASE-1").all_text
    (decided,) = platform.of("moderation.appeal_decided")
    assert decided["data"]["outcome"] == "overturned" and decided["data"]["case"] == "CASE-1"
    assert len(platform.of("moderation.ban_lifted")) == 1
    status = await h.api("GET", "/api/v1/platform-users/web/u-100", keys["read"])
    assert status.json()["banned"] is False
    late = await decide(h, keys["write"], item, "uphold", user_id="UMIKE")
    assert_problem(late, 409, "conflict")


async def test_an_upheld_appeal_keeps_the_ban(mod, keys, platform):
    h = mod.h
    await h.command("UMIKE", "/mod", "help")
    await mod.ban(days=10)
    appeal = await h.api(
        "POST",
        "/api/v1/moderation/appeals",
        keys["write"],
        json={"case": "CASE-1", "statement": "Please."},
    )
    upheld = await decide(h, keys["write"], appeal.json()["key"], "uphold", user_id="UMIKE")
    assert upheld.status_code == 200 and upheld.json()["status"] == "upheld"
    await h.settle()
    assert platform.of("moderation.appeal_decided")[0]["data"]["outcome"] == "upheld"
    status = await h.api("GET", "/api/v1/platform-users/web/u-100", keys["read"])
    assert status.json()["banned"] is True


async def test_a_moderator_of_another_platform_may_not_decide(mod, keys):
    h = mod.h
    h.fake.add_channel("CAPPMOD", "app-moderation", members=["UERIN"])
    config = {
        "platforms": [{"key": "app", "name": "Mobile app", "moderation_channel": "CAPPMOD"}],
        "grants": [{"user": "UERIN", "role": "moderator", "scope": "app"}],
    }
    await apply_config(h.container, parse_config(config))
    item = await report(h, keys["write"], "web:u-5")
    denied = await decide(h, keys["write"], item, "dismiss", user_id="UERIN")
    assert_problem(denied, 403, "permission-denied")
    app_item = await report(h, keys["write"], "app:u-6")
    allowed = await decide(h, keys["write"], app_item, "dismiss", user_id="UERIN")
    assert allowed.status_code == 200


async def test_bad_keys_and_revoke_without_a_reason_change_nothing(mod, keys):
    h = mod.h
    await h.command("UMIKE", "/mod", "help")
    assert_problem(
        await decide(h, keys["write"], "XYZ-1", "take", user_id="UMIKE"), 422, "validation"
    )
    assert_problem(
        await decide(h, keys["write"], "RPT-99", "take", user_id="UMIKE"), 404, "not-found"
    )
    await mod.warn()
    path = "/api/v1/moderation/cases/CASE-1/revoke"
    empty = await h.api("POST", path, keys["write"], json={"user_id": "UMIKE", "reason": " "})
    problem = assert_problem(empty, 422, "validation")
    assert [e["field"] for e in problem["errors"]] == ["reason"]
    await h.settle()
    assert "revoked" not in mod.card("CASE-1").all_text
    done = await h.api(
        "POST", path, keys["write"], json={"user_id": "UMIKE", "reason": "Wrong account."}
    )
    assert done.status_code == 200 and done.json()["status"] == "revoked"
    await h.settle()
    assert "Wrong account." in mod.card("CASE-1").all_text
