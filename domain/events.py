"""What a use case records besides the entity: an audit event and the notices it must announce.

Both are written by the unit of work in the same transaction as the entity. Notices say *who* must
learn *what*; how that looks in Slack is decided at delivery time by a renderer outside `domain/`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

JSONValue = str | int | float | bool | None | Sequence["JSONValue"] | Mapping[str, "JSONValue"]
JSONDict = dict[str, JSONValue]


@dataclass(frozen=True)
class Subject:
    type: str  # "requirement", "incident", "moderation_case", ...
    id: int
    key: str | None = None  # human key, e.g. "REQ-12"


@dataclass(frozen=True)
class DomainEvent:
    """An audit event; `type` is dotted (`requirement.approved`) and doubles as the webhook type."""

    type: str
    subject: Subject | None
    data: JSONDict = field(default_factory=dict)
    # Events with webhook=False stay in the audit log only (e.g. role grants, API key use).
    webhook: bool = True
    # Added to the webhook body only, never to the hash-chained audit row: identities a
    # subscriber needs but the append-only log must not keep (personal data, Art. 11).
    webhook_data: JSONDict = field(default_factory=dict)
    # Deliver to this one subscription only, whatever types it asked for (a test ping).
    webhook_to: int | None = None


@dataclass(frozen=True)
class ChannelRecipient:
    channel_id: str


@dataclass(frozen=True)
class UserRecipient:
    user_id: str


Recipient = ChannelRecipient | UserRecipient


@dataclass(frozen=True)
class Notice:
    """A message someone must see. `template` names a renderer (e.g. `requirement.card`).

    `ref` identifies one message to keep up to date: delivering a notice whose ref was posted
    updates that message in place instead of posting a new one. With `update_only` nothing is
    posted when no message exists under the ref yet.
    """

    template: str
    to: Recipient
    subject: Subject | None = None
    ref: str | None = None
    params: JSONDict = field(default_factory=dict)
    update_only: bool = False
    surface: Literal["message", "home"] = "message"


def home_refresh(user_id: str) -> Notice:
    """Re-publish a person's App Home tab (coalesced: only the latest state is rendered)."""
    return Notice(template="home", to=UserRecipient(user_id), ref=f"home:{user_id}", surface="home")
