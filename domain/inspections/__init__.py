"""Inspections (Art. 8 system monitoring): plans on a schedule, runs with a checklist."""

from __future__ import annotations

from domain.deadlines.services import DeadlinePolicy
from domain.inspections.policies import run_overdue_policy
from domain.inspections.runs import DEADLINE_KIND

DEADLINE_POLICIES: dict[str, DeadlinePolicy] = {DEADLINE_KIND: run_overdue_policy}
