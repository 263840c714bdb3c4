"""Moderation repository: rows ↔ domain objects, and the Core status lookup for the hot path."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Conflict
from domain.moderation.catalogue import PolicySettings
from domain.moderation.models import (
    CaseKind,
    CaseStatus,
    Confirmation,
    ItemKind,
    ItemStatus,
    ModerationCase,
    PlatformUser,
    Proposal,
    QueueItem,
    UserStatus,
)
from domain.moderation.ports import CaseFilter
from storage.models.core import EventRow, OutboxRow
from storage.models.moderation import ModerationCaseRow, ModerationItemRow, PlatformUserRow
from storage.repositories.moderation_policy import load_policy, store_policy
from storage.repositories.moderation_status import user_status

_OPEN_ITEMS = (ItemStatus.OPEN.value, ItemStatus.TAKEN.value)


def _user(row: PlatformUserRow) -> PlatformUser:
    return PlatformUser(
        row.id, row.platform_id, row.external_id, row.handle, row.created_at, row.erased_at
    )


def _case(row: ModerationCaseRow) -> ModerationCase:
    proposal = Proposal(**row.proposal) if row.proposal else None
    return ModerationCase(
        id=row.id,
        number=row.number,
        platform_id=row.platform_id,
        user_id=row.platform_user_id,
        kind=CaseKind(row.kind),
        rule_code=row.rule_code,
        notice_text=row.notice_text,
        created_by=row.created_by,
        created_at=row.created_at,
        status=CaseStatus(row.status),
        severity=row.severity,
        evidence=row.evidence,
        content_ids=list(row.content_ids),
        internal_note=row.internal_note,
        permanent=row.permanent,
        ends_at=row.ends_at,
        delete_content=row.delete_content,
        pursue_responsibility=row.pursue_responsibility,
        confirmation=Confirmation(row.confirmation),
        confirmed_by=row.confirmed_by,
        confirmed_at=row.confirmed_at,
        closed_by=row.closed_by,
        closed_at=row.closed_at,
        close_reason=row.close_reason,
        proposal=proposal,
        source_item_id=row.source_item_id,
        request_key=row.request_key,
        version=row.version,
    )


def _case_values(case: ModerationCase) -> dict[str, Any]:
    proposal = case.proposal
    return {
        "number": case.number,
        "platform_id": case.platform_id,
        "platform_user_id": case.user_id,
        "kind": case.kind.value,
        "status": case.status.value,
        "rule_code": case.rule_code,
        "severity": case.severity,
        "notice_text": case.notice_text,
        "evidence": case.evidence,
        "content_ids": list(case.content_ids),
        "internal_note": case.internal_note,
        "permanent": case.permanent,
        "ends_at": case.ends_at,
        "delete_content": case.delete_content,
        "pursue_responsibility": case.pursue_responsibility,
        "confirmation": case.confirmation.value,
        "confirmed_by": case.confirmed_by,
        "confirmed_at": case.confirmed_at,
        "created_by": case.created_by,
        "created_at": case.created_at,
        "closed_by": case.closed_by,
        "closed_at": case.closed_at,
        "close_reason": case.close_reason,
        "proposal": (
            {
                "days": proposal.days,
                "warnings": proposal.warnings,
                "within_days": proposal.within_days,
            }
            if proposal
            else None
        ),
        "source_item_id": case.source_item_id,
        "request_key": case.request_key,
    }


def _item(row: ModerationItemRow) -> QueueItem:
    return QueueItem(
        id=row.id,
        number=row.number,
        kind=ItemKind(row.kind),
        platform_id=row.platform_id,
        user_id=row.platform_user_id,
        created_at=row.created_at,
        text=row.text,
        case_id=row.case_id,
        reporter=row.reporter,
        content_id=row.content_id,
        status=ItemStatus(row.status),
        taken_by=row.taken_by,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        decision_note=row.decision_note,
        outcome_case_id=row.outcome_case_id,
    )


def _item_values(item: QueueItem) -> dict[str, Any]:
    return {
        "number": item.number,
        "kind": item.kind.value,
        "platform_id": item.platform_id,
        "platform_user_id": item.user_id,
        "case_id": item.case_id,
        "created_at": item.created_at,
        "text": item.text,
        "reporter": item.reporter,
        "content_id": item.content_id,
        "status": item.status.value,
        "taken_by": item.taken_by,
        "decided_by": item.decided_by,
        "decided_at": item.decided_at,
        "decision_note": item.decision_note,
        "outcome_case_id": item.outcome_case_id,
    }


class SqlModeration:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- platform users ------------------------------------------------------------------------
    async def find_user(self, platform_id: int, external_id: str) -> PlatformUser | None:
        row = await self.session.scalar(
            select(PlatformUserRow).where(
                PlatformUserRow.platform_id == platform_id,
                PlatformUserRow.external_id == external_id,
            )
        )
        return _user(row) if row else None

    async def get_user(self, user_id: int) -> PlatformUser | None:
        row = await self.session.get(PlatformUserRow, user_id)
        return _user(row) if row else None

    async def add_user(self, user: PlatformUser) -> PlatformUser:
        assert user.created_at is not None
        row = PlatformUserRow(
            platform_id=user.platform_id,
            external_id=user.external_id,
            handle=user.handle,
            created_at=user.created_at,
        )
        self.session.add(row)
        await self.session.flush()
        user.id = row.id
        return user

    async def save_user(self, user: PlatformUser) -> None:
        row = await self.session.get(PlatformUserRow, user.id)
        assert row is not None
        row.external_id, row.handle, row.erased_at = user.external_id, user.handle, user.erased_at
        await self.session.flush()

    # -- cases ---------------------------------------------------------------------------------
    async def add_case(self, case: ModerationCase) -> ModerationCase:
        row = ModerationCaseRow(**_case_values(case), version=0)
        self.session.add(row)
        await self.session.flush()
        case.id = row.id
        return case

    async def get_case(self, case_id: int) -> ModerationCase | None:
        row = await self.session.get(ModerationCaseRow, case_id, populate_existing=True)
        return _case(row) if row else None

    async def find_case(self, number: int) -> ModerationCase | None:
        row = await self.session.scalar(
            select(ModerationCaseRow).where(ModerationCaseRow.number == number)
        )
        return _case(row) if row else None

    async def find_by_request(self, request_key: str) -> ModerationCase | None:
        row = await self.session.scalar(
            select(ModerationCaseRow).where(ModerationCaseRow.request_key == request_key)
        )
        return _case(row) if row else None

    async def save_case(self, case: ModerationCase) -> None:
        # Optimistic: a concurrent writer (another moderator's click) makes this one stale.
        result = await self.session.execute(
            update(ModerationCaseRow)
            .where(ModerationCaseRow.id == case.id, ModerationCaseRow.version == case.version)
            .values(**_case_values(case), version=case.version + 1)
            .execution_options(synchronize_session=False)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            raise Conflict("mod.errors.stale", case=case.key)
        case.version += 1

    async def _cases(self, query: Any) -> list[ModerationCase]:
        rows = await self.session.scalars(query.execution_options(populate_existing=True))
        return [_case(row) for row in rows]

    async def cases_of(self, user_id: int) -> list[ModerationCase]:
        return await self._cases(
            select(ModerationCaseRow)
            .where(ModerationCaseRow.platform_user_id == user_id)
            .order_by(ModerationCaseRow.id.desc())
        )

    async def list_cases(self, query: CaseFilter) -> list[ModerationCase]:
        stmt = select(ModerationCaseRow).order_by(ModerationCaseRow.id.desc()).limit(query.limit)
        if query.platform_id is not None:
            stmt = stmt.where(ModerationCaseRow.platform_id == query.platform_id)
        if query.user_id is not None:
            stmt = stmt.where(ModerationCaseRow.platform_user_id == query.user_id)
        if query.kind is not None:
            stmt = stmt.where(ModerationCaseRow.kind == query.kind.value)
        if query.status is not None:
            stmt = stmt.where(ModerationCaseRow.status == query.status.value)
        if query.created_by is not None:
            stmt = stmt.where(ModerationCaseRow.created_by == query.created_by)
        if query.after_id is not None:
            stmt = stmt.where(ModerationCaseRow.id < query.after_id)
        return await self._cases(stmt)

    async def pending_cases(
        self, platform_ids: Sequence[int] | None = None
    ) -> list[ModerationCase]:
        stmt = (
            select(ModerationCaseRow)
            .where(
                ModerationCaseRow.confirmation == Confirmation.PENDING.value,
                ModerationCaseRow.status.in_([CaseStatus.PENDING.value, CaseStatus.ACTIVE.value]),
            )
            .order_by(ModerationCaseRow.id)
        )
        if platform_ids is not None:
            stmt = stmt.where(ModerationCaseRow.platform_id.in_(list(platform_ids)))
        return await self._cases(stmt)

    # -- queue ---------------------------------------------------------------------------------
    async def add_item(self, item: QueueItem) -> QueueItem:
        row = ModerationItemRow(**_item_values(item))
        self.session.add(row)
        await self.session.flush()
        item.id = row.id
        return item

    async def get_item(self, item_id: int) -> QueueItem | None:
        row = await self.session.get(ModerationItemRow, item_id, populate_existing=True)
        return _item(row) if row else None

    async def find_item(self, kind: ItemKind, number: int) -> QueueItem | None:
        row = await self.session.scalar(
            select(ModerationItemRow)
            .where(ModerationItemRow.kind == kind.value, ModerationItemRow.number == number)
            .execution_options(populate_existing=True)
        )
        return _item(row) if row else None

    async def save_item(self, item: QueueItem) -> None:
        await self.session.execute(
            update(ModerationItemRow)
            .where(ModerationItemRow.id == item.id)
            .values(**_item_values(item))
            .execution_options(synchronize_session=False)
        )

    async def items_of(self, user_id: int) -> list[QueueItem]:
        rows = await self.session.scalars(
            select(ModerationItemRow)
            .where(ModerationItemRow.platform_user_id == user_id)
            .order_by(ModerationItemRow.id.desc())
            .execution_options(populate_existing=True)
        )
        return [_item(row) for row in rows]

    async def open_items(
        self,
        kind: ItemKind | None = None,
        limit: int = 50,
        platform_ids: Collection[int] | None = None,
    ) -> list[QueueItem]:
        stmt = (
            select(ModerationItemRow)
            .where(ModerationItemRow.status.in_(_OPEN_ITEMS))
            .order_by(ModerationItemRow.id)
            .limit(limit)
            .execution_options(populate_existing=True)
        )
        if kind is not None:
            stmt = stmt.where(ModerationItemRow.kind == kind.value)
        if platform_ids is not None:
            stmt = stmt.where(ModerationItemRow.platform_id.in_(list(platform_ids)))
        return [_item(row) for row in await self.session.scalars(stmt)]

    async def open_appeal_for(self, case_id: int) -> QueueItem | None:
        row = await self.session.scalar(
            select(ModerationItemRow).where(
                ModerationItemRow.case_id == case_id,
                ModerationItemRow.kind == ItemKind.APPEAL.value,
                ModerationItemRow.status.in_(_OPEN_ITEMS),
            )
        )
        return _item(row) if row else None

    # -- the platform's hot path ---------------------------------------------------------------
    async def status_of(self, platform_key: str, external_id: str, now: datetime) -> UserStatus:
        return await user_status(self.session, platform_key, external_id, now)

    # -- the organisation's policy ---------------------------------------------------------------
    async def policy_settings(self) -> PolicySettings:
        return await load_policy(self.session)

    async def save_policy_settings(self, settings: PolicySettings, at: datetime) -> None:
        await store_policy(self.session, settings, at)

    # -- erasure -------------------------------------------------------------------------------
    async def anonymise_deliveries(
        self, case_ids: Sequence[int], replacement: dict[str, Any]
    ) -> int:
        if not case_ids:
            return 0
        rows = await self.session.scalars(
            select(OutboxRow)
            .join(EventRow, EventRow.id == OutboxRow.event_id)
            .where(
                OutboxRow.kind == "webhook",
                EventRow.subject_type == "moderation_case",
                EventRow.subject_id.in_(list(case_ids)),
            )
        )
        changed = 0
        for row in rows:
            data = dict(row.payload.get("data") or {})
            scrubbed = {k: replacement.get(k, v) for k, v in data.items()}
            if scrubbed != data:
                row.payload = {**row.payload, "data": scrubbed}
                changed += 1
        await self.session.flush()
        return changed
