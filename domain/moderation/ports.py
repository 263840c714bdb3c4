"""What moderation needs from storage, on top of the shared unit of work."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from domain.moderation.catalogue import PolicySettings
from domain.moderation.models import (
    CaseKind,
    CaseStatus,
    ItemKind,
    ModerationCase,
    PlatformUser,
    QueueItem,
    UserStatus,
)
from domain.ports import UnitOfWork


@dataclass(frozen=True)
class CaseFilter:
    platform_id: int | None = None
    user_id: int | None = None
    kind: CaseKind | None = None
    status: CaseStatus | None = None
    created_by: str | None = None
    after_id: int | None = None  # cursor: cases with a smaller id (newest first)
    limit: int = 50


class ModerationRepository(Protocol):
    async def find_user(self, platform_id: int, external_id: str) -> PlatformUser | None: ...
    async def get_user(self, user_id: int) -> PlatformUser | None: ...
    async def add_user(self, user: PlatformUser) -> PlatformUser: ...
    async def save_user(self, user: PlatformUser) -> None: ...

    async def add_case(self, case: ModerationCase) -> ModerationCase: ...
    async def get_case(self, case_id: int) -> ModerationCase | None: ...
    async def find_case(self, number: int) -> ModerationCase | None: ...
    async def find_by_request(self, request_key: str) -> ModerationCase | None: ...
    async def save_case(self, case: ModerationCase) -> None:
        """Write the case; raises Conflict when someone changed it since it was read."""
        ...

    async def cases_of(self, user_id: int) -> list[ModerationCase]: ...
    async def list_cases(self, query: CaseFilter) -> list[ModerationCase]: ...
    async def pending_cases(
        self, platform_ids: Sequence[int] | None = None
    ) -> list[ModerationCase]: ...

    async def add_item(self, item: QueueItem) -> QueueItem: ...
    async def get_item(self, item_id: int) -> QueueItem | None: ...
    async def find_item(self, kind: ItemKind, number: int) -> QueueItem | None: ...
    async def save_item(self, item: QueueItem) -> None: ...
    async def items_of(self, user_id: int) -> list[QueueItem]: ...
    async def open_items(
        self,
        kind: ItemKind | None = None,
        limit: int = 50,
        platform_ids: Collection[int] | None = None,
    ) -> list[QueueItem]:
        """Open reports and appeals, oldest first (only these platforms' when given)."""
        ...

    async def open_appeal_for(self, case_id: int) -> QueueItem | None: ...

    async def status_of(self, platform_key: str, external_id: str, now: datetime) -> UserStatus:
        """The platform's hot-path lookup: one indexed query, no ORM."""
        ...

    async def anonymise_deliveries(
        self, case_ids: Sequence[int], replacement: dict[str, Any]
    ) -> int:
        """Scrub the user's identity from webhook payloads still queued or kept in the log."""
        ...

    async def policy_settings(self) -> PolicySettings:
        """The organisation's configured policy (empty settings when never configured)."""
        ...

    async def save_policy_settings(self, settings: PolicySettings, at: datetime) -> None: ...


class ModerationUnitOfWork(UnitOfWork, Protocol):
    @property
    def moderation(self) -> ModerationRepository: ...
