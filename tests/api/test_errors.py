"""Every failure is RFC 9457 problem+json: domain errors, bad input, limits, unknown routes."""

from __future__ import annotations

from tests.api.conftest import assert_problem, make_key
from tests.support.harness import Harness

HOOK = {"url": "https://siem.example.com/hook", "event_types": ["*"]}


async def test_domain_validation_is_422_naming_every_field_in_english(harness: Harness) -> None:
    admin = await make_key(harness)
    response = await harness.api(
        "POST",
        "/api/v1/webhooks",
        admin,
        json={"url": "ftp://x", "event_types": ["*"], "secret": "short"},
    )
    problem = assert_problem(response, 422, "validation")
    assert {e["field"] for e in problem["errors"]} == {"url", "secret"}
    assert "http(s) URL" in problem["detail"] and "16 characters" in problem["detail"]
    listing = await harness.api("GET", "/api/v1/webhooks", admin)
    assert listing.json()["items"] == []  # nothing half-created


async def test_wrong_types_and_missing_fields_are_422_naming_them(harness: Harness) -> None:
    admin = await make_key(harness)
    response = await harness.api(
        "POST", "/api/v1/webhooks", admin, json={"url": 5, "event_types": "incident.*"}
    )
    problem = assert_problem(response, 422, "validation")
    assert {e["field"] for e in problem["errors"]} == {"url", "event_types"}
    missing = await harness.api("POST", "/api/v1/webhooks", admin, json={"url": HOOK["url"]})
    assert [e["field"] for e in assert_problem(missing, 422, "validation")["errors"]] == [
        "event_types"
    ]


async def test_malformed_json_is_422_about_the_body(harness: Harness) -> None:
    admin = await make_key(harness)
    response = await harness.api(
        "POST",
        "/api/v1/webhooks",
        admin,
        content=b'{"url": ',
        headers={"Content-Type": "application/json"},
    )
    problem = assert_problem(response, 422, "validation")
    assert problem["errors"][0]["field"] == "body"


async def test_bad_query_parameters_are_422(harness: Harness) -> None:
    token = await make_key(harness, "events:read")
    for query in ("limit=0", "limit=201", "limit=ten"):
        response = await harness.api("GET", f"/api/v1/events?{query}", token)
        problem = assert_problem(response, 422, "validation")
        assert problem["errors"][0]["field"] == "limit"


async def test_not_found_conflict_and_unknown_routes(harness: Harness) -> None:
    admin = await make_key(harness)
    missing = await harness.api("GET", "/api/v1/webhooks/999", admin)
    problem = assert_problem(missing, 404, "not-found")
    assert problem["code"] == "errors.webhook.not_found" and "999" in problem["detail"]
    created = (await harness.api("POST", "/api/v1/webhooks", admin, json=HOOK)).json()
    assert (
        await harness.api("DELETE", f"/api/v1/webhooks/{created['id']}", admin)
    ).status_code == 204
    again = await harness.api("DELETE", f"/api/v1/webhooks/{created['id']}", admin)
    assert_problem(again, 409, "conflict")
    no_route = await harness.api("GET", "/api/v1/no-such-thing", admin)
    assert "/api/docs" in assert_problem(no_route, 404, "not-found")["detail"]
    wrong_method = await harness.api("PUT", "/api/v1/events", admin)
    assert_problem(wrong_method, 405, "method-not-allowed")
    # Outside the API, Litestar's own answers are untouched.
    assert (await harness.http.get("/healthz")).json() == {"status": "ok"}


async def test_bodies_over_one_mebibyte_are_413(harness: Harness) -> None:
    admin = await make_key(harness)
    huge = b'{"url": "' + b"x" * (1024 * 1024) + b'"}'
    for headers in ({}, {"Idempotency-Key": "big-1"}):
        response = await harness.api(
            "POST",
            "/api/v1/webhooks",
            admin,
            content=huge,
            headers={"Content-Type": "application/json", **headers},
        )
        assert "1048576" in assert_problem(response, 413, "payload-too-large")["detail"]


async def test_rate_limit_answers_429_with_retry_after_then_recovers(harness: Harness) -> None:
    token = await make_key(harness, "events:read", rate_limit_per_minute=3)
    other = await make_key(harness, "events:read", name="other")
    statuses = [(await harness.api("GET", "/api/v1/me", token)).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = await harness.api("GET", "/api/v1/me", token)
    problem = assert_problem(limited, 429, "rate-limited")
    assert limited.headers["retry-after"] == "20"
    assert "3 per minute" in problem["detail"]
    assert (await harness.api("GET", "/api/v1/me", other)).status_code == 200  # per key
    harness.clock.advance(seconds=20)
    assert (await harness.api("GET", "/api/v1/me", token)).status_code == 200
    assert (await harness.api("GET", "/api/v1/me", token)).status_code == 429
