"""Departments (who ask for platform work) and platforms (what is operated)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.errors import ValidationFailed

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def check_slug(field: str, value: str) -> str:
    slug = value.strip().lower()
    if not SLUG.match(slug):
        raise ValidationFailed.single(field, "errors.slug", value=value)
    return slug


@dataclass
class Department:
    id: int | None
    key: str
    name: str
    channel_id: str | None = None
    approval_quorum: int = 1
    remind_after_hours: int = 24
    escalate_after_hours: int = 72
    calendar: str | None = None


@dataclass
class Platform:
    id: int | None
    key: str
    name: str
    ops_channel_id: str | None = None
    moderation_channel_id: str | None = None
    calendar: str | None = None
