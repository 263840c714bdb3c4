"""The platform's side of moderation: status lookup, reports, appeals, privacy, signed webhooks."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import select

from storage.audit import verify_chain
from storage.models.core import EventRow, OutboxRow
from storage.models.moderation import ModerationCaseRow
from tests.api.conftest import assert_problem
from tests.commands.moderation.conftest import ModDriver, keys, platform
from tests.commands.moderation.databases import seeded_on_every_database

__all__ = ["keys", "platform", "seeded_on_every_database"]  # seeded: SQLite and PostgreSQL


async def status(h, key, ref="web/u-100"):
    return await h.api("GET", f"/api/v1/platform-users/{ref}", key)


async def test_status_lookup_answers_banned_until_and_warnings(mod, keys):
    h = mod.h
    response = await status(h, keys["read"])
    assert response.status_code == 200
    assert response.json() == {
        "platform": "web",
        "external_id": "u-100",
        "known": False,
        "banned": False,
        "until": None,
        "ban_case": None,
        "active_warnings": 0,
        "open_appeal": None,
    }
    await mod.warn()
    await mod.ban(days=3)
    body = (await status(h, keys["read"])).json()
    assert body["known"] and body["banned"] and body["ban_case"] == "CASE-2"
    assert body["until"].startswith("2026-01-08T09:00") and body["active_warnings"] == 1
    await mod.sweep(days=3, minutes=1)
    body = (await status(h, keys["read"])).json()
    assert not body["banned"] and body["until"] is None and body["active_warnings"] == 1
    assert_problem(await status(h, keys["other"]), 403, "insufficient-scope")
    assert_problem(await status(h, keys["read"], "nowhere/u-1"), 404, "not-found")
    assert_problem(await h.api("GET", "/api/v1/platform-users/web/u-100"), 401, "unauthorized")


async def test_enforcement_reaches_the_platform_as_signed_webhooks(mod, platform):
    await mod.warn(content_ids="c-1")
    await mod.ban(days=None, content_ids="c-1")
    await mod.click("UMIKE", "mod.confirm", mod.card("CASE-2"))
    await mod.h.command("UMIKE", "/mod", "unban web:u-100 mistake")
    assert platform.bad_signatures == 0
    assert [d["type"] for d in platform.deliveries] == [
        "moderation.warning_issued",
        "moderation.ban_confirmed",
        "moderation.content_deletion_requested",
        "moderation.ban_lifted",
    ]
    (warned,) = platform.of("moderation.warning_issued")
    # The platform learns whom and what to tell; the audit log keeps neither.
    assert (
        warned["data"]["external_id"] == "u-100" and "Stop, please" in warned["data"]["notice_text"]
    )
    assert platform.of("moderation.content_deletion_requested")[0]["data"]["content_ids"] == ["c-1"]
    for event in await mod.events():
        assert "u-100" not in json.dumps(event.data)


async def test_report_lands_in_the_queue_and_a_moderator_warns_from_it(mod, keys, platform):
    h = mod.h
    response = await h.api(
        "POST",
        "/api/v1/moderation/reports",
        keys["write"],
        json={
            "user": "web:u-200",
            "reporter": "web:u-9",
            "content_id": "post-77",
            "reason": "Selling fake tickets",
        },
    )
    assert response.status_code == 201 and response.json()["key"] == "RPT-1"
    await h.settle()
    card = next(m for m in h.fake.messages_in("CMODLOG") if "RPT-1" in m.all_text)
    assert "Selling fake tickets" in card.all_text and "post-77" in card.all_text
    await h.command("UMONA", "/mod", "queue")
    assert "RPT-1" in mod.ephemeral("UMONA")
    await mod.click("UMONA", "mod.item.warn", card)
    view = h.fake.open_modal("UMONA")
    assert view.callback_id == "mod.warn" and "web:u-200" in view.all_text
    await mod.submit("UMONA", view, {"notice_text": "Fake tickets are not allowed."})
    card = next(m for m in h.fake.messages_in("CMODLOG") if "RPT-1" in m.all_text)
    assert "acted on" in card.all_text and "mod.item.dismiss" not in str(card.blocks)
    assert [d["type"] for d in platform.deliveries] == [
        "moderation.report_received",
        "moderation.warning_issued",
        "moderation.report_closed",
    ]
    await h.command("UMONA", "/mod", "queue")
    assert "queue is empty" in mod.ephemeral("UMONA")
    # Reminders stopped with the decision.
    assert await mod.sweep(days=3) == 0


async def test_unhandled_report_is_reminded_and_can_be_dismissed(mod, keys):
    h = mod.h
    await h.api(
        "POST",
        "/api/v1/moderation/reports",
        keys["write"],
        json={"user": "web:u-300", "reason": "spam"},
    )
    await mod.sweep(hours=24, minutes=1)
    assert any("still waiting" in m.all_text for m in h.fake.messages_in("CMODLOG"))
    card = next(m for m in h.fake.messages_in("CMODLOG") if "RPT-1 · Report" in m.all_text)
    await mod.click("UMIKE", "mod.item.take", card)
    assert "<@UMIKE>" in card.all_text
    await mod.click("UMIKE", "mod.item.dismiss", card)
    assert "dismissed" in card.all_text
    bad = await h.api(
        "POST", "/api/v1/moderation/reports", keys["write"], json={"user": "web:", "reason": ""}
    )
    assert_problem(bad, 422, "validation")
    assert_problem(
        await h.api(
            "POST",
            "/api/v1/moderation/reports",
            keys["read"],
            json={"user": "web:u-1", "reason": "x"},
        ),
        403,
        "insufficient-scope",
    )


async def test_appeal_is_decided_by_another_moderator_and_the_user_is_told(mod, keys, platform):
    h = mod.h
    await mod.ban(days=10)
    response = await h.api(
        "POST",
        "/api/v1/moderation/appeals",
        keys["write"],
        json={"case": "CASE-1", "statement": "It was my brother."},
    )
    assert response.status_code == 201 and response.json()["key"] == "APL-1"
    again = await h.api(
        "POST",
        "/api/v1/moderation/appeals",
        keys["write"],
        json={"case": "CASE-1", "statement": "Again."},
    )
    assert_problem(again, 409, "conflict")
    assert (await status(h, keys["read"])).json()["open_appeal"] == "APL-1"
    await h.settle()
    card = next(m for m in h.fake.messages_in("CMODLOG") if "APL-1" in m.all_text)
    stale = copy.deepcopy(card)
    await mod.click("UMONA", "mod.item.overturn", card)  # she banned: not hers to decide
    assert "a moderator who did not must decide" in mod.ephemeral("UMONA")
    await mod.click("UMIKE", "mod.item.overturn", card)
    assert "overturned" in card.all_text
    async with h.container.reader() as uow:
        row = await uow.session.scalar(select(ModerationCaseRow))
    assert row.status == "revoked"
    decided = platform.of("moderation.appeal_decided")
    assert len(decided) == 1 and decided[0]["data"]["outcome"] == "overturned"
    assert decided[0]["data"]["external_id"] == "u-100"
    assert len(platform.of("moderation.ban_lifted")) == 1
    assert not (await status(h, keys["read"])).json()["banned"]
    await mod.click("UMIKE", "mod.item.uphold", stale)
    assert "already handled" in mod.ephemeral("UMIKE")


async def test_upheld_appeal_keeps_the_ban(mod, keys, platform):
    h = mod.h
    await mod.ban(days=10)
    await h.api(
        "POST",
        "/api/v1/moderation/appeals",
        keys["write"],
        json={"case": "CASE-1", "statement": "Please."},
    )
    await h.settle()
    card = next(m for m in h.fake.messages_in("CMODLOG") if "APL-1" in m.all_text)
    await mod.click("UMIKE", "mod.item.uphold", card)
    assert platform.of("moderation.appeal_decided")[0]["data"]["outcome"] == "upheld"
    assert (await status(h, keys["read"])).json()["banned"]


async def test_export_and_erase_keep_an_anonymised_record(mod, keys, platform):
    h = mod.h
    await mod.warn(handle="tickets4u", content_ids="c-1")
    export = await h.api("GET", "/api/v1/platform-users/web/u-100/export", keys["read"])
    assert export.status_code == 200
    body = export.json()
    assert body["user"]["handle"] == "tickets4u" and body["cases"][0]["content_ids"] == ["c-1"]
    assert_problem(
        await h.api("DELETE", "/api/v1/platform-users/web/u-100", keys["read"]),
        403,
        "insufficient-scope",
    )
    erased = await h.api("DELETE", "/api/v1/platform-users/web/u-100", keys["write"])
    assert erased.status_code == 200 and erased.json()["erased"] is True
    assert_problem(
        await h.api("GET", "/api/v1/platform-users/web/u-100/export", keys["read"]),
        404,
        "not-found",
    )
    async with h.container.reader() as uow:
        case = await uow.session.scalar(select(ModerationCaseRow))
        types = list(await uow.session.scalars(select(EventRow.type).order_by(EventRow.id)))
        assert (await verify_chain(uow.session)).ok
    assert (case.kind, case.rule_code, case.notice_text, case.content_ids) == (
        "warning",
        "false_advertising",
        "",
        [],
    )
    assert "moderation.user_exported" in types and "moderation.user_erased" in types
    await h.settle()
    assert platform.of("moderation.user_erased")[0]["data"]["external_id"] == "u-100"
    # The delivery log no longer holds the identity or the notice text either.
    async with h.container.reader() as uow:
        kept = [r.payload for r in await uow.session.scalars(select(OutboxRow))]
    warned = next(p for p in kept if p.get("type") == "moderation.warning_issued")
    assert warned["data"]["external_id"].startswith("erased-")
    assert warned["data"]["notice_text"] == "" and warned["data"]["content_ids"] == []
    card = mod.card("CASE-1")
    assert "tickets4u" not in card.all_text and "u-100" not in card.all_text


async def test_cases_list_filters_and_pages(mod, keys):
    h = mod.h
    for ref in ("web:u-1", "web:u-2", "web:u-1"):
        await mod.warn(ref=ref)
    first = (await h.api("GET", "/api/v1/moderation/cases?limit=2", keys["read"])).json()
    assert [c["key"] for c in first["items"]] == ["CASE-3", "CASE-2"] and first["next_cursor"]
    second = (
        await h.api(
            "GET", f"/api/v1/moderation/cases?limit=2&cursor={first['next_cursor']}", keys["read"]
        )
    ).json()
    assert [c["key"] for c in second["items"]] == ["CASE-1"] and second["next_cursor"] is None
    mine = (await h.api("GET", "/api/v1/moderation/cases?user=web:u-1", keys["read"])).json()
    assert [c["key"] for c in mine["items"]] == ["CASE-3", "CASE-1"]
    case = (await h.api("GET", "/api/v1/moderation/cases/CASE-2", keys["read"])).json()
    assert case["kind"] == "warning" and case["status"] == "active"
    assert_problem(
        await h.api("GET", "/api/v1/moderation/cases", keys["other"]), 403, "insufficient-scope"
    )
    assert_problem(
        await h.api("GET", "/api/v1/moderation/cases/CASE-9", keys["read"]), 404, "not-found"
    )


async def test_api_warning_acts_for_a_slack_moderator_with_the_same_rules(mod, keys):
    h = mod.h
    for person in ("UNINA", "UMIKE"):  # known to PlatOps once they used it in Slack
        await h.command(person, "/mod", "help")
    body = {"user": "web:u-5", "rule": "spam", "notice_text": "Stop spamming.", "user_id": "UNINA"}
    assert_problem(
        await h.api("POST", "/api/v1/moderation/warnings", keys["write"], json=body),
        403,
        "permission-denied",
    )
    body["user_id"] = "UMIKE"
    response = await h.api("POST", "/api/v1/moderation/warnings", keys["write"], json=body)
    assert response.status_code == 201 and response.json()["created_by"] == "UMIKE"
    bad = await h.api(
        "POST",
        "/api/v1/moderation/warnings",
        keys["write"],
        json={**body, "notice_text": " ", "rule": "nope"},
    )
    problem = assert_problem(bad, 422, "validation")
    assert {e["field"] for e in problem["errors"]} == {"notice_text", "rule"}


@pytest.fixture
def mod(seeded) -> ModDriver:
    return ModDriver(seeded)


async def test_api_confirmation_obeys_the_four_eyes_rule(mod, keys):
    h = mod.h
    for person in ("UMONA", "UMIKE"):
        await h.command(person, "/mod", "help")
    await mod.ban(days=None)
    path = "/api/v1/moderation/cases/CASE-1/confirm"
    own = await h.api("POST", path, keys["write"], json={"user_id": "UMONA"})
    assert_problem(own, 403, "permission-denied")
    other = await h.api("POST", path, keys["write"], json={"user_id": "UMIKE"})
    assert other.status_code == 200 and other.json()["status"] == "active"
    again = await h.api("POST", path, keys["write"], json={"user_id": "UMIKE"})
    assert_problem(again, 409, "conflict")
    await h.settle()
    assert "confirmed by <@UMIKE>" in mod.card("CASE-1").all_text
