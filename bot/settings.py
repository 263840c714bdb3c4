"""Settings from the environment (and a `.env` file), built by a function, never at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./platops.db"
SUPPORTED_LOCALES = ("en", "zh-CN")


class SettingsError(Exception):
    """One clear line naming the variable that is missing or malformed."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    slack_bot_token: str | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, alias="PLATOPS_DATABASE_URL")
    admins: str = Field(default="", alias="PLATOPS_ADMINS")
    timezone: str = Field(default="UTC", alias="PLATOPS_TIMEZONE")
    locale: Literal["en", "zh-CN"] = Field(default="en", alias="PLATOPS_LOCALE")
    config_file: Path | None = Field(default=None, alias="PLATOPS_CONFIG")
    host: str = Field(default="127.0.0.1", alias="PLATOPS_HOST")
    port: int = Field(default=3000, ge=1, le=65535, alias="PLATOPS_PORT")
    backup_dir: Path = Field(default=Path("./backups"), alias="PLATOPS_BACKUP_DIR")
    backup_keep: int = Field(default=14, ge=1, alias="PLATOPS_BACKUP_KEEP")
    # The sandbox lets whoever reaches it act as anyone: loopback only unless this is set.
    sandbox_allow_remote: bool = Field(default=False, alias="PLATOPS_SANDBOX_ALLOW_REMOTE")

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r}") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER@HOST/DB")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @property
    def admin_ids(self) -> list[str]:
        return [part.strip() for part in self.admins.split(",") if part.strip()]

    @property
    def sandbox(self) -> bool:
        """No Slack credentials at all: run against the built-in sandbox workspace."""
        return not self.slack_bot_token and not self.slack_signing_secret

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(**overrides: object) -> Settings:
    """Build settings; raise SettingsError with one line naming the offending variable."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "settings"
        alias = _alias_of(field)
        raise SettingsError(f"{alias}: {error['msg']}") from None
    if bool(settings.slack_bot_token) != bool(settings.slack_signing_secret):
        missing = "SLACK_SIGNING_SECRET" if settings.slack_bot_token else "SLACK_BOT_TOKEN"
        raise SettingsError(f"{missing}: must be set together with the other Slack credential")
    if settings.slack_bot_token and not settings.slack_bot_token.startswith("xoxb-"):
        raise SettingsError("SLACK_BOT_TOKEN: must be a bot token starting with xoxb-")
    if settings.slack_app_token and not settings.slack_app_token.startswith("xapp-"):
        raise SettingsError("SLACK_APP_TOKEN: must be an app-level token starting with xapp-")
    return settings


def _alias_of(field: str) -> str:
    info = Settings.model_fields.get(field)
    if info is not None and info.alias:
        return info.alias
    return field.upper()
