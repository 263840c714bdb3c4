"""The sandbox never runs next to Slack credentials and stays on loopback unless told otherwise."""
# ruff: noqa: S104 - wildcard addresses are what these tests feed the guard

from __future__ import annotations

import pytest

from bot.sandbox.workspace import SandboxRefused, build_sandbox, sandbox_settings
from bot.serve import serve
from bot.settings import load_settings


def _settings(**env: object):
    return load_settings(PLATOPS_DATABASE_URL="sqlite+aiosqlite:///unused.db", **env)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.com"])
def test_a_non_loopback_address_is_refused(host):
    with pytest.raises(SandboxRefused, match="PLATOPS_SANDBOX_ALLOW_REMOTE=1"):
        sandbox_settings(_settings(PLATOPS_HOST=host))


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_addresses_are_fine(host):
    assert "/sandbox/slack/api/" in sandbox_settings(_settings(PLATOPS_HOST=host)).slack_api_url


def test_remote_binding_when_explicitly_allowed_reaches_itself_on_loopback():
    settings = sandbox_settings(
        _settings(PLATOPS_HOST="0.0.0.0", PLATOPS_SANDBOX_ALLOW_REMOTE="1", PLATOPS_PORT=4000)
    )
    assert settings.slack_api_url == "http://127.0.0.1:4000/sandbox/slack/api/"
    workspace = build_sandbox(settings)
    assert workspace.sim.bot_events_url == "http://127.0.0.1:4000/slack/events"


def test_never_next_to_slack_credentials():
    real = _settings(SLACK_BOT_TOKEN="xoxb-real", SLACK_SIGNING_SECRET="secret")
    with pytest.raises(SandboxRefused, match="credentials"):
        build_sandbox(real)
    with pytest.raises(SandboxRefused, match="credentials"):
        sandbox_settings(real)


def test_serve_stops_with_one_clear_line(capsys):
    assert serve(_settings(PLATOPS_HOST="10.0.0.5")) == 2
    err = capsys.readouterr().err
    assert err.startswith("platops: PLATOPS_HOST=10.0.0.5 is not a loopback address")
