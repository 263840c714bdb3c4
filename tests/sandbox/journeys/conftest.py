"""One `platops serve` in sandbox mode and one headless Chromium per journey module."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from tests.support.databases import sqlite_copy
from tests.support.sandbox_browser import (
    launched_browser,
    sandbox_page,
)
from tests.support.sandbox_server import SandboxServer, sandbox_server


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server(
    sqlite_template: Any, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[SandboxServer]:
    url = sqlite_copy(sqlite_template, tmp_path_factory.mktemp("sandbox-areas"))
    async with sandbox_server(url) as running:
        yield running


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Any]:
    async with launched_browser() as launched:
        yield launched


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Any, server: SandboxServer) -> AsyncIterator[Any]:
    async with sandbox_page(browser, server.url) as opened:
        yield opened
