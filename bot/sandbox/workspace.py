"""The sandbox workspace inside `platops serve` when no Slack credentials are set (SPEC §9).

The fake Slack Web API is mounted at /sandbox/slack on the bot's own server and the bot's Slack
client points there; the page at /sandbox lets a person act as any seeded user, through a
`SlackSimulator` that sends signed requests to the bot's real /slack/events. It is never mounted
when real credentials are configured, and it refuses a non-loopback listen address unless
PLATOPS_SANDBOX_ALLOW_REMOTE=1 (anyone who reaches the page can act as anyone, admin included).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml
from litestar.exceptions import HTTPException

from bot.bootstrap import SANDBOX_BOT_TOKEN
from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.http import build_fake_slack_router
from bot.sandbox.models import SlackError
from bot.sandbox.seed import register_workspace, seed_organisation
from bot.sandbox.simulator import SlackSimulator
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.bootstrap import Container

SANDBOX_PATH = "/sandbox"
SLACK_PATH = f"{SANDBOX_PATH}/slack"
MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"
T = TypeVar("T")


class SandboxRefused(RuntimeError):
    """Raised if anything tries to start the sandbox where it must not run."""


def _check_may_run(settings: Settings) -> None:
    if not settings.sandbox:
        raise SandboxRefused("Slack credentials are set: the sandbox never runs next to them")
    if not is_loopback(settings.host) and not settings.sandbox_allow_remote:
        raise SandboxRefused(
            f"PLATOPS_HOST={settings.host} is not a loopback address: the sandbox lets anyone "
            "act as any user, admin included. Bind to 127.0.0.1, or set "
            "PLATOPS_SANDBOX_ALLOW_REMOTE=1 if you really mean to expose it"
        )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def local_base_url(settings: Settings) -> str:
    """How this process reaches itself (a wildcard listen address is reached on loopback)."""
    host = settings.host
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - not binding, naming where to connect
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.port}"


def sandbox_settings(settings: Settings) -> Settings:
    """Point the Slack client at the in-process fake served by this same process."""
    _check_may_run(settings)
    url = f"{local_base_url(settings)}{SLACK_PATH}/api/"
    return settings.model_copy(update={"slack_api_url": url})


def slash_commands(manifest: Path = MANIFEST) -> list[dict[str, str]]:
    """The manifest's slash commands, so the page knows them as Slack does (with usage hints)."""
    try:
        data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    except OSError:
        return []
    commands = ((data or {}).get("features") or {}).get("slash_commands") or []
    return [
        {
            "command": str(c["command"]),
            "description": str(c.get("description", "")),
            "usage_hint": str(c.get("usage_hint", "")),
        }
        for c in commands
        if isinstance(c, dict) and "command" in c
    ]


@dataclass
class SandboxWorkspace:
    fake: FakeSlack
    sim: SlackSimulator
    handlers: list[Any] = field(default_factory=list)
    commands: list[dict[str, str]] = field(default_factory=list)
    container: Container | None = None
    # Bumped by every page action; with the fake's record counts it tells the page to refresh.
    revision: int = 0

    def fingerprint(self) -> tuple[int, ...]:
        fake = self.fake
        return (
            self.revision,
            len(fake.calls),
            len(fake.messages),
            len(fake.ephemerals),
            len(fake.response_url_posts),
            len(fake.warnings),
        )

    async def act(self, step: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """One person's action through the simulator; what Slack's client would refuse (an
        empty required field, an option that does not exist) comes back as a 422."""
        try:
            return await step(*args, **kwargs)
        except (AssertionError, SlackError) as error:
            raise HTTPException(status_code=422, detail=str(error)) from None
        finally:
            self.revision += 1

    async def roles_by_user(self) -> dict[str, list[str]]:
        if self.container is None:
            return {}
        from domain.people.services import describe_grant

        roles: dict[str, list[str]] = {}
        async with self.container.reader() as uow:
            for user_id, grant in await uow.people.list_grants(None):
                roles.setdefault(user_id, []).append(await describe_grant(uow, grant))
        return roles

    async def seed(self, container: Container) -> bool:
        """At start: the demo organisation when the database is empty (idempotent)."""
        return await seed_organisation(container)


def build_sandbox(settings: Settings) -> SandboxWorkspace:
    _check_may_run(settings)
    from bot.bootstrap import SANDBOX_SIGNING_SECRET
    from bot.sandbox.page_api import build_page_router

    fake = FakeSlack(bot_token=SANDBOX_BOT_TOKEN)
    register_workspace(fake)
    base = local_base_url(settings)
    sim = SlackSimulator(
        fake, f"{base}/slack/events", SANDBOX_SIGNING_SECRET, f"{base}{SLACK_PATH}"
    )
    workspace = SandboxWorkspace(fake, sim, commands=slash_commands())
    workspace.handlers = [build_fake_slack_router(fake, SLACK_PATH), build_page_router(workspace)]
    return workspace
