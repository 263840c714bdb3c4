"""Method registry and argument handling shared by the fake's method implementations.

Arguments reach the fake as slack_sdk sends them: strings from a query string or a form
(JSON arrays and objects encoded as strings, booleans as "1"/"0"), or typed values from a
JSON body. ``Args`` reads both the same way.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from bot.sandbox.models import SlackError

if TYPE_CHECKING:
    from bot.sandbox.fake_slack import FakeSlack

Handler = Callable[["FakeSlack", "Args"], dict[str, Any]]
METHODS: dict[str, Handler] = {}
T = TypeVar("T")


def slack_method(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        METHODS[name] = handler
        return handler

    return register


class Args:
    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def __contains__(self, key: str) -> bool:
        return self.present(key)

    def present(self, key: str) -> bool:
        value = self.values.get(key)
        return value is not None and value != ""

    def text(self, key: str) -> str | None:
        value = self.values.get(key)
        if value is None or value == "":
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def flag(self, key: str) -> bool:
        value = self.values.get(key)
        if isinstance(value, str):
            return value.lower() in ("1", "true", "yes")
        return bool(value)

    def number(self, key: str, default: int) -> int:
        value = self.values.get(key)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise SlackError("invalid_arguments", [f"[ERROR] {key} must be an integer"]) from None

    def decoded(self, key: str, error: str = "invalid_arguments") -> Any:
        """A JSON value that may arrive either decoded (JSON body) or as a string (form)."""
        value = self.values.get(key)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                raise SlackError(error, [f"[ERROR] {key} is not valid JSON"]) from None
        return value

    def csv(self, key: str) -> list[str]:
        value = self.values.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            return [str(item) for item in value]
        return [part.strip() for part in str(value).split(",") if part.strip()]


def missing_field(name: str) -> str:
    return f"[ERROR] missing required field: {name}"


def paginate(items: Sequence[T], args: Args, default_limit: int = 100) -> tuple[list[T], str]:
    """Slack-style cursor paging: returns the page and the next cursor ("" at the end)."""
    limit = max(1, min(args.number("limit", default_limit), 1000))
    start = 0
    cursor = args.text("cursor")
    if cursor:
        try:
            start = int(base64.b64decode(cursor).decode().removeprefix("offset:"))
        except ValueError:
            raise SlackError("invalid_cursor") from None
    page = list(items[start : start + limit])
    end = start + limit
    next_cursor = base64.b64encode(f"offset:{end}".encode()).decode() if end < len(items) else ""
    return page, next_cursor
