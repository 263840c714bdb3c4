"""Waiting for the bot's background work in tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    check: Callable[[], T | None], *, within: float = 3.0, interval: float = 0.01, what: str = ""
) -> T:
    """Polls ``check`` until it returns something truthy and returns that.

    Bolt acks before its listeners finish unless ``process_before_response=True``; a test
    then waits for the effect, e.g. ``view = await eventually(lambda: fake.open_modal(U))``.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        result = check()
        if result:
            return result
        if loop.time() >= deadline:
            raise AssertionError(f"{what or 'condition'} did not hold within {within}s")
        await asyncio.sleep(interval)
