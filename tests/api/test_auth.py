"""Bearer keys: who may call, with which scope, and on whose behalf."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api.auth import ApiPrincipal, acting_user
from domain.access import ActorKind, Role
from domain.apikeys.services import actor_for_key, authenticate
from domain.errors import ValidationFailed
from domain.people.models import Person
from tests.api.conftest import assert_problem, make_key
from tests.support.harness import Harness


async def test_no_key_is_401_with_a_bearer_challenge(harness: Harness) -> None:
    response = await harness.api("GET", "/api/v1/me")
    assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["detail"]


@pytest.mark.parametrize(
    "header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer two words", "pok_1234.secret"]
)
async def test_malformed_authorization_is_401(harness: Harness, header: str) -> None:
    response = await harness.api("GET", "/api/v1/me", headers={"Authorization": header})
    assert_problem(response, 401, "unauthorized")
    assert 'error="invalid_request"' in response.headers["www-authenticate"]


async def test_unknown_wrong_secret_revoked_and_expired_keys_are_401(harness: Harness) -> None:
    good = await make_key(harness, "events:read")
    revoked = await make_key(harness, "events:read", name="old", revoked=True)
    expiring = await make_key(
        harness,
        "events:read",
        name="temp",
        expires_at=harness.clock.now() + timedelta(hours=1),
    )
    prefix = good.split(".")[0]
    assert (await harness.api("GET", "/api/v1/me", expiring)).status_code == 200
    harness.clock.advance(hours=2)
    for token in (
        "pok_00000000.nope",
        f"{prefix}.wrong-secret",
        "not-a-key-at-all",
        revoked,
        expiring,
    ):
        response = await harness.api("GET", "/api/v1/me", token)
        assert_problem(response, 401, "unauthorized")
        assert 'error="invalid_token"' in response.headers["www-authenticate"], token
    assert (await harness.api("GET", "/api/v1/me", good)).status_code == 200


async def test_a_key_without_the_scope_gets_403_naming_it(harness: Harness) -> None:
    token = await make_key(harness, "incidents:read")
    response = await harness.api("GET", "/api/v1/events", token)
    problem = assert_problem(response, 403, "insufficient-scope")
    assert "events:read" in problem["detail"]
    assert 'scope="events:read"' in response.headers["www-authenticate"]
    # admin implies every scope
    admin = await make_key(harness, "admin", name="ops-admin")
    assert (await harness.api("GET", "/api/v1/events", admin)).status_code == 200


async def test_me_describes_the_calling_key(harness: Harness) -> None:
    expires = harness.clock.now() + timedelta(days=30)
    token = await make_key(harness, "events:read", "incidents:write", expires_at=expires)
    body = (await harness.api("GET", "/api/v1/me", token)).json()
    assert body["name"] == "monitoring"
    assert body["prefix"] == token.split(".")[0]
    assert body["scopes"] == ["events:read", "incidents:write"]
    assert body["expires_at"].startswith("2026-02-04T09:00:00")
    assert "token" not in body and "secret_hash" not in body


async def _last_used(harness: Harness, token: str) -> object:
    async with harness.container.reader() as uow:
        key = await authenticate(uow, token)
    assert key is not None
    return key.last_used_at


async def test_key_use_is_recorded_at_most_once_a_minute(harness: Harness) -> None:
    token = await make_key(harness, "events:read")
    assert await _last_used(harness, token) is None
    first = harness.clock.now()
    await harness.api("GET", "/api/v1/me", token)
    assert await _last_used(harness, token) == first
    harness.clock.advance(seconds=30)
    await harness.api("GET", "/api/v1/me", token)
    assert await _last_used(harness, token) == first  # within the minute: no write
    later = harness.clock.advance(seconds=31)
    await harness.api("GET", "/api/v1/me", token)
    assert await _last_used(harness, token) == later


async def test_acting_user_carries_the_persons_grants_and_the_key(seeded: Harness) -> None:
    token = await make_key(seeded, "incidents:write")
    async with seeded.container.uow() as uow:  # people Slack has told us about
        await uow.people.save(Person("UOSCAR", "oscar", email="oscar@example.com"))
        await uow.people.save(Person("UCAROL", "carol", email="carol@example.com"))
        await uow.commit()
    async with seeded.container.reader() as uow:
        key = await authenticate(uow, token)
        assert key is not None and key.id is not None
        principal = ApiPrincipal(key, actor_for_key(key))
        oscar = await acting_user(uow, principal, "UOSCAR", None)
        carol = await acting_user(uow, principal, None, "carol@example.com")
        itself = await acting_user(uow, principal, None, None)
        with pytest.raises(ValidationFailed) as unknown:
            await acting_user(uow, principal, None, "nobody@example.com")
        with pytest.raises(ValidationFailed) as both:
            await acting_user(uow, principal, "UOSCAR", "carol@example.com")
    assert oscar.kind is ActorKind.USER and oscar.user_id == "UOSCAR"
    assert oscar.api_key_id == key.id
    platform_id = next(iter(oscar.grants)).platform_id
    assert oscar.has_role(Role.OPERATOR, platform_id=platform_id)
    assert not oscar.has_role(Role.ADMIN)
    assert carol.user_id == "UCAROL" and carol.has_role(Role.APPROVER)
    assert itself is principal.actor
    assert list(unknown.value.fields) == ["email"]
    assert list(both.value.fields) == ["user_id"]


async def test_a_revoked_key_is_refused_at_once_although_keys_are_cached(seeded):
    """Verified keys are remembered briefly; revoking one must still take effect immediately."""
    await seeded.command("UALICE", "/platops", "apikey create cached events:read")
    token = seeded.fake.ephemerals_for("UALICE")[-1].text.split("`")[-2]
    assert (await seeded.api("GET", "/api/v1/me", token)).status_code == 200
    assert (await seeded.api("GET", "/api/v1/me", token)).status_code == 200  # from the cache
    await seeded.command("UALICE", "/platops", f"apikey revoke {token.split('.')[0]}")
    assert (await seeded.api("GET", "/api/v1/me", token)).status_code == 401
