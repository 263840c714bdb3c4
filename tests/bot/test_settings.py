"""Settings fail fast with one clear line naming the variable."""

import pytest

from bot.cli import main
from bot.settings import SettingsError, load_settings

ALL = [
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "PLATOPS_DATABASE_URL",
    "PLATOPS_TIMEZONE",
    "PLATOPS_LOCALE",
    "PLATOPS_PORT",
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in ALL:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_mean_sandbox_on_sqlite():
    settings = load_settings()
    assert settings.sandbox
    assert settings.database_url.startswith("sqlite+aiosqlite://")
    assert settings.slack_api_url == "https://slack.com/api/"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PLATOPS_TIMEZONE", "Mars/Olympus", "PLATOPS_TIMEZONE: Value error, unknown timezone"),
        ("PLATOPS_PORT", "eighty", "PLATOPS_PORT: Input should be a valid integer"),
        ("PLATOPS_LOCALE", "fr", "PLATOPS_LOCALE: Input should be 'en' or 'zh-CN'"),
        ("PLATOPS_DATABASE_URL", "mysql://x", "PLATOPS_DATABASE_URL: Value error, use sqlite"),
        ("SLACK_API_URL", "slack.com/api", "SLACK_API_URL: Value error, must be an http(s) URL"),
        ("SLACK_BOT_TOKEN", "xoxb-1", "SLACK_SIGNING_SECRET: must be set together"),
    ],
)
def test_bad_value_names_the_variable(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith(message)


def test_wrong_token_kinds_are_refused(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxp-user-token")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN: must be a bot token"):
        load_settings()


def test_serve_stops_with_one_line(monkeypatch, capsys):
    monkeypatch.setenv("PLATOPS_PORT", "99999")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "platops: configuration error: PLATOPS_PORT: Input should be less than or equal to 65535"
    ]


def test_trailing_slash_is_added_to_the_api_url(monkeypatch):
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api")
    assert load_settings().slack_api_url == "http://127.0.0.1:9/api/"
