"""`GET /api/v1/me` (any key: what am I?) and `/api/v1/keys` (scope `admin`: manage keys).

Keys are usually made in Slack (`/platops apikey create`) or with `platops apikey create`; an
admin-scoped key may manage keys here too, with the same rules and audit trail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, delete, get, post
from litestar.params import JSONBody, PathParameter
from litestar.status_codes import HTTP_204_NO_CONTENT
from pydantic import BaseModel, Field

from api.auth import require_scope
from api.dependencies import AppContainer, Principal
from api.pagination import Page, page_of
from api.schemas import problems
from domain.apikeys import services as apikeys
from domain.apikeys.models import SCOPES, ApiKey


class KeyOut(BaseModel):
    name: str
    prefix: str = Field(description="Public part of the key, e.g. pok_3f9a1c2b.")
    scopes: list[str]
    created_at: datetime
    created_by: str
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    rate_limit_per_minute: int


class KeyIn(BaseModel):
    name: str = Field(max_length=80)
    scopes: list[str] = Field(description=f"Any of: {', '.join(SCOPES)}.")
    expires_at: datetime | None = None


class KeyCreated(KeyOut):
    token: str = Field(description="`Authorization: Bearer <token>`. Shown only now.")


def key_out(key: ApiKey) -> KeyOut:
    return KeyOut(
        name=key.name,
        prefix=key.prefix,
        scopes=sorted(key.scopes),
        created_at=key.created_at,
        created_by=key.created_by,
        expires_at=key.expires_at,
        revoked_at=key.revoked_at,
        last_used_at=key.last_used_at,
        rate_limit_per_minute=key.rate_limit_per_minute,
    )


class MeController(Controller):
    path = "/me"
    tags = ["keys"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get("/", responses=problems(), summary="The calling key: name, scopes, expiry")
    async def me(self, principal: Principal) -> KeyOut:
        return key_out(principal.key)


class KeysController(Controller):
    path = "/keys"
    tags = ["keys"]  # noqa: RUF012
    guards = [require_scope("admin")]  # noqa: RUF012

    @get("/", responses=problems(403), summary="Every API key (never the secrets)")
    async def list_keys(self, container: AppContainer, principal: Principal) -> Page[KeyOut]:
        async with container.reader() as uow:
            keys = await apikeys.list_api_keys(uow, principal.actor)
        # Keys are few; one page holds them all.
        return page_of(keys, len(keys), lambda k: k.id or 0, key_out)

    @post("/", responses=problems(403, 413, 422), summary="Create a key (token shown once)")
    async def create_key(
        self, container: AppContainer, principal: Principal, data: JSONBody[KeyIn]
    ) -> KeyCreated:
        async with container.uow() as uow:
            created = await apikeys.create_api_key(
                uow, principal.actor, data.name, data.scopes, data.expires_at
            )
            await uow.commit()
        return KeyCreated(**key_out(created.key).model_dump(), token=created.token)

    @delete(
        "/{prefix:str}",
        status_code=HTTP_204_NO_CONTENT,
        responses=problems(403, 404, 409),
        summary="Revoke a key at once",
    )
    async def revoke_key(
        self,
        container: AppContainer,
        principal: Principal,
        prefix: Annotated[str, PathParameter(description="e.g. pok_3f9a1c2b")],
    ) -> None:
        async with container.uow() as uow:
            await apikeys.revoke_api_key(uow, principal.actor, prefix)
            await uow.commit()
