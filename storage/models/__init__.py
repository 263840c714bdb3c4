"""All tables. Every area's module is imported here so Alembic and tests see the full schema."""

from storage.models import calendars, core, incidents, inspections, moderation, requirements
from storage.models.base import Base

__all__ = ["Base", "calendars", "core", "incidents", "inspections", "moderation", "requirements"]
