"""Incidents (SPEC §5.2, Art. 8 incident handling)."""

from __future__ import annotations

from domain.deadlines.services import DeadlinePolicy
from domain.incidents.escalation import ACK_DEADLINE, ack_deadline_policy
from domain.incidents.reviews import REVIEW_DEADLINE, review_deadline_policy

DEADLINE_POLICIES: dict[str, DeadlinePolicy] = {
    ACK_DEADLINE: ack_deadline_policy,
    REVIEW_DEADLINE: review_deadline_policy,
}
