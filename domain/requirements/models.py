"""Requirements (Art. 6): the entity, its stages and the rules that move it between them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from domain.errors import InvalidTransition
from domain.events import Subject

SUBJECT_TYPE = "requirement"
KEY_SEQUENCE = "REQ"


class Stage(StrEnum):
    APPROVAL = "approval"  # waiting for the department's approvers
    CHANGES_REQUESTED = "changes_requested"  # back with the submitter
    DESIGN = "design"
    DEVELOPMENT = "development"
    TESTING = "testing"
    LIVE = "live"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Status(StrEnum):
    """A coarse grouping of stages for lists and filters."""

    PENDING = "pending"  # approval or changes requested
    ACTIVE = "active"  # approved, being built
    DONE = "done"  # live
    CLOSED = "closed"  # rejected or withdrawn


STATUS_OF: dict[Stage, Status] = {
    Stage.APPROVAL: Status.PENDING,
    Stage.CHANGES_REQUESTED: Status.PENDING,
    Stage.DESIGN: Status.ACTIVE,
    Stage.DEVELOPMENT: Status.ACTIVE,
    Stage.TESTING: Status.ACTIVE,
    Stage.LIVE: Status.DONE,
    Stage.REJECTED: Status.CLOSED,
    Stage.WITHDRAWN: Status.CLOSED,
}

# What the technical team may move a requirement to, by hand (Art. 6 steps 2–4).
# testing → development is also what a failed test does on its own.
ENGINEERING_MOVES: dict[Stage, tuple[Stage, ...]] = {
    Stage.DESIGN: (Stage.DEVELOPMENT,),
    Stage.DEVELOPMENT: (Stage.TESTING, Stage.DESIGN),
    Stage.TESTING: (Stage.LIVE, Stage.DEVELOPMENT),
}
ENDS = frozenset({Stage.LIVE, Stage.REJECTED, Stage.WITHDRAWN})


class Priority(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    CHANGES = "changes"

    @property
    def needs_reason(self) -> bool:
        return self is not Decision.APPROVE


# Input limits shared by the Slack modal and the API.
TITLE_MAX = 150
TEXT_MAX = 3000
REASON_MAX = 2000
EVIDENCE_MAX = 2000


@dataclass(frozen=True)
class Seat:
    """One approver's place in an approval round; `delegate` votes for them while away."""

    approver_id: str
    delegate_id: str | None = None


@dataclass
class Vote:
    requirement_id: int
    round: int
    approver_id: str  # whose seat the vote fills
    decision: Decision
    cast_by: str  # who clicked: the approver or their delegate
    cast_at: datetime
    reason: str | None = None
    id: int | None = None

    @property
    def on_behalf(self) -> bool:
        return self.cast_by != self.approver_id


@dataclass
class TestRecord:
    requirement_id: int
    passed: bool
    evidence: str
    recorded_by: str
    recorded_at: datetime
    id: int | None = None


@dataclass
class Delegation:
    delegator_id: str
    delegate_id: str
    starts_at: datetime
    until: datetime
    created_at: datetime
    revoked_at: datetime | None = None
    id: int | None = None

    def active_at(self, moment: datetime) -> bool:
        return self.revoked_at is None and self.starts_at <= moment < self.until


@dataclass
class Requirement:
    id: int | None
    number: int
    title: str
    department_id: int
    platform_id: int | None
    description: str
    justification: str
    priority: Priority
    wanted_by: date | None
    submitter_id: str
    created_at: datetime
    stage: Stage = Stage.APPROVAL
    round: int = 1
    quorum: int = 1
    seats: list[str] = field(default_factory=list)  # approvers of the current round
    # (seat, person) pairs who got this round's approval DM: the approver and any delegate.
    recipients: list[tuple[str, str]] = field(default_factory=list)
    owner_id: str | None = None
    stage_changed_at: datetime | None = None
    updated_at: datetime | None = None
    votes: list[Vote] = field(default_factory=list)  # every round, oldest first
    tests: list[TestRecord] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{KEY_SEQUENCE}-{self.number}"

    @property
    def subject(self) -> Subject:
        assert self.id is not None
        return Subject(SUBJECT_TYPE, self.id, self.key)

    @property
    def status(self) -> Status:
        return STATUS_OF[self.stage]

    @property
    def is_closed(self) -> bool:
        return self.stage in ENDS

    def round_votes(self, round_: int | None = None) -> list[Vote]:
        wanted = self.round if round_ is None else round_
        return [v for v in self.votes if v.round == wanted]

    def vote_of(self, approver_id: str) -> Vote | None:
        return next((v for v in self.round_votes() if v.approver_id == approver_id), None)

    @property
    def approvals(self) -> int:
        return sum(1 for v in self.round_votes() if v.decision is Decision.APPROVE)

    def waiting_for(self) -> list[str]:
        """Seats of the current round that have not voted yet (empty once decided)."""
        if self.stage is not Stage.APPROVAL:
            return []
        voted = {v.approver_id for v in self.round_votes()}
        return [seat for seat in self.seats if seat not in voted]

    def passing_test(self) -> TestRecord | None:
        """The latest test of the current testing stage, if it passed (a test recorded before
        the requirement last entered testing says nothing about the code being tested now)."""
        if self.stage is not Stage.TESTING or not self.tests:
            return None
        latest = self.tests[-1]
        entered = self.stage_changed_at
        if not latest.passed or (entered is not None and latest.recorded_at < entered):
            return None
        return latest

    def move(self, target: Stage, now: datetime) -> Stage:
        """Apply an engineering move; returns the stage it came from."""
        allowed = ENGINEERING_MOVES.get(self.stage, ())
        if target not in allowed:
            raise InvalidTransition(
                "req.errors.illegal_move",
                key=self.key,
                stage=self.stage.value,
                target=target.value,
                allowed=", ".join(s.value for s in allowed) or "—",
            )
        return self.enter(target, now)

    def enter(self, target: Stage, now: datetime) -> Stage:
        previous = self.stage
        self.stage = target
        self.stage_changed_at = now
        self.updated_at = now
        return previous
