"""CLI commands contributed by areas (config, backups, sandbox); one `add_*` call each."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def add_area_commands(sub: Any, with_container: Callable[..., Any]) -> None:
    _ = (sub, with_container, argparse)
    from api.cli import add_apikey_commands
    from bot.cli_backup import add_backup_commands
    from bot.cli_config import add_config_commands
    from bot.sandbox.cli import add_sandbox_commands

    add_apikey_commands(sub, with_container)
    add_backup_commands(sub, with_container)
    add_config_commands(sub, with_container)
    add_sandbox_commands(sub, with_container)
