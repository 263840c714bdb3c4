"""The composition root: builds the database, Slack client, translators and the container."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import SystemClock
from bot.i18n import Translator, language_for
from bot.identity import IdentityCache
from bot.settings import Settings
from domain.deadlines.services import DeadlinePolicy
from domain.ports import Clock
from storage.db import Database, build_database
from storage.uow import Committed, SqlUnitOfWork


def build_slack_client(
    settings: Settings, token: str | None, *, durable_retries: bool = False
) -> AsyncWebClient:
    """The Web API client. Handlers' calls retry in place (rate limit, 5xx, connection); the
    outbox's client (`durable_retries`) only retries dropped connections, because the outbox
    retries a failed delivery itself, later, without holding anything up."""
    client = AsyncWebClient(token=token, base_url=settings.slack_api_url, timeout=10)
    client.retry_handlers.append(AsyncConnectionErrorRetryHandler(max_retry_count=1))
    if not durable_retries:
        client.retry_handlers.extend(
            [
                AsyncRateLimitErrorRetryHandler(max_retry_count=1),
                AsyncServerErrorRetryHandler(max_retry_count=1),
            ]
        )
    return client


@dataclass
class Container:
    """What every door (Slack, API, scheduler, CLI) needs; built once per process."""

    settings: Settings
    database: Database
    clock: Clock
    slack: AsyncWebClient
    slack_outbox: AsyncWebClient
    bot_token: str
    signing_secret: str
    deadline_policies: dict[str, DeadlinePolicy] = field(default_factory=dict)
    # Told what each commit wrote (wakes the dispatcher, invalidates the identity cache).
    commit_listeners: list[Callable[[Committed], None]] = field(default_factory=list)
    identities: IdentityCache = field(default_factory=IdentityCache)
    extras: dict[str, Any] = field(default_factory=dict)

    def uow(self) -> SqlUnitOfWork:
        """A read-write unit of work (one transaction; serialised with other writers on SQLite)."""
        return SqlUnitOfWork(self.database, self.clock, on_commit=self._committed)

    def reader(self) -> SqlUnitOfWork:
        """A read-only unit of work on the read pool (never blocks writers)."""
        return SqlUnitOfWork(self.database, self.clock, readonly=True)

    def _committed(self, committed: Committed) -> None:
        if any(t.startswith(("role.", "person.")) for t in committed.event_types):
            self.identities.clear()
        for listener in self.commit_listeners:
            listener(committed)

    def translator(self, slack_locale: str | None = None) -> Translator:
        return Translator(language_for(slack_locale, self.settings.locale))

    @property
    def default_translator(self) -> Translator:
        return Translator(self.settings.locale)


SANDBOX_BOT_TOKEN = "xoxb-sandbox-token"
SANDBOX_SIGNING_SECRET = "sandbox-signing-secret"  # public by design: sandbox only


def build_container(
    settings: Settings,
    *,
    clock: Clock | None = None,
    database: Database | None = None,
    deadline_policies: Mapping[str, DeadlinePolicy] | None = None,
) -> Container:
    token = settings.slack_bot_token or SANDBOX_BOT_TOKEN
    secret = settings.slack_signing_secret or SANDBOX_SIGNING_SECRET
    policies = dict(default_deadline_policies() if deadline_policies is None else deadline_policies)
    return Container(
        settings=settings,
        database=database or build_database(settings.database_url),
        clock=clock or SystemClock(),
        slack=build_slack_client(settings, token),
        slack_outbox=build_slack_client(settings, token, durable_retries=True),
        bot_token=token,
        signing_secret=secret,
        deadline_policies=policies,
    )


def default_deadline_policies() -> dict[str, DeadlinePolicy]:
    """Every area's deadline kinds → the function that performs a step of that kind."""
    policies: dict[str, DeadlinePolicy] = {}
    for area_policies in _area_policy_tables():
        policies.update(area_policies)
    return policies


def _area_policy_tables() -> list[Mapping[str, DeadlinePolicy]]:
    # Each area exposes DEADLINE_POLICIES in its domain package; add one import per area.
    from domain.incidents import DEADLINE_POLICIES as incidents
    from domain.inspections import DEADLINE_POLICIES as inspections
    from domain.moderation import DEADLINE_POLICIES as moderation
    from domain.requirements import DEADLINE_POLICIES as requirements

    return [requirements, inspections, moderation, incidents]
