"""Moderation of platform users (SPEC §5.4, Art. 9–13): cases, four-eyes, ladder, queue, privacy."""

from __future__ import annotations

from domain.deadlines.services import DeadlinePolicy
from domain.moderation import policies
from domain.moderation.services import BAN_EXPIRY, CONFIRMATION, QUEUE_ITEM

DEADLINE_POLICIES: dict[str, DeadlinePolicy] = {
    BAN_EXPIRY: policies.ban_expiry,
    CONFIRMATION: policies.confirmation,
    QUEUE_ITEM: policies.queue_item,
}
