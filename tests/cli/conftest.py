"""The `platops` CLI run in-process as `bot.cli.main([...])` against a temporary SQLite file."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli import main

ENV_TO_CLEAR = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "PLATOPS_ADMINS",
    "PLATOPS_CONFIG",
    "PLATOPS_TIMEZONE",
)


class Cli:
    def __init__(self, capsys: pytest.CaptureFixture[str], database: Path, backups: Path) -> None:
        self.capsys = capsys
        self.database = database
        self.backups = backups
        self.out = ""
        self.err = ""

    def __call__(self, *argv: str) -> int:
        self.capsys.readouterr()
        code = main(list(argv))
        captured = self.capsys.readouterr()
        self.out, self.err = captured.out, captured.err
        return code

    def sql(self, statement: str, *params: object) -> list[tuple[object, ...]]:
        connection = sqlite3.connect(self.database)
        try:
            rows = connection.execute(statement, params).fetchall()
            connection.commit()
            return rows
        finally:
            connection.close()


@pytest.fixture
def cli(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Callable[..., int]:
    """Settings come from the environment (as in production): point them at temp files."""
    for name in ENV_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env file is read
    database = tmp_path / "platops.db"
    monkeypatch.setenv("PLATOPS_DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    monkeypatch.setenv("PLATOPS_BACKUP_DIR", str(tmp_path / "backups"))
    monkeypatch.setenv("PLATOPS_BACKUP_KEEP", "2")
    runner = Cli(capsys, database, tmp_path / "backups")
    assert runner("db", "upgrade") == 0
    return runner


CONFIG = """
calendars:
  - {name: office, timezone: Europe/Berlin}
departments:
  - {key: finance, name: Finance, channel: CFINANCE, calendar: office}
platforms:
  - {key: web, name: Web shop, ops_channel: CWEBOPS}
grants:
  - {user: UALICE, role: admin}
  - {user: UOSCAR, role: operator, scope: web}
"""


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "platops.yml"
    path.write_text(CONFIG, encoding="utf-8")
    return path
