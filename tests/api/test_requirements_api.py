"""`/api/v1/requirements`: the same use cases and rules as Slack, through real HTTP.

Submissions and votes act for a Slack person; what they change shows up on the fake Slack
(card and DMs updated in place) exactly as if the person had clicked.
"""

from __future__ import annotations

from typing import Any

import pytest

from domain.access import Actor
from domain.org.services import add_department, configure_department
from domain.people.services import grant_role
from tests.api.conftest import assert_problem, make_key
from tests.commands.requirements.conftest import GOOD, ReqDriver
from tests.support.harness import Harness

API = "/api/v1/requirements"


@pytest.fixture
def req(seeded: Harness) -> ReqDriver:
    return ReqDriver(seeded)


@pytest.fixture
async def keys(seeded: Harness) -> dict[str, str]:
    return {
        "read": await make_key(seeded, "requirements:read", name="portal-read"),
        "write": await make_key(seeded, "requirements:write", name="portal"),
        "other": await make_key(seeded, "incidents:write", name="monitoring"),
    }


async def submit(h: Harness, token: str, **changes: Any) -> Any:
    return await h.api("POST", API, token, json={**GOOD, "user_id": "UBOB", **changes})


async def act(h: Harness, token: str, key: str = "REQ-1", **body: Any) -> Any:
    response = await h.api("POST", f"{API}/{key}/transitions", token, json=body)
    await h.settle()
    return response


async def used_the_bot(h: Harness, *users: str) -> None:
    """Profiles (and so emails) are learnt when people first use the bot."""
    for user in users:
        await h.command(user, "/platops", "whoami")


def fields(response: Any) -> set[str]:
    return {e["field"] for e in assert_problem(response, 422, "validation")["errors"]}


async def set_quorum(h: Harness, quorum: int) -> None:
    async with h.container.uow() as uow:
        await configure_department(uow, Actor.system("test"), "marketing", approval_quorum=quorum)
        await uow.commit()


async def count(h: Harness, token: str, query: str = "") -> int:
    return len((await h.api("GET", f"{API}?limit=200{query}", token)).json()["items"])


async def test_scopes_people_and_field_errors_change_nothing(req, keys):
    h = req.h
    assert_problem(await submit(h, keys["read"]), 403, "insufficient-scope")
    assert_problem(await submit(h, keys["other"]), 403, "insufficient-scope")
    assert_problem(await h.api("GET", API, keys["other"]), 403, "insufficient-scope")
    assert_problem(await h.api("GET", API), 401, "unauthorized")
    assert fields(await submit(h, keys["write"], user_id="UNOBODY")) == {"user_id"}
    assert fields(await submit(h, keys["write"], user_id=None, email="x@example.com")) == {"email"}
    bad = await submit(
        h,
        keys["write"],
        title=" ",
        priority="urgent",
        wanted_by="2025-12-31",
        department="finance",
    )
    assert fields(bad) == {"title", "priority", "wanted_by", "department"}
    assert "Pick a priority: low, medium, high, critical." in bad.json()["detail"]
    assert "wanted_by" in fields(await submit(h, keys["write"], wanted_by="next week"))
    assert "description" in fields(
        await h.api("POST", API, keys["write"], json={"title": "x", "user_id": "UBOB"})
    )
    # A member of another department, and an approver who is no member, are refused too.
    assert fields(await submit(h, keys["write"], user_id="UCAROL")) == {"department"}
    # A key alone is nobody: requirements are submitted by people.
    alone = assert_problem(await submit(h, keys["write"], user_id=None), 403, "permission-denied")
    assert "on behalf of a Slack user" in alone["detail"]
    await h.settle()
    assert await count(h, keys["read"]) == 0
    assert h.fake.find_message("REQ-1", channel="CMARKETING") is None
    assert await req.events() == []


async def test_submission_on_behalf_by_email_is_idempotent(req, keys):
    h = req.h
    await used_the_bot(h, "UBOB")
    body = {**GOOD, "email": "bob@example.com"}
    headers = {"Idempotency-Key": "portal-form-77"}
    first = await h.api("POST", API, keys["write"], json=body, headers=headers)
    assert first.status_code == 201, first.text
    replay = await h.api("POST", API, keys["write"], json=body, headers=headers)
    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
    assert replay.json() == first.json()
    created = first.json()
    assert created["key"] == "REQ-1" and created["submitter"] == "UBOB"
    assert created["stage"] == "approval" and created["status"] == "pending"
    assert created["approvers"] == ["UCAROL", "UDAVE"] and created["waiting_for"] == [
        "UCAROL",
        "UDAVE",
    ]
    (submitted,) = created["history"]
    assert submitted["type"] == "requirement.submitted"
    assert submitted["actor"] == {"kind": "user", "id": "UBOB"}
    await h.settle()
    assert await count(h, keys["read"]) == 1
    assert [e.type for e in await req.events()] == ["requirement.submitted"]
    assert "REQ-1 · Spring campaign landing page" in req.card().all_text
    assert "Approve" in req.dm("UCAROL").all_text and "Approve" in req.dm("UDAVE").all_text
    req.assert_valid_block_kit()


