"""The Bolt app: request verification, Slack's retries, people cache, and every listener."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.bootstrap import Container
from domain.people.models import Person
from domain.people.services import remember_person

log = logging.getLogger("platops.slack")
PROFILE_MAX_AGE_S = 24 * 3600


def build_bolt_app(container: Container) -> AsyncApp:
    identity = BotIdentity(container)
    app = AsyncApp(
        client=container.slack,
        authorize=identity.as_listener(),
        signing_secret=container.signing_secret,
        # Handlers finish before the HTTP response: slash commands answer in the ack body, and
        # Slack calls that are not needed for the answer go through the outbox after commit.
        process_before_response=True,
        request_verification_enabled=True,
        raise_error_for_unhandled_request=False,
    )
    profiles = ProfileCache(container)
    app.middleware(_ignore_slack_retries)
    app.middleware(profiles.middleware)
    from commands import register_listeners

    register_listeners(app, container)
    container.extras["profiles"] = profiles
    return app


async def _ignore_slack_retries(
    req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[None]]
) -> BoltResponse | None:
    # Slack retries an event it thinks we missed; the first delivery already did the work.
    # (Socket Mode marks first deliveries with retry number 0: those are not retries.)
    if _retry_number(req) > 0:
        return BoltResponse(status=200, body="", headers={"x-slack-no-retry": "1"})
    await next()
    return None


def _retry_number(req: AsyncBoltRequest) -> int:
    values = req.headers.get("x-slack-retry-num") or []
    first = values[0] if isinstance(values, list | tuple) and values else values
    return int(first) if isinstance(first, str) and first.isdigit() else 0


class BotIdentity:
    """Authorizes requests for our single workspace without depending on Slack being up.

    Bolt's default single-team authorization calls auth.test on the first request and refuses
    every request while that fails; during a Slack outage people could then not even run a slash
    command whose effect is only queued. We remember auth.test's answer once it succeeds and
    authorize with the configured token meanwhile.
    """

    def __init__(self, container: Container) -> None:
        self.container = container
        self._known: AuthorizeResult | None = None

    def as_listener(self) -> Callable[..., Awaitable[AuthorizeResult]]:
        # Bolt passes arguments by parameter name, so it needs a plain function (no `self`).
        async def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
            return await self.authorize(enterprise_id, team_id)

        return authorize

    async def authorize(self, enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
        if self._known is not None:
            return self._known
        token = self.container.bot_token
        try:
            answer = await self.container.slack_outbox.auth_test()  # no in-place retries
        except Exception as error:  # Slack down: still serve, just without the bot's ids
            log.warning("auth.test failed (%s); serving with the configured token", error)
            return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token=token)
        self._known = AuthorizeResult.from_auth_test_response(
            auth_test_response=answer, bot_token=token
        )
        return self._known


class ProfileCache:
    """Keeps name, timezone and locale of people who use the bot, refreshed after the ack."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self._fresh: dict[str, float] = {}
        self._tasks: set[asyncio.Task[Person | None]] = set()

    async def middleware(
        self, req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[None]]
    ) -> None:
        user_id = req.context.user_id
        if user_id and self._stale(user_id):
            first_sight = user_id not in self._fresh and not await self._known(user_id)
            self._fresh[user_id] = asyncio.get_running_loop().time()
            if first_sight:
                # Someone new: learn their language before answering them (once per person).
                await self.refresh(user_id)
            else:
                task = asyncio.create_task(self.refresh(user_id))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        await next()

    async def _known(self, user_id: str) -> bool:
        async with self.container.reader() as uow:
            return await uow.people.get(user_id) is not None

    def _stale(self, user_id: str) -> bool:
        seen = self._fresh.get(user_id)
        return seen is None or asyncio.get_running_loop().time() - seen > PROFILE_MAX_AGE_S

    async def refresh(self, user_id: str) -> Person | None:
        try:
            result = await self.container.slack_outbox.users_info(user=user_id, include_locale=True)
        except Exception as error:  # a profile is a nicety; never fail a request for it
            log.warning("users.info failed for %s: %s", user_id, error)
            self._fresh.pop(user_id, None)
            return None
        user: dict[str, Any] = result["user"]
        profile = user.get("profile") or {}
        person = Person(
            user_id=user_id,
            name=user.get("name") or user_id,
            real_name=profile.get("real_name") or user.get("real_name"),
            timezone=user.get("tz") or self.container.settings.timezone,
            locale=user.get("locale"),
            email=profile.get("email"),
        )
        async with self.container.uow() as uow:
            await remember_person(uow, person)
            await uow.commit()
        self.container.identities.forget(user_id)
        return person

    async def settle(self) -> None:
        """Wait for refreshes in flight (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
