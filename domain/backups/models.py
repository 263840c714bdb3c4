"""A backup file of the database, as the product talks about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class BackupFile:
    name: str  # "platops-20260105T090000Z.db"
    size_bytes: int
    sha256: str
    created_at: datetime
