"""Requirements, their votes and tests, approval delegations; history read from the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.requirements.models import (
    STATUS_OF,
    SUBJECT_TYPE,
    Decision,
    Delegation,
    Priority,
    Requirement,
    Stage,
    TestRecord,
    Vote,
)
from domain.requirements.ports import HistoryEntry, RequirementFilter
from storage.models.core import EventRow
from storage.models.requirements import (
    ApprovalDelegationRow,
    RequirementRow,
    RequirementTestRow,
    RequirementVoteRow,
)


def _vote(row: RequirementVoteRow) -> Vote:
    return Vote(
        requirement_id=row.requirement_id,
        round=row.round,
        approver_id=row.approver_id,
        decision=Decision(row.decision),
        cast_by=row.cast_by,
        cast_at=row.cast_at,
        reason=row.reason,
        id=row.id,
    )


def _test(row: RequirementTestRow) -> TestRecord:
    return TestRecord(
        row.requirement_id, row.passed, row.evidence, row.recorded_by, row.recorded_at, row.id
    )


def _delegation(row: ApprovalDelegationRow) -> Delegation:
    return Delegation(
        row.delegator_id,
        row.delegate_id,
        row.starts_at,
        row.until,
        row.created_at,
        row.revoked_at,
        row.id,
    )


class SqlRequirements:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- the entity ------------------------------------------------------------------------------
    @staticmethod
    def _fill(row: RequirementRow, r: Requirement) -> None:
        row.number, row.title, row.department_id = r.number, r.title, r.department_id
        row.platform_id, row.description, row.justification = (
            r.platform_id,
            r.description,
            r.justification,
        )
        row.priority, row.wanted_by, row.submitter_id = (
            r.priority.value,
            r.wanted_by,
            r.submitter_id,
        )
        row.owner_id, row.stage, row.round, row.quorum = (
            r.owner_id,
            r.stage.value,
            r.round,
            r.quorum,
        )
        row.seats = list(r.seats)
        row.recipients = [list(pair) for pair in r.recipients]
        row.created_at = r.created_at
        row.stage_changed_at = r.stage_changed_at or r.created_at
        row.updated_at = r.updated_at or r.created_at

    async def _hydrate(self, rows: Sequence[RequirementRow]) -> list[Requirement]:
        ids = [row.id for row in rows]
        votes: dict[int, list[Vote]] = {i: [] for i in ids}
        tests: dict[int, list[TestRecord]] = {i: [] for i in ids}
        if ids:
            for vote_row in await self.session.scalars(
                select(RequirementVoteRow)
                .where(RequirementVoteRow.requirement_id.in_(ids))
                .order_by(RequirementVoteRow.id)
            ):
                votes[vote_row.requirement_id].append(_vote(vote_row))
            for test_row in await self.session.scalars(
                select(RequirementTestRow)
                .where(RequirementTestRow.requirement_id.in_(ids))
                .order_by(RequirementTestRow.id)
            ):
                tests[test_row.requirement_id].append(_test(test_row))
        return [
            Requirement(
                id=row.id,
                number=row.number,
                title=row.title,
                department_id=row.department_id,
                platform_id=row.platform_id,
                description=row.description,
                justification=row.justification,
                priority=Priority(row.priority),
                wanted_by=row.wanted_by,
                submitter_id=row.submitter_id,
                created_at=row.created_at,
                stage=Stage(row.stage),
                round=row.round,
                quorum=row.quorum,
                seats=list(row.seats),
                recipients=[(pair[0], pair[1]) for pair in row.recipients],
                owner_id=row.owner_id,
                stage_changed_at=row.stage_changed_at,
                updated_at=row.updated_at,
                votes=votes[row.id],
                tests=tests[row.id],
            )
            for row in rows
        ]

    async def add(self, requirement: Requirement) -> Requirement:
        row = RequirementRow()
        self._fill(row, requirement)
        self.session.add(row)
        await self.session.flush()
        requirement.id = row.id
        return requirement

    async def get(self, requirement_id: int) -> Requirement | None:
        row = await self.session.get(RequirementRow, requirement_id)
        return (await self._hydrate([row]))[0] if row else None

    async def find(self, number: int) -> Requirement | None:
        row = await self.session.scalar(
            select(RequirementRow).where(RequirementRow.number == number)
        )
        return (await self._hydrate([row]))[0] if row else None

    async def save(self, requirement: Requirement) -> None:
        row = await self.session.get(RequirementRow, requirement.id)
        assert row is not None
        self._fill(row, requirement)
        await self.session.flush()

    async def add_vote(self, vote: Vote) -> bool:
        try:
            async with self.session.begin_nested():
                row = RequirementVoteRow(
                    requirement_id=vote.requirement_id,
                    round=vote.round,
                    approver_id=vote.approver_id,
                    cast_by=vote.cast_by,
                    decision=vote.decision.value,
                    reason=vote.reason,
                    cast_at=vote.cast_at,
                )
                self.session.add(row)
                await self.session.flush()
        except IntegrityError:
            return False
        vote.id = row.id
        return True

    async def add_test(self, test: TestRecord) -> TestRecord:
        row = RequirementTestRow(
            requirement_id=test.requirement_id,
            passed=test.passed,
            evidence=test.evidence,
            recorded_by=test.recorded_by,
            recorded_at=test.recorded_at,
        )
        self.session.add(row)
        await self.session.flush()
        test.id = row.id
        return test

    # -- queries ---------------------------------------------------------------------------------
    async def search(self, query: RequirementFilter) -> list[Requirement]:
        statement = select(RequirementRow)
        if query.department_id is not None:
            statement = statement.where(RequirementRow.department_id == query.department_id)
        stages = set(query.stages)
        if query.status is not None:
            by_status = {s for s, status in STATUS_OF.items() if status is query.status}
            stages = stages & by_status if stages else by_status
        if stages or query.stages:
            statement = statement.where(RequirementRow.stage.in_(sorted(s.value for s in stages)))
        if query.submitter_id is not None:
            statement = statement.where(
                or_(
                    RequirementRow.submitter_id == query.submitter_id,
                    RequirementRow.owner_id == query.submitter_id,
                )
            )
        if query.submitted_after is not None:
            statement = statement.where(RequirementRow.created_at > query.submitted_after)
        if query.ids is not None:
            statement = statement.where(RequirementRow.id.in_(list(query.ids)))
        if query.after_id is not None:
            statement = statement.where(RequirementRow.id < query.after_id)
        rows = await self.session.scalars(
            statement.order_by(RequirementRow.id.desc()).limit(query.limit)
        )
        return await self._hydrate(list(rows))

    async def pending_for_approver(self, approver_ids: list[str]) -> list[Requirement]:
        rows = list(
            await self.session.scalars(
                select(RequirementRow)
                .where(RequirementRow.stage == Stage.APPROVAL.value)
                .order_by(RequirementRow.id)
            )
        )
        wanted = set(approver_ids)
        # Seats live in a JSON list; filtering in Python keeps one query for SQLite and PostgreSQL
        # (the set of requirements in approval at any time is small).
        return await self._hydrate([row for row in rows if wanted & set(row.seats)])

    async def history(self, requirement_id: int, limit: int = 50) -> list[HistoryEntry]:
        rows = await self.session.scalars(
            select(EventRow)
            .where(EventRow.subject_type == SUBJECT_TYPE, EventRow.subject_id == requirement_id)
            .order_by(EventRow.id.desc())
            .limit(limit)
        )
        entries = [
            HistoryEntry(r.occurred_at, r.type, r.actor_id, dict(r.data), r.actor_kind)
            for r in rows
        ]
        return list(reversed(entries))

    # -- delegations -----------------------------------------------------------------------------
    async def add_delegation(self, delegation: Delegation) -> Delegation:
        row = ApprovalDelegationRow(
            delegator_id=delegation.delegator_id,
            delegate_id=delegation.delegate_id,
            starts_at=delegation.starts_at,
            until=delegation.until,
            created_at=delegation.created_at,
            revoked_at=delegation.revoked_at,
        )
        self.session.add(row)
        await self.session.flush()
        delegation.id = row.id
        return delegation

    async def save_delegation(self, delegation: Delegation) -> None:
        row = await self.session.get(ApprovalDelegationRow, delegation.id)
        assert row is not None
        row.until, row.revoked_at = delegation.until, delegation.revoked_at

    async def delegations_from(self, delegator_id: str) -> list[Delegation]:
        rows = await self.session.scalars(
            select(ApprovalDelegationRow)
            .where(ApprovalDelegationRow.delegator_id == delegator_id)
            .order_by(ApprovalDelegationRow.id)
        )
        return [_delegation(row) for row in rows]

    async def delegations_to(self, delegate_id: str) -> list[Delegation]:
        rows = await self.session.scalars(
            select(ApprovalDelegationRow)
            .where(ApprovalDelegationRow.delegate_id == delegate_id)
            .order_by(ApprovalDelegationRow.id)
        )
        return [_delegation(row) for row in rows]

    async def active_delegations(self, at: datetime) -> list[Delegation]:
        rows = await self.session.scalars(
            select(ApprovalDelegationRow)
            .where(
                ApprovalDelegationRow.revoked_at.is_(None),
                ApprovalDelegationRow.starts_at <= at,
                ApprovalDelegationRow.until > at,
            )
            .order_by(ApprovalDelegationRow.id)
        )
        return [_delegation(row) for row in rows]
