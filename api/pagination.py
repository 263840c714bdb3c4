"""Cursor pagination for every list endpoint.

A cursor is opaque to clients: base64url of the JSON list of the last item's sort key (usually
`[id]`). Lists answer `{"items": [...], "next_cursor": "…" | null}`; null means no more pages.
A controller takes the `page` dependency (`?limit=` 1–200, default 50, `?cursor=`), asks storage
for `page.limit + 1` rows after `page.after()`, and returns `page.of(rows, key=...)`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from litestar.params import QueryParameter
from pydantic import BaseModel

from domain.errors import ValidationFailed

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
T = TypeVar("T")
R = TypeVar("R")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(*key: int | str) -> str:
    raw = json.dumps(list(key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str, arity: int = 1, field: str = "cursor") -> list[Any]:
    """The sort key inside a cursor; 422 naming `field` when it was not made by us."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        key = None
    if (
        not isinstance(key, list)
        or len(key) != arity
        or not all(isinstance(part, int | str) and not isinstance(part, bool) for part in key)
    ):
        raise ValidationFailed.single(field, "api.errors.cursor", cursor=cursor[:40])
    return key


def decode_id_cursor(cursor: str | None, field: str = "cursor") -> int | None:
    """For lists ordered by an integer id: the id the previous page ended at, or None."""
    if cursor is None or cursor == "":
        return None
    (last_id,) = decode_cursor(cursor, 1, field)
    if not isinstance(last_id, int):
        raise ValidationFailed.single(field, "api.errors.cursor", cursor=cursor[:40])
    return last_id


@dataclass(frozen=True)
class PageRequest:
    limit: int
    cursor: str | None

    def after_id(self) -> int | None:
        return decode_id_cursor(self.cursor)

    def of(
        self,
        rows: Sequence[R],
        key: Callable[[R], int | str | tuple[int | str, ...]],
        convert: Callable[[R], T],
    ) -> Page[T]:
        """A page from up to `limit + 1` rows: the extra row only tells that more exist."""
        return page_of(rows, self.limit, key, convert)


def page_of(
    rows: Sequence[R],
    limit: int,
    key: Callable[[R], int | str | tuple[int | str, ...]],
    convert: Callable[[R], T],
) -> Page[T]:
    shown = rows[:limit]
    next_cursor = None
    if len(rows) > limit and shown:
        last = key(shown[-1])
        next_cursor = encode_cursor(*(last if isinstance(last, tuple) else (last,)))
    return Page[Any](items=[convert(row) for row in shown], next_cursor=next_cursor)


def provide_page(
    limit: Annotated[
        int,
        QueryParameter(
            ge=1, le=MAX_LIMIT, description=f"Items per page, 1–{MAX_LIMIT}.", required=False
        ),
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None,
        QueryParameter(description="`next_cursor` of the previous page; omit for the first page."),
    ] = None,
) -> PageRequest:
    """The `page` dependency: `?limit=&cursor=` validated (bad values are 422s)."""
    return PageRequest(limit=limit, cursor=cursor)
