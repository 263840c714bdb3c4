"""`platops apikey create|list|revoke`: the first key can be made without Slack."""

from __future__ import annotations

import asyncio

import pytest

from bot.bootstrap import build_container
from bot.cli import main
from bot.settings import load_settings
from domain.apikeys.services import authenticate


def _authenticates(database_url: str, token: str) -> bool:
    async def check() -> bool:
        container = build_container(load_settings(PLATOPS_DATABASE_URL=database_url))
        try:
            async with container.reader() as uow:
                return await authenticate(uow, token) is not None
        finally:
            await container.database.dispose()

    return asyncio.run(check())


def test_create_list_and_revoke_from_the_command_line(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PLATOPS_DATABASE_URL", sqlite_url)
    assert main(["apikey", "create", "prometheus", "incidents:write", "events:read"]) == 0
    out = capsys.readouterr().out
    token = out.strip().splitlines()[-1]
    prefix = token.split(".")[0]
    assert prefix in out and "shown once" in out
    assert _authenticates(sqlite_url, token)

    assert main(["apikey", "list"]) == 0
    listed = capsys.readouterr().out
    assert prefix in listed and "active" in listed and "events:read,incidents:write" in listed
    assert token.split(".")[1] not in listed  # the secret is never shown again

    assert main(["apikey", "create", "bad", "incidents:delete"]) == 2
    assert "incidents:delete" in capsys.readouterr().out

    assert main(["apikey", "revoke", prefix]) == 0
    assert not _authenticates(sqlite_url, token)
    assert main(["apikey", "revoke", prefix]) == 2
    assert "already revoked" in capsys.readouterr().out
