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
