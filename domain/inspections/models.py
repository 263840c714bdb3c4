"""Inspection plans (what to check, on which platform, when, by whom) and their runs (RUN-n)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from domain.access import Role
from domain.events import JSONDict, Subject

MAX_CHECKLIST_ITEMS = 40  # two modal blocks per item; Slack allows 100 blocks per view
MAX_ITEM_LENGTH = 150
MAX_NAME_LENGTH = 80
MAX_NOTE_LENGTH = 500
MIN_GRACE = timedelta(minutes=5)
MAX_GRACE = timedelta(days=7)
# Roles a plan may be assigned to instead of one person (holders on the plan's platform).
ASSIGNABLE_ROLES = (Role.OPERATOR, Role.ENGINEER)


class PlanState(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    DELETED = "deleted"


class RunState(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"


@dataclass
class InspectionPlan:
    id: int | None
    name: str
    platform_id: int
    checklist: list[str]
    cron: str
    timezone: str
    channel_id: str
    grace: timedelta
    assignee_id: str | None = None
    assignee_role: Role | None = None
    state: PlanState = PlanState.ACTIVE
    next_due_at: datetime | None = None
    source: str = "slack"  # "slack", "api" or "config" (declarative file)
    created_by: str = ""
    created_at: datetime | None = None

    @property
    def subject(self) -> Subject:
        assert self.id is not None
        return Subject("inspection_plan", self.id, f"PLAN-{self.id}")

    @property
    def key(self) -> str:
        return f"PLAN-{self.id}"

    def describe(self) -> JSONDict:
        """The editable fields, for audit before/after."""
        return {
            "name": self.name,
            "platform_id": self.platform_id,
            "checklist": list(self.checklist),
            "cron": self.cron,
            "timezone": self.timezone,
            "channel_id": self.channel_id,
            "grace_minutes": int(self.grace.total_seconds() // 60),
            "assignee_id": self.assignee_id,
            "assignee_role": self.assignee_role.value if self.assignee_role else None,
            "state": self.state.value,
        }


@dataclass(frozen=True)
class ItemResult:
    item: str
    passed: bool
    note: str = ""
    incident_key: str | None = None  # set when "Open incident" was used for this item


@dataclass
class InspectionRun:
    id: int | None
    number: int
    plan_id: int
    platform_id: int
    scheduled_for: datetime  # the schedule tick this run is for (unique per plan)
    opened_at: datetime
    due_at: datetime  # end of the grace period
    checklist: list[str]  # copied from the plan when opened: later plan edits don't change it
    assignee_id: str | None = None
    assignee_role: Role | None = None
    channel_id: str = ""
    state: RunState = RunState.OPEN
    late: bool = False  # opened after an outage, past its tick
    missed_at: datetime | None = None  # grace period passed before completion
    completed_at: datetime | None = None
    completed_by: str | None = None
    results: list[ItemResult] = field(default_factory=list)
    notified: list[str] = field(default_factory=list)  # people DMed the reminder (kept updated)

    @property
    def key(self) -> str:
        return f"RUN-{self.number}"

    @property
    def subject(self) -> Subject:
        assert self.id is not None
        return Subject("inspection_run", self.id, self.key)

    @property
    def failed_items(self) -> list[tuple[int, ItemResult]]:
        return [(index, r) for index, r in enumerate(self.results) if not r.passed]

    @property
    def missed(self) -> bool:
        return self.missed_at is not None


def parse_run_key(text: str) -> int | None:
    """`RUN-12`, `run-12` or `12` → 12."""
    word = text.strip().upper()
    if word.startswith("RUN-"):
        word = word[4:]
    return int(word) if word.isdigit() else None


def parse_plan_ref(text: str) -> int | None:
    """`PLAN-3` or `3` → 3 (other text is a plan name)."""
    word = text.strip().upper()
    if word.startswith("PLAN-"):
        word = word[5:]
    return int(word) if word.isdigit() else None