async def test_votes_by_api_update_the_card_and_dms_in_place(req, keys):
    h = req.h
    await used_the_bot(h, "UDAVE")
    await set_quorum(h, 2)
    assert (await submit(h, keys["write"])).status_code == 201
    await h.settle()
    # An integration alone may not vote; nor the submitter; nor someone outside the round.
    alone = await act(h, keys["write"], action="approve")
    assert "on behalf of a Slack user" in assert_problem(alone, 403, "permission-denied")["detail"]
    own = await act(h, keys["write"], action="approve", user_id="UBOB")
    assert "your own requirement" in assert_problem(own, 403, "permission-denied")["detail"]
    outsider = await act(h, keys["write"], action="approve", user_id="UERIN")
    assert "not an approver" in assert_problem(outsider, 403, "permission-denied")["detail"]
    assert fields(await act(h, keys["write"], action="reject", user_id="UCAROL")) == {"reason"}
    assert fields(await act(h, keys["write"], action="sign")) == {"action"}

    voted = await act(h, keys["write"], action="approve", user_id="UCAROL")
    assert voted.status_code == 200, voted.text
    assert voted.json()["approvals"] == 1 and voted.json()["waiting_for"] == ["UDAVE"]
    again = await act(h, keys["write"], action="approve", user_id="UCAROL")
    assert "already counted" in assert_problem(again, 409, "conflict")["detail"]
    assert "1 of 2 approvals" in req.card().all_text and req.card().edits
    dave_dm = req.dm("UDAVE")
    assert "1 of 2 approvals" in dave_dm.all_text and dave_dm.edits
    assert [b for b in req.dm("UCAROL").blocks if b["type"] == "actions"] == []

    decided = await act(h, keys["write"], action="approve", email="dave@example.com")
    assert decided.json()["stage"] == "design" and decided.json()["status"] == "active"
    assert [v["cast_by"] for v in decided.json()["votes"]] == ["UCAROL", "UDAVE"]
    assert "Design" in req.card().all_text
    assert [b for b in req.dm("UDAVE").blocks if b["type"] == "actions"] == []
    assert any("was approved" in m.all_text for m in h.fake.dms_to("UBOB"))
    types = [e.type for e in await req.events()]
    assert types.count("requirement.vote_cast") == 2 and types.count("requirement.approved") == 1
    # The API key shows in the audit log next to the person.
    vote = next(e for e in await req.events() if e.type == "requirement.vote_cast")
    assert vote.actor_id == "UCAROL"
    req.assert_valid_block_kit()


async def test_stages_tests_and_owner_with_the_slack_rules(req, keys):
    h = req.h
    await used_the_bot(h, "UERIN")
    await submit(h, keys["write"])
    await act(h, keys["write"], action="approve", user_id="UCAROL")
    illegal = await act(h, keys["write"], action="move", stage="live", user_id="UERIN")
    problem = assert_problem(illegal, 409, "invalid-transition")
    assert "cannot go from design to live" in problem["detail"]
    assert "Next stages allowed: development" in problem["detail"]
    member = await act(h, keys["write"], action="move", stage="development", user_id="UBOB")
    assert_problem(member, 403, "permission-denied")
    assert fields(await act(h, keys["write"], action="move", user_id="UERIN")) == {"stage"}
    assert fields(await act(h, keys["write"], action="move", stage="done", user_id="UERIN")) == {
        "stage"
    }
    early = await act(h, keys["write"], action="record_test", result="pass", evidence="ok")
    assert "not in testing" in assert_problem(early, 409, "conflict")["detail"]

    for stage in ("development", "testing"):
        moved = await act(
            h, keys["write"], action="move", stage=stage, note="planned", user_id="UERIN"
        )
        assert moved.json()["stage"] == stage, moved.text
    live_too_soon = await act(h, keys["write"], action="move", stage="live", user_id="UERIN")
    assert "passing test" in assert_problem(live_too_soon, 409, "conflict")["detail"]
    assert fields(await act(h, keys["write"], action="record_test", evidence="ci")) == {"result"}
    assert fields(await act(h, keys["write"], action="record_test", result="pass")) == {"evidence"}
    # The key alone (a CI system) records test results; a failed one goes back to development.
    failed = await act(h, keys["write"], action="record_test", result="fail", evidence="iOS 500s")
    assert failed.json()["stage"] == "development"
    await act(h, keys["write"], action="move", stage="testing", user_id="UERIN")
    await act(h, keys["write"], action="record_test", result="pass", evidence="https://ci/42")
    assigned = await act(h, keys["write"], action="assign", owner="erin@example.com")
    assert assigned.json()["owner"] == "UERIN"
    assert fields(await act(h, keys["write"], action="assign", owner="nobody@example.com")) == {
        "owner"
    }
    assert fields(await act(h, keys["write"], action="assign", owner="UNINA")) == {"owner"}
    live = await act(h, keys["write"], action="move", stage="live", email="erin@example.com")
    body = live.json()
    assert body["stage"] == "live" and body["status"] == "done"
    assert [t["passed"] for t in body["tests"]] == [False, True]
    assert body["tests"][0]["recorded_by"] == "integration:portal"
    assert "Live" in req.card().all_text
    assert any("is live" in m.all_text for m in h.fake.dms_to("UBOB"))
    closed = await act(h, keys["write"], action="withdraw", user_id="UBOB")
    assert "already closed" in assert_problem(closed, 409, "conflict")["detail"]

    detail = (await h.api("GET", f"{API}/req-1", keys["read"])).json()
    moves = [
        (e["data"]["from"], e["data"]["to"])
        for e in detail["history"]
        if e["type"] == "requirement.stage_changed"
    ]
    assert moves[-1] == ("testing", "live") and len(moves) == 5
    kinds = {e["actor"]["kind"] for e in detail["history"]}
    assert kinds == {"user", "integration"}
    assert_problem(await h.api("GET", f"{API}/REQ-9", keys["read"]), 404, "not-found")
    assert fields(await h.api("GET", f"{API}/nine", keys["read"])) == {"key"}
    req.assert_valid_block_kit()


