"""/api/v1/webhooks end to end: a receiver on 127.0.0.1 gets signed deliveries, retried with
backoff after failures and parked after repeated ones; the delivery log tells the story."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.outbox import MAX_ATTEMPTS
from bot.sandbox.serving import serve_asgi
from domain.access import Actor
from domain.org import services as org
from tests.api.conftest import assert_problem, make_key
from tests.support.harness import Harness

SECRET = "receiver-secret-0123456789"


@dataclass
class Receiver:
    """A tiny webhook endpoint: records every delivery, answers with the queued statuses."""

    url: str = ""
    deliveries: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    always: int = 200

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        self.deliveries.append((headers, body))
        status = self.statuses.pop(0) if self.statuses else self.always
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.deliveries]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    hook = Receiver()
    async with serve_asgi(hook) as url:
        hook.url = f"{url}/platops"
        yield hook


async def add_department(h: Harness, key: str) -> None:
    async with h.container.uow() as uow:
        await org.add_department(uow, Actor.system("test"), key, key.title(), None)
        await uow.commit()


async def subscribe(h: Harness, token: str, url: str, *types: str) -> dict[str, Any]:
    body = {"url": url, "event_types": list(types), "secret": SECRET, "description": "SIEM"}
    response = await h.api("POST", "/api/v1/webhooks", token, json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def deliveries(h: Harness, token: str, hook_id: int) -> list[dict[str, Any]]:
    response = await h.api("GET", f"/api/v1/webhooks/{hook_id}/deliveries", token)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def verify(headers: dict[str, str], body: bytes, secret: str) -> int:
    """Check the signature as a receiver would; returns the signed timestamp."""
    parts = dict(part.split("=", 1) for part in headers["x-platops-signature"].split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    assert hmac.compare_digest(parts["v1"], expected.hexdigest())
    return int(parts["t"])


async def test_subscribe_list_show_and_unsubscribe(harness: Harness, receiver: Receiver) -> None:
    admin = await make_key(harness)
    created = await subscribe(harness, admin, receiver.url, "department.*")
    assert created["secret"] == SECRET and created["created_by"] == "integration:monitoring"
    generated = (
        await harness.api(
            "POST", "/api/v1/webhooks", admin, json={"url": receiver.url, "event_types": ["*"]}
        )
    ).json()
    assert len(generated["secret"]) >= 32  # generated when omitted, shown once
    shown = (await harness.api("GET", f"/api/v1/webhooks/{created['id']}", admin)).json()
    assert "secret" not in shown and shown["event_types"] == ["department.*"]
    first = (await harness.api("GET", "/api/v1/webhooks?limit=1", admin)).json()
    assert [i["id"] for i in first["items"]] == [created["id"]] and first["next_cursor"]
    second = (
        await harness.api("GET", f"/api/v1/webhooks?limit=1&cursor={first['next_cursor']}", admin)
    ).json()
    assert [i["id"] for i in second["items"]] == [generated["id"]]
    assert second["next_cursor"] is None
    assert (
        await harness.api("DELETE", f"/api/v1/webhooks/{created['id']}", admin)
    ).status_code == 204
    gone = (await harness.api("GET", f"/api/v1/webhooks/{created['id']}", admin)).json()
    assert gone["active"] is False
    ping = await harness.api("POST", f"/api/v1/webhooks/{created['id']}/test", admin)
    assert_problem(ping, 409, "conflict")
    reader = await make_key(harness, "events:read", name="reader")
    assert_problem(await harness.api("GET", "/api/v1/webhooks", reader), 403, "insufficient-scope")


async def test_deliveries_are_signed_and_match_the_subscription(
    harness: Harness, receiver: Receiver
) -> None:
    admin = await make_key(harness)
    hook = await subscribe(harness, admin, receiver.url, "department.*")
    await add_department(harness, "sales")
    await harness.settle()
    assert len(receiver.deliveries) == 1
    headers, body = receiver.deliveries[0]
    assert verify(headers, body, SECRET) == int(harness.clock.now().timestamp())
    assert headers["x-platops-event"] == "department.added"
    event = json.loads(body)
    assert event["type"] == "department.added" and event["subject"]["key"] == "sales"
    assert event["actor"] == {"kind": "system", "id": "system:test"}
    with pytest.raises(AssertionError):
        verify(headers, body, "some-other-secret-000")
    [logged] = await deliveries(harness, admin, hook["id"])
    assert logged["state"] == "done" and logged["attempts"] == 1
    assert logged["response_status"] == 200 and logged["event_type"] == "department.added"


async def test_a_failed_delivery_is_retried_with_backoff(
    harness: Harness, receiver: Receiver
) -> None:
    admin = await make_key(harness)
    hook = await subscribe(harness, admin, receiver.url, "department.*")
    receiver.statuses = [500]
    await add_department(harness, "sales")
    await harness.settle()
    [failed] = await deliveries(harness, admin, hook["id"])
    assert failed["state"] == "pending" and failed["attempts"] == 1
    assert failed["response_status"] == 500 and "500" in failed["last_error"]
    await harness.settle()
    assert len(receiver.deliveries) == 1  # not before the backoff has passed
    harness.clock.advance(seconds=2)
    await harness.settle()
    assert len(receiver.deliveries) == 2
    assert receiver.deliveries[0][1] == receiver.deliveries[1][1]  # the same event again
    [done] = await deliveries(harness, admin, hook["id"])
    assert done["state"] == "done" and done["attempts"] == 2 and done["response_status"] == 200


async def test_repeated_failures_park_the_delivery(harness: Harness, receiver: Receiver) -> None:
    admin = await make_key(harness)
    hook = await subscribe(harness, admin, receiver.url, "department.*")
    receiver.always = 503
    await add_department(harness, "sales")
    for _ in range(MAX_ATTEMPTS + 2):
        await harness.settle()
        harness.clock.advance(seconds=1000)  # past the longest backoff
    assert len(receiver.deliveries) == MAX_ATTEMPTS
    [parked] = await deliveries(harness, admin, hook["id"])
    assert parked["state"] == "parked" and parked["attempts"] == MAX_ATTEMPTS
    assert parked["response_status"] == 503


async def test_test_ping_goes_to_that_subscription_only(
    harness: Harness, receiver: Receiver
) -> None:
    admin = await make_key(harness)
    hook = await subscribe(harness, admin, receiver.url, "incident.*")
    other = await subscribe(harness, admin, receiver.url + "/other", "*")
    response = await harness.api("POST", f"/api/v1/webhooks/{hook['id']}/test", admin)
    assert response.status_code == 202 and response.json()["subscription_id"] == hook["id"]
    await harness.settle()
    assert [e["type"] for e in receiver.events()] == ["webhook.test"]
    headers, body = receiver.deliveries[0]
    verify(headers, body, SECRET)
    assert await deliveries(harness, admin, other["id"]) == []
    log = (await harness.api("GET", "/api/v1/events?type=webhook.test", admin)).json()
    assert log["items"][0]["actor"]["id"] == "integration:monitoring"  # audited


async def test_the_delivery_log_is_paginated_newest_first(
    harness: Harness, receiver: Receiver
) -> None:
    admin = await make_key(harness)
    hook = await subscribe(harness, admin, receiver.url, "department.*")
    for key in ("sales", "legal", "finance"):
        await add_department(harness, key)
    await harness.settle()
    url = f"/api/v1/webhooks/{hook['id']}/deliveries?limit=2"
    first = (await harness.api("GET", url, admin)).json()
    second = (await harness.api("GET", f"{url}&cursor={first['next_cursor']}", admin)).json()
    ids = [d["id"] for d in first["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True) and len(ids) == 3
    assert second["next_cursor"] is None
    missing = await harness.api("GET", "/api/v1/webhooks/999/deliveries", admin)
    assert_problem(missing, 404, "not-found")
