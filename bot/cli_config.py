"""`platops config plan FILE` and `platops config apply FILE` (the declarative file, SPEC §2)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.bootstrap import Container
from bot.config_file import ConfigError, apply_config, load_config, plan_config


def add_config_commands(sub: Any, with_container: Callable[..., Any]) -> None:
    config = sub.add_parser("config", help="the declarative configuration file").add_subparsers()
    plan = config.add_parser("plan", help="show what `apply` would change, change nothing")
    plan.add_argument("file", type=Path)
    plan.set_defaults(run=with_container(_plan))
    apply = config.add_parser("apply", help="make the database match the file (idempotent)")
    apply.add_argument("file", type=Path)
    apply.set_defaults(run=with_container(_apply))


async def _plan(container: Container, args: argparse.Namespace) -> int:
    try:
        plan = await plan_config(
            container, load_config(args.file), frozenset(container.settings.admin_ids)
        )
    except ConfigError as error:
        print(f"platops: config error: {error}", file=sys.stderr)
        return 2
    print(plan.render())
    return 0


async def _apply(container: Container, args: argparse.Namespace) -> int:
    try:
        plan = await apply_config(
            container, load_config(args.file), frozenset(container.settings.admin_ids)
        )
    except ConfigError as error:
        print(f"platops: config error: {error} (nothing was changed)", file=sys.stderr)
        return 2
    if not plan.pending:
        print(plan.summary())
        return 0
    print(plan.render(summary_prefix="Applied: "))
    return 0
