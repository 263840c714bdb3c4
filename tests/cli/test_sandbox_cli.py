"""`platops sandbox reset`: the sandbox starts over with the demo organisation, and only a
sandbox's own SQLite file is ever wiped."""

from __future__ import annotations

import pytest

from tests.support.sandbox_server import free_port


@pytest.fixture(autouse=True)
def _quiet_port(monkeypatch):
    monkeypatch.setenv("PLATOPS_PORT", str(free_port()))  # no server answers there


def test_reset_wipes_the_database_and_seeds_the_demo_organisation(cli):
    assert cli("sandbox", "reset") == 0
    assert "migrated and seeded" in cli.out
    departments = cli.sql("SELECT key FROM departments ORDER BY key")
    assert departments == [("finance",), ("marketing",)]
    cli.sql("UPDATE departments SET name = 'Renamed' WHERE key = 'marketing'")
    grants_before = cli.sql("SELECT count(*) FROM role_grants")

    assert cli("sandbox", "reset") == 0
    assert str(cli.database) in cli.out
    assert cli.sql("SELECT key FROM departments ORDER BY key") == departments
    assert cli.sql("SELECT name FROM departments WHERE key = 'marketing'") == [("Marketing",)]
    assert cli.sql("SELECT count(*) FROM role_grants") == grants_before
    assert cli.sql("SELECT count(*) FROM inspection_plans") == [(1,)]
    assert cli("audit", "verify") == 0


def test_reset_refuses_next_to_slack_credentials(cli, monkeypatch):
    assert cli("sandbox", "reset") == 0
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-real")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "real-secret")
    assert cli("sandbox", "reset") == 2
    assert "Slack credentials are set" in cli.err
    assert cli.database.exists()


def test_reset_refuses_postgresql(cli, monkeypatch):
    monkeypatch.setenv("PLATOPS_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:1/none")
    assert cli("sandbox", "reset") == 2
    assert "PostgreSQL" in cli.err
