"""CLI commands contributed by areas (config, backups, sandbox); one `add_*` call each."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def add_area_commands(sub: Any, with_container: Callable[..., Any]) -> None:
    _ = (sub, with_container, argparse)
