"""Requirements and approvals (Art. 6; SPEC §5.1)."""

from __future__ import annotations

from domain.deadlines.services import DeadlinePolicy
from domain.requirements.reminders import approval_step
from domain.requirements.services import APPROVAL_DEADLINE

DEADLINE_POLICIES: dict[str, DeadlinePolicy] = {APPROVAL_DEADLINE: approval_step}
