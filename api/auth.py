"""API-key authentication, per-route scopes, and acting on behalf of a Slack user.

`ApiKeyAuth` (router middleware) turns `Authorization: Bearer pok_xxxxxxxx.secret` into an
`ApiPrincipal` at `scope["auth"]`, or answers 401 with `WWW-Authenticate: Bearer`. Handlers
receive it as the `principal` dependency (api/dependencies.py) and guard their scope:

    @get("/incidents", guards=[require_scope("incidents:read")])
    async def list_incidents(self, container: AppContainer, principal: Principal) -> ...

`principal.actor` is the integration itself (its scopes decide domain permissions); use
`acting_user` when an endpoint acts for a Slack person, so the same role rules apply as in Slack.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Scopes, Send

from api.errors import ApiProblem
from bot.bootstrap import Container
from domain.access import Actor
from domain.apikeys.models import ApiKey, hash_secret
from domain.apikeys.services import actor_for_key, authenticate
from domain.errors import ValidationFailed
from domain.ports import UnitOfWork
from storage.uow import Committed

# Writing `last_used_at` on every request would turn each read into a write: once a minute will do.
KEY_USE_RESOLUTION = timedelta(minutes=1)
KEY_CACHE_S = 5.0
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="platops"'}


@dataclass(frozen=True)
class ApiPrincipal:
    key: ApiKey
    actor: Actor

    @property
    def key_id(self) -> int:
        assert self.key.id is not None
        return self.key.id


def _bearer_token(scope: Scope) -> str:
    header = ""
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            header = value.decode("latin-1").strip()
            break
    if not header:
        raise ApiProblem(401, "api.errors.auth_missing", headers=_CHALLENGE)
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or " " in token.strip():
        raise ApiProblem(
            401,
            "api.errors.auth_malformed",
            headers={"WWW-Authenticate": 'Bearer realm="platops", error="invalid_request"'},
        )
    return token.strip()


class ProcessMiddleware(ASGIMiddleware):
    """Middleware holding process-wide state (the container, rate buckets).

    Litestar deep-copies a router when it is registered; these must stay the one instance.
    """

    scopes: Scopes = (ScopeType.HTTP,)  # type: ignore[assignment]

    def __deepcopy__(self, memo: dict[int, Any]) -> ProcessMiddleware:
        return self


class ApiKeyAuth(ProcessMiddleware):
    """Authenticates every /api/v1 request; records key use at most once a minute per key.

    A verified key is remembered for KEY_CACHE_S (by a hash of its token), so a busy integration
    costs no database read per request — measured, that read was 40% of a `GET /api/v1/me`.
    Revoking a key in this process forgets every cached key at once; other processes follow
    within KEY_CACHE_S. Expiry is checked on every request.
    """

    def __init__(self, container: Container) -> None:
        self.container = container
        self._verified: dict[str, tuple[float, ApiKey]] = {}
        container.commit_listeners.append(self._forget_on_key_change)

    def _forget_on_key_change(self, committed: Committed) -> None:
        if any(t.startswith("apikey.") for t in committed.event_types):
            self._verified.clear()

    async def _key_for(self, token: str) -> ApiKey | None:
        digest = hash_secret(token)
        cached = self._verified.get(digest)
        if cached is not None and time.monotonic() - cached[0] < KEY_CACHE_S:
            known = cached[1]
            return known if known.is_active(self.container.clock.now()) else None
        async with self.container.reader() as uow:
            key = await authenticate(uow, token)
        if key is not None:
            if len(self._verified) > 10_000:  # bounded: forged tokens never get here
                self._verified.clear()
            self._verified[digest] = (time.monotonic(), key)
        return key

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        token = _bearer_token(scope)
        key = await self._key_for(token)
        if key is None:
            raise ApiProblem(
                401,
                "api.errors.auth_invalid",
                headers={"WWW-Authenticate": 'Bearer realm="platops", error="invalid_token"'},
            )
        await self._record_use(key)
        scope["auth"] = ApiPrincipal(key, actor_for_key(key))
        await next_app(scope, receive, send)

    async def _record_use(self, key: ApiKey) -> None:
        now = self.container.clock.now()
        if key.last_used_at is not None and now - key.last_used_at < KEY_USE_RESOLUTION:
            return
        async with self.container.uow() as uow:
            stored = await uow.api_keys.get(key.id) if key.id is not None else None
            if stored is None or (
                stored.last_used_at is not None and now - stored.last_used_at < KEY_USE_RESOLUTION
            ):
                return  # a concurrent request of the same key recorded it already
            stored.last_used_at = now
            await uow.api_keys.save(stored)
            await uow.commit()
        key.last_used_at = now


def require_scope(scope: str) -> Any:
    """A route guard: 403 naming `scope` unless the key has it (or `admin`)."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = connection.scope.get("auth")
        if not isinstance(principal, ApiPrincipal):
            raise ApiProblem(401, "api.errors.auth_missing", headers=_CHALLENGE)
        if not principal.key.allows(scope):
            raise ApiProblem(
                403,
                "api.errors.scope",
                headers={
                    "WWW-Authenticate": f'Bearer realm="platops", error="insufficient_scope", '
                    f'scope="{scope}"'
                },
                scope=scope,
            )

    guard.scope = scope  # type: ignore[attr-defined]  # lets docs and tests see what it guards
    return guard


def provide_principal(scope: Scope) -> ApiPrincipal:
    """The `principal` dependency of every /api/v1 handler."""
    principal = scope.get("auth")
    if not isinstance(principal, ApiPrincipal):
        raise ApiProblem(401, "api.errors.auth_missing", headers=_CHALLENGE)
    return principal


async def acting_user(
    uow: UnitOfWork, principal: ApiPrincipal, user_id: str | None, email: str | None
) -> Actor:
    """The Slack person an API call acts for (their own grants), or the integration itself.

    The returned actor carries `api_key_id`, so the audit log shows the person *and* the key.
    """
    if user_id and email:
        raise ValidationFailed.single("user_id", "api.errors.user_choice")
    if not user_id and not email:
        return principal.actor
    if user_id:
        person = await uow.people.get(user_id.strip())
        field, by, value = "user_id", "id", user_id
    else:
        assert email is not None
        person = await uow.people.find_by_email(email.strip())
        field, by, value = "email", "email", email
    acting_id = person.user_id if person else user_id.strip() if user_id else ""
    grants = await uow.people.grants_of(acting_id) if acting_id else frozenset()
    # Profiles are learnt when someone first uses the bot; a person granted a role who has
    # not (yet) is still known by their id. An email can only be matched against a profile.
    if person is None and not grants:
        raise ValidationFailed.single(field, "api.errors.unknown_user", by=by, value=value)
    return Actor.user(acting_id, grants, via_api_key=principal.key_id)
