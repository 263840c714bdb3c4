"""Webhook subscriptions: other systems (platforms, SIEM, BI) learn of events by signed POSTs."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from datetime import datetime


@dataclass
class WebhookSubscription:
    id: int | None
    url: str
    event_types: tuple[str, ...]  # exact types or patterns: "incident.*", "*"
    secret: str
    created_by: str
    created_at: datetime
    active: bool = True
    description: str = ""

    def wants(self, event_type: str) -> bool:
        return self.active and any(fnmatch.fnmatchcase(event_type, p) for p in self.event_types)

    def receives(self, event_type: str, addressed_to: int | None = None) -> bool:
        """Whether an event goes to this subscription: by its types, or addressed to it alone."""
        if addressed_to is not None:
            return self.active and addressed_to == self.id
        return self.wants(event_type)


@dataclass(frozen=True)
class WebhookDelivery:
    """One attempt-tracked delivery of an event to a subscription (the delivery log)."""

    id: int
    subscription_id: int
    event_id: int | None
    event_type: str
    state: str  # pending | sending | done | parked
    attempts: int
    response_status: int | None
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None
