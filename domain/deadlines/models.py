"""Something owed by someone by a time, with an escalation ladder (SPEC §7a).

A deadline is created by the use case that opens the obligation, in the same transaction. The
sweep fires its steps in order; each step fires once (recorded); acting on the subject closes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from domain.events import Subject


class DeadlineState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Step:
    """Fire `action` at due_at + `offset` (negative offsets fire before the due time)."""

    offset: timedelta
    action: str  # "remind", "renotify", "escalate", ... interpreted by the kind's policy
    level: int = 0


@dataclass
class Deadline:
    id: int | None
    kind: str  # e.g. "requirement.approval", "incident.ack"
    subject: Subject
    due_at: datetime
    steps: list[Step]
    owner_id: str | None = None
    next_step: int = 0
    next_fire_at: datetime | None = None
    state: DeadlineState = DeadlineState.OPEN
    snoozed_until: datetime | None = None
    calendar: str | None = None
    params: dict[str, str | int | None] = field(default_factory=dict)
    created_at: datetime | None = None
    closed_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.next_fire_at is None and self.state is DeadlineState.OPEN:
            self.next_fire_at = self._fire_time(self.next_step)

    def _fire_time(self, index: int) -> datetime | None:
        if index >= len(self.steps):
            return None
        return self.due_at + self.steps[index].offset

    @property
    def current_step(self) -> Step | None:
        return self.steps[self.next_step] if self.next_step < len(self.steps) else None

    def advance(self, now: datetime) -> None:
        """Mark the current step fired and schedule the next one (never in the past twice)."""
        self.next_step += 1
        fire_at = self._fire_time(self.next_step)
        if fire_at is None:
            self.next_fire_at = None
            return
        self.next_fire_at = max(fire_at, now)

    def snooze(self, until: datetime) -> None:
        self.snoozed_until = until
        if self.next_fire_at is not None:
            self.next_fire_at = max(self.next_fire_at, until)

    def close(self, now: datetime) -> None:
        self.state = DeadlineState.CLOSED
        self.closed_at = now
        self.next_fire_at = None


SNOOZE_CHOICES: dict[str, timedelta] = {
    "30m": timedelta(minutes=30),
    "1h": timedelta(hours=1),
    "4h": timedelta(hours=4),
    "tomorrow": timedelta(hours=24),
}
