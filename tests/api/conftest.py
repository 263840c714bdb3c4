"""Helpers for API tests: keys made through the same use case Slack and the CLI use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update

from domain.access import Actor
from domain.apikeys.services import create_api_key, revoke_api_key
from storage.models.core import ApiKeyRow
from tests.support.harness import Harness


async def make_key(
    h: Harness,
    *scopes: str,
    name: str = "monitoring",
    expires_at: datetime | None = None,
    revoked: bool = False,
    rate_limit_per_minute: int | None = None,
) -> str:
    """A bearer token with `scopes` (default: admin)."""
    system = Actor.system("test")
    async with h.container.uow() as uow:
        created = await create_api_key(uow, system, name, list(scopes or ("admin",)), expires_at)
        if revoked:
            await revoke_api_key(uow, system, created.key.prefix)
        await uow.commit()
    if rate_limit_per_minute is not None:
        async with h.container.database.write_session() as session:
            await session.execute(
                update(ApiKeyRow)
                .where(ApiKeyRow.prefix == created.key.prefix)
                .values(rate_limit_per_minute=rate_limit_per_minute)
            )
            await session.commit()
    return created.token


def assert_problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    """The response is RFC 9457 problem+json of that status and type; returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["type"] == f"urn:platops:problem:{slug}"
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["instance"].startswith("/api/v1")
    assert "Traceback" not in response.text
    return body
