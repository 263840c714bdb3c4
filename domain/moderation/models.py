"""Platform users, moderation cases and the moderation queue (SPEC §5.4, Art. 9–13).

A platform user is known only by platform + external id (+ an optional display handle). Texts the
user is told and evidence live on the case, where erasure can anonymise them; audit events refer to
users by internal id only (Art. 11).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.errors import ValidationFailed
from domain.events import Subject

EXTERNAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+\-]{0,127}$")
CONTENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/#+\-]{0,199}$")
MAX_CONTENT_IDS = 50
CASE_KEY = re.compile(r"^CASE-(\d{1,12})$", re.IGNORECASE)
ITEM_KEY = re.compile(r"^(RPT|APL)-(\d{1,12})$", re.IGNORECASE)


@dataclass(frozen=True)
class UserRef:
    """`PLATFORM:EXTERNAL_ID` as typed; `platform` is None when the platform was left out."""

    platform: str | None
    external_id: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.external_id}" if self.platform else self.external_id


def parse_user_ref(text: str, field_name: str = "ref") -> UserRef:
    """Syntax only; which platform is meant is decided against the known platforms."""
    raw = text.strip()
    platform, sep, external_id = raw.partition(":")
    if not sep:
        platform, external_id = "", raw
    if (sep and not platform) or not EXTERNAL_ID.match(external_id):
        raise ValidationFailed.single(field_name, "mod.errors.ref", ref=raw)
    return UserRef(platform.lower() or None, external_id)


def parse_content_ids(text: str | None, field_name: str = "content_ids") -> list[str]:
    """Content ids separated by commas, spaces or new lines; duplicates dropped, order kept."""
    words = [w for w in re.split(r"[\s,;]+", text or "") if w]
    bad = [w for w in words if not CONTENT_ID.match(w)]
    if bad:
        raise ValidationFailed.single(field_name, "mod.errors.content_id", value=bad[0][:40])
    unique = list(dict.fromkeys(words))
    if len(unique) > MAX_CONTENT_IDS:
        raise ValidationFailed.single(
            field_name, "mod.errors.content_ids_many", limit=MAX_CONTENT_IDS
        )
    return unique


def parse_case_key(text: str) -> int:
    match = CASE_KEY.match(text.strip())
    if match is None:
        raise ValidationFailed.single("case", "mod.errors.case_key", key=text.strip()[:40])
    return int(match.group(1))


def parse_item_key(text: str) -> tuple[ItemKind, int]:
    """`RPT-3` (a report) or `APL-2` (an appeal)."""
    match = ITEM_KEY.match(text.strip())
    if match is None:
        raise ValidationFailed.single("key", "mod.errors.item_key", key=text.strip()[:40])
    kind = ItemKind.APPEAL if match.group(1).upper() == "APL" else ItemKind.REPORT
    return kind, int(match.group(2))


@dataclass
class PlatformUser:
    id: int | None
    platform_id: int
    external_id: str
    handle: str | None = None
    created_at: datetime | None = None
    erased_at: datetime | None = None

    @property
    def erased(self) -> bool:
        return self.erased_at is not None


class CaseKind(StrEnum):
    WARNING = "warning"
    BAN = "ban"


class CaseStatus(StrEnum):
    PENDING = "pending"  # waiting for a second moderator (permanent ban)
    ACTIVE = "active"  # warning in force / ban in effect
    EXPIRED = "expired"  # temporary ban ran out (warnings expire by time, see is_active)
    LIFTED = "lifted"  # ban lifted early by /mod unban
    REVOKED = "revoked"  # withdrawn by a moderator, or overturned on appeal
    LAPSED = "lapsed"  # nobody confirmed in time: never took effect


FINAL_STATUSES = frozenset(
    {CaseStatus.EXPIRED, CaseStatus.LIFTED, CaseStatus.REVOKED, CaseStatus.LAPSED}
)


class Confirmation(StrEnum):
    NOT_NEEDED = "not_needed"
    PENDING = "pending"
    CONFIRMED = "confirmed"
    LAPSED = "lapsed"


@dataclass(frozen=True)
class Proposal:
    """The next step the escalation ladder suggests: a ban of `days` (None: permanent)."""

    days: int | None
    warnings: int
    within_days: int


@dataclass
class ModerationCase:
    id: int | None
    number: int
    platform_id: int
    user_id: int  # PlatformUser.id
    kind: CaseKind
    rule_code: str
    notice_text: str  # what the user is told (Art. 13)
    created_by: str
    created_at: datetime
    status: CaseStatus = CaseStatus.ACTIVE
    severity: str = "minor"
    evidence: str = ""
    content_ids: list[str] = field(default_factory=list)
    internal_note: str = ""
    permanent: bool = False
    ends_at: datetime | None = None  # warning expiry / end of a temporary ban
    delete_content: bool = False
    pursue_responsibility: bool = False
    confirmation: Confirmation = Confirmation.NOT_NEEDED
    confirmed_by: str | None = None
    confirmed_at: datetime | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None
    close_reason: str = ""
    proposal: Proposal | None = None
    source_item_id: int | None = None
    # The form or request that created the case: a repeated submission returns this case.
    request_key: str | None = None
    version: int = 0

    @property
    def key(self) -> str:
        return f"CASE-{self.number}"

    @property
    def subject(self) -> Subject:
        assert self.id is not None
        return Subject("moderation_case", self.id, self.key)

    @property
    def final(self) -> bool:
        return self.status in FINAL_STATUSES

    def is_active(self, now: datetime) -> bool:
        """In force right now: warnings until they expire, bans until they end."""
        if self.status is not CaseStatus.ACTIVE:
            return False
        return self.ends_at is None or self.ends_at > now

    def close(self, status: CaseStatus, by: str, at: datetime, reason: str = "") -> None:
        self.status, self.closed_by, self.closed_at, self.close_reason = status, by, at, reason
        if self.confirmation is Confirmation.PENDING:
            self.confirmation = Confirmation.LAPSED


class ItemKind(StrEnum):
    REPORT = "report"
    APPEAL = "appeal"


class ItemStatus(StrEnum):
    OPEN = "open"
    TAKEN = "taken"
    DISMISSED = "dismissed"
    ACTIONED = "actioned"  # a report that led to a warning or ban
    UPHELD = "upheld"
    OVERTURNED = "overturned"


OPEN_ITEM_STATUSES = frozenset({ItemStatus.OPEN, ItemStatus.TAKEN})


@dataclass
class QueueItem:
    """A report (a user flagged by others) or an appeal against a case, waiting for a moderator."""

    id: int | None
    number: int
    kind: ItemKind
    platform_id: int
    user_id: int
    created_at: datetime
    text: str  # the report's reason / the user's statement
    case_id: int | None = None  # appeals: the case appealed
    reporter: str = ""  # reports: the reporter's platform reference
    content_id: str = ""
    status: ItemStatus = ItemStatus.OPEN
    taken_by: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str = ""
    outcome_case_id: int | None = None

    @property
    def key(self) -> str:
        return f"{'APL' if self.kind is ItemKind.APPEAL else 'RPT'}-{self.number}"

    @property
    def subject(self) -> Subject:
        assert self.id is not None
        return Subject("moderation_item", self.id, self.key)

    @property
    def open(self) -> bool:
        return self.status in OPEN_ITEM_STATUSES


@dataclass(frozen=True)
class UserStatus:
    """What the platform asks on its hot path: banned?, until when, how many warnings."""

    platform: str
    external_id: str
    known: bool
    banned: bool = False
    ban_case: str | None = None
    until: datetime | None = None  # None with banned=True: permanent
    active_warnings: int = 0
    open_appeal: str | None = None
