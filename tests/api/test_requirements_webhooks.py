"""Every requirement change reaches subscribers as a signed `requirement.*` webhook, whichever
door it came through (Slack modal, API, card button); on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from bot.sandbox.serving import serve_asgi
from tests.api.conftest import make_key
from tests.api.test_webhooks import SECRET, Receiver, subscribe, verify
from tests.commands.requirements.conftest import ReqDriver
from tests.support.harness import Harness


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """The subscriber's endpoint on 127.0.0.1."""
    hook = Receiver()
    async with serve_asgi(hook) as url:
        hook.url = f"{url}/hooks/platops"
        yield hook


async def test_submit_approve_move_are_delivered_signed(any_harness: Harness, receiver: Receiver):
    h = any_harness
    await h.seed_org()
    req = ReqDriver(h)
    admin = await make_key(h, "admin")
    await subscribe(h, admin, receiver.url, "requirement.*")
    token = await make_key(h, "requirements:write", name="portal")

    await req.submit()  # through the Slack modal
    voted = await h.api(
        "POST",
        "/api/v1/requirements/REQ-1/transitions",
        token,
        json={"action": "approve", "user_id": "UCAROL"},
    )
    assert voted.status_code == 200, voted.text
    await h.settle()
    await req.click("UERIN", "req.move.development", req.card())  # a card button

    for headers, body in receiver.deliveries:
        verify(headers, body, SECRET)
    events = receiver.events()
    assert [e["type"] for e in events] == [
        "requirement.submitted",
        "requirement.vote_cast",
        "requirement.approved",
        "requirement.stage_changed",
    ]
    assert [headers["x-platops-event"] for headers, _ in receiver.deliveries] == [
        e["type"] for e in events
    ]
    assert {e["subject"]["key"] for e in events} == {"REQ-1"}
    submitted, vote, approved, moved = events
    assert submitted["actor"] == {"kind": "user", "id": "UBOB"}
    assert submitted["data"]["approvers"] == ["UCAROL", "UDAVE"]
    assert vote["actor"]["id"] == "UCAROL" and vote["data"]["decision"] == "approve"
    assert approved["data"]["from"] == "approval" and approved["data"]["to"] == "design"
    assert moved["actor"]["id"] == "UERIN"
    assert (moved["data"]["from"], moved["data"]["to"]) == ("design", "development")
    assert len({e["id"] for e in events}) == 4  # each event delivered once
    assert json.loads(receiver.deliveries[0][1]) == submitted
