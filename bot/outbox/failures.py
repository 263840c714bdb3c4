"""How deliveries end: done, retried later, or parked for an admin."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.errors import SlackApiError

MAX_ATTEMPTS = 10
PERMANENT_SLACK_ERRORS = frozenset(
    {
        "channel_not_found",
        "invalid_blocks",
        "invalid_arguments",
        "not_in_channel",
        "is_archived",
        "msg_too_long",
        "no_text",
        "user_not_found",
        "invalid_auth",
        "account_inactive",
        "cannot_dm_bot",
        "missing_scope",
        "not_authed",
    }
)


class PermanentFailure(Exception):
    """Retrying cannot help (the subscription is gone, no renderer): park the row now."""


class RetryLater(Exception):
    """Try again after `after` seconds (or the usual backoff); `status` is the HTTP answer."""

    def __init__(self, message: str, after: float | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.after = after
        self.status = status


@dataclass
class Delivered:
    status: int | None = None
    # Pending rows of the same message ref up to this id were covered by this delivery.
    superseded_up_to: int | None = None


def describe(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return f"slack: {error.response.get('error')} (HTTP {error.response.status_code})"
    return f"{type(error).__name__}: {error}"