async def test_withdraw_is_for_the_submitter_only(req, keys):
    h = req.h
    await submit(h, keys["write"])
    other = await act(h, keys["write"], action="withdraw", user_id="UZHANG")
    assert "Only the submitter" in assert_problem(other, 403, "permission-denied")["detail"]
    done = await act(h, keys["write"], action="withdraw", user_id="UBOB", reason="budget cut")
    assert done.json()["stage"] == "withdrawn" and done.json()["status"] == "closed"
    assert "Withdrawn" in req.card().all_text
    late = await act(h, keys["write"], action="approve", user_id="UCAROL")
    assert "no longer waiting" in assert_problem(late, 409, "conflict")["detail"]


async def test_pages_and_filters(req, keys):
    h = req.h
    system = Actor.system("test")
    async with h.container.uow() as uow:
        await add_department(uow, system, "sales", "Sales", "CGENERAL")
        await grant_role(uow, system, "UZHANG", "member", "sales")
        await grant_role(uow, system, "UDAVE", "approver", "sales")
        await uow.commit()
    for n in range(3):
        assert (await submit(h, keys["write"], title=f"Marketing {n}")).status_code == 201
    h.clock.advance(hours=1)
    after = h.clock.now().isoformat()
    h.clock.advance(minutes=1)
    sales = await submit(h, keys["write"], user_id="UZHANG", department="sales", title="Sales 1")
    assert sales.status_code == 201, sales.text
    await act(h, keys["write"], "REQ-1", action="approve", user_id="UCAROL")

    first = (await h.api("GET", f"{API}?limit=2", keys["read"])).json()
    assert [r["key"] for r in first["items"]] == ["REQ-4", "REQ-3"]
    second = (
        await h.api("GET", f"{API}?limit=2&cursor={first['next_cursor']}", keys["read"])
    ).json()
    assert [r["key"] for r in second["items"]] == ["REQ-2", "REQ-1"]
    assert second["next_cursor"] is None

    async def keys_of(query: str) -> list[str]:
        response = await h.api("GET", f"{API}?{query}", keys["read"])
        assert response.status_code == 200, response.text
        return [r["key"] for r in response.json()["items"]]

    assert await keys_of("department=sales") == ["REQ-4"]
    assert await keys_of("department=marketing&stage=approval") == ["REQ-3", "REQ-2"]
    assert await keys_of("status=active") == ["REQ-1"]
    assert await keys_of("status=pending&department=marketing") == ["REQ-3", "REQ-2"]
    assert await keys_of(f"submitted_after={after.replace('+00:00', 'Z')}") == ["REQ-4"]
    assert fields(await h.api("GET", f"{API}?stage=shipped", keys["read"])) == {"stage"}
    assert fields(await h.api("GET", f"{API}?status=open", keys["read"])) == {"status"}
    assert fields(await h.api("GET", f"{API}?department=finance", keys["read"])) == {"department"}
    assert fields(await h.api("GET", f"{API}?cursor=bogus", keys["read"])) == {"cursor"}
    assert fields(await h.api("GET", f"{API}?submitted_after=yesterday", keys["read"])) == {
        "submitted_after"
    }


async def test_the_routes_are_documented(seeded):
    spec = (await seeded.http.get("/api/docs/openapi.json")).json()
    paths = spec["paths"]
    assert set(paths[API]) == {"get", "post"}
    assert set(paths[f"{API}/{{key}}"]) == {"get"}
    assert set(paths[f"{API}/{{key}}/transitions"]) == {"post"}
    listing = {p["name"] for p in paths[API]["get"]["parameters"]}
    assert listing >= {"department", "stage", "status", "submitted_after", "cursor", "limit"}
    assert "409" in paths[f"{API}/{{key}}/transitions"]["post"]["responses"]
