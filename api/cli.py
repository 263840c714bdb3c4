"""`platops apikey create|list|revoke`: manage API keys without Slack (e.g. the very first key).

Runs the same use cases as `/platops apikey` and the `/api/v1/keys` endpoints, as the system
actor `system:cli`, so every change is audited alike.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bot.bootstrap import Container
from domain.access import Actor
from domain.apikeys import services as apikeys
from domain.apikeys.models import SCOPES
from domain.errors import DomainError, ValidationFailed

CLI_ACTOR = Actor.system("cli")


def add_apikey_commands(sub: Any, with_container: Callable[..., Any]) -> None:
    keys = sub.add_parser("apikey", help="API keys for integrations").add_subparsers()
    create = keys.add_parser("create", help="create a key; its token is printed once")
    create.add_argument("name", help="what uses the key, e.g. prometheus")
    create.add_argument("scopes", nargs="+", metavar="SCOPE", help=", ".join(SCOPES))
    create.add_argument("--expires-days", type=int, default=None, help="expire after N days")
    create.set_defaults(run=with_container(_create))
    listing = keys.add_parser("list", help="every key with its state (never the secrets)")
    listing.set_defaults(run=with_container(_list))
    revoke = keys.add_parser("revoke", help="revoke a key at once")
    revoke.add_argument("prefix", help="the key's public prefix, e.g. pok_3f9a1c2b")
    revoke.set_defaults(run=with_container(_revoke))


def _explain(container: Container, error: DomainError) -> str:
    t = container.default_translator
    if isinstance(error, ValidationFailed):
        return " ".join(t(code, **params) for code, params in error.fields.values())
    return t(error.code, **error.params)


async def _create(container: Container, args: argparse.Namespace) -> int:
    expires = None
    if args.expires_days is not None:
        expires = container.clock.now() + timedelta(days=args.expires_days)
    try:
        async with container.uow() as uow:
            created = await apikeys.create_api_key(uow, CLI_ACTOR, args.name, args.scopes, expires)
            await uow.commit()
    except DomainError as error:
        print(f"platops: {_explain(container, error)}")
        return 2
    key = created.key
    print(f"created API key {key.prefix} ({key.name}) with scopes {', '.join(sorted(key.scopes))}")
    print("token (shown once, store it now):")
    print(created.token)
    return 0


async def _list(container: Container, args: argparse.Namespace) -> int:
    async with container.reader() as uow:
        keys = await apikeys.list_api_keys(uow, CLI_ACTOR)
    now = container.clock.now()
    if not keys:
        print("no API keys yet: platops apikey create NAME SCOPE…")
    for key in keys:
        state = "revoked" if key.revoked_at else ("active" if key.is_active(now) else "expired")
        used = key.last_used_at.isoformat() if key.last_used_at else "never"
        print(
            f"{key.prefix}  {state:<8} {key.name:<24} {','.join(sorted(key.scopes))}  used {used}"
        )
    return 0


async def _revoke(container: Container, args: argparse.Namespace) -> int:
    try:
        async with container.uow() as uow:
            key = await apikeys.revoke_api_key(uow, CLI_ACTOR, args.prefix)
            await uow.commit()
    except DomainError as error:
        print(f"platops: {_explain(container, error)}")
        return 2
    print(f"revoked {key.prefix} ({key.name})")
    return 0
