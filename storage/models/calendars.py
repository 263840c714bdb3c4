"""Business-hours calendars (working days, hours, holidays) named by departments and platforms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class CalendarRow(Base):
    __tablename__ = "calendars"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64))
    workdays: Mapped[list[Any]]  # 0 = Monday … 6 = Sunday
    start: Mapped[str] = mapped_column(String(5))  # "HH:MM", local to the timezone
    end: Mapped[str] = mapped_column(String(5))
    holidays: Mapped[list[Any]]  # ISO dates
    updated_at: Mapped[datetime]
