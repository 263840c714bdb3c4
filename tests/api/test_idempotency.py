"""Idempotency-Key on POSTs: replays return the first response and create nothing twice."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from sqlalchemy import func, select

from api.idempotency import fingerprint, purge_idempotency_keys
from domain.apikeys.services import authenticate
from storage.models.core import EventRow, IdempotencyKeyRow
from tests.api.conftest import assert_problem, make_key
from tests.support.harness import Harness

HOOK = {"url": "https://siem.example.com/hook", "event_types": ["incident.*"]}


async def subscriptions_recorded(h: Harness) -> int:
    async with h.container.database.read_session() as session:
        count = await session.scalar(
            select(func.count()).select_from(EventRow).where(EventRow.type == "webhook.subscribed")
        )
    return int(count or 0)


async def post_hook(h: Harness, token: str, key: str, body: dict[str, object] = HOOK) -> object:
    return await h.api(
        "POST", "/api/v1/webhooks", token, json=body, headers={"Idempotency-Key": key}
    )


async def test_a_replay_returns_the_first_response_and_creates_nothing(
    any_harness: Harness,
) -> None:
    h = any_harness
    admin = await make_key(h)
    first = await post_hook(h, admin, "sub-1")
    assert first.status_code == 201 and "idempotent-replayed" not in first.headers
    # Same meaning, different spelling of the JSON: still the same request.
    replay = await h.api(
        "POST",
        "/api/v1/webhooks",
        admin,
        content=b'{ "event_types": ["incident.*"],\n "url": "https://siem.example.com/hook" }',
        headers={"Idempotency-Key": "sub-1", "Content-Type": "application/json"},
    )
    assert replay.status_code == 201
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.headers["content-type"] == first.headers["content-type"]
    assert replay.json() == first.json()  # the secret too: it is the same subscription
    assert await subscriptions_recorded(h) == 1
    listing = (await h.api("GET", "/api/v1/webhooks", admin)).json()
    assert [item["id"] for item in listing["items"]] == [first.json()["id"]]
    # Without a key, or with another key, a POST runs again.
    assert (await post_hook(h, admin, "sub-2")).json()["id"] != first.json()["id"]
    assert await subscriptions_recorded(h) == 2


async def test_keys_are_scoped_per_api_key(any_harness: Harness) -> None:
    h = any_harness
    one = await make_key(h, name="one")
    two = await make_key(h, name="two")
    a = await post_hook(h, one, "shared")
    b = await post_hook(h, two, "shared")
    assert a.json()["id"] != b.json()["id"]
    assert "idempotent-replayed" not in b.headers


async def test_the_same_key_with_a_different_body_is_422(any_harness: Harness) -> None:
    h = any_harness
    admin = await make_key(h)
    assert (await post_hook(h, admin, "k")).status_code == 201
    other = {**HOOK, "url": "https://bi.example.com/hook"}
    problem = assert_problem(await post_hook(h, admin, "k", other), 422, "idempotency-mismatch")
    assert problem["errors"][0]["field"] == "Idempotency-Key"
    assert await subscriptions_recorded(h) == 1


async def test_a_request_still_running_under_the_key_gets_409(any_harness: Harness) -> None:
    h = any_harness
    admin = await make_key(h)
    async with h.container.reader() as uow:
        key = await authenticate(uow, admin)
    assert key is not None and key.id is not None
    # Another worker is inside the handler with this very request: its claim is unfinished.
    scope = {"method": "POST", "path": "/api/v1/webhooks", "query_string": b""}
    async with h.container.database.write_session() as session:
        session.add(
            IdempotencyKeyRow(
                api_key_id=key.id,
                key="busy",
                request_hash=fingerprint(scope, json.dumps(HOOK).encode()),  # type: ignore[arg-type]
                state="running",
                created_at=h.clock.now(),
            )
        )
        await session.commit()
    problem = assert_problem(await post_hook(h, admin, "busy"), 409, "idempotency-running")
    assert "still running" in problem["detail"]
    assert await subscriptions_recorded(h) == 0
    # A claim left behind by a crash is taken over after five minutes.
    h.clock.advance(minutes=5)
    assert (await post_hook(h, admin, "busy")).status_code == 201
    assert await subscriptions_recorded(h) == 1


async def test_concurrent_twins_create_exactly_one(any_harness: Harness) -> None:
    h = any_harness
    admin = await make_key(h)
    responses = await asyncio.gather(*(post_hook(h, admin, "twin") for _ in range(6)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(201) >= 1 and set(statuses) <= {201, 409}, statuses
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1
    for response in responses:
        if response.status_code == 409:
            assert_problem(response, 409, "idempotency-running")
    assert await subscriptions_recorded(h) == 1


async def test_failures_release_the_key_and_keys_expire_after_a_day(
    any_harness: Harness,
) -> None:
    h = any_harness
    admin = await make_key(h)
    bad = await post_hook(h, admin, "fix-me", {**HOOK, "url": "ftp://nope"})
    assert bad.status_code == 422
    fixed = await post_hook(h, admin, "fix-me")  # corrected body, same key: runs
    assert fixed.status_code == 201 and "idempotent-replayed" not in fixed.headers
    h.clock.advance(timedelta(hours=24, seconds=1))
    later = await post_hook(h, admin, "fix-me")
    assert later.status_code == 201 and "idempotent-replayed" not in later.headers
    assert await subscriptions_recorded(h) == 2


async def test_invalid_idempotency_keys_are_422(harness: Harness) -> None:
    admin = await make_key(harness)
    problem = assert_problem(await post_hook(harness, admin, "x" * 256), 422, "validation")
    assert problem["errors"][0]["field"] == "Idempotency-Key"


async def test_the_purge_job_forgets_keys_older_than_a_day(harness: Harness) -> None:
    admin = await make_key(harness)
    await post_hook(harness, admin, "old")
    harness.clock.advance(hours=23)
    await post_hook(harness, admin, "recent")
    assert await purge_idempotency_keys(harness.container) == 0
    harness.clock.advance(hours=2)
    assert await purge_idempotency_keys(harness.container) == 1
    assert (await post_hook(harness, admin, "recent")).headers["idempotent-replayed"] == "true"


async def test_the_key_is_done_before_the_client_has_the_answer(any_harness: Harness) -> None:
    """A client retrying the moment it has the answer replays it (no 409 "still running")."""
    h = any_harness
    admin = await make_key(h)
    for attempt in range(5):
        key = f"quick-{attempt}"
        first = await post_hook(h, admin, key, {**HOOK, "url": f"https://siem.example.com/{key}"})
        async with h.container.database.read_session() as session:
            states = list(await session.scalars(select(IdempotencyKeyRow.state)))
        assert first.status_code == 201 and states.count("running") == 0, states
