"""What a submitter fills in, and the checks every door applies before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.access import Actor, Role
from domain.errors import FieldErrors
from domain.org.models import Department, Platform
from domain.ports import UnitOfWork
from domain.requirements.models import TEXT_MAX, TITLE_MAX, Priority


@dataclass(frozen=True)
class RequirementDraft:
    """Field names equal the modal's block ids and the API's JSON keys (errors name them)."""

    title: str
    department: str  # department key
    description: str
    justification: str
    priority: str
    wanted_by: date | None
    platform: str | None = None  # platform key; a requirement may be for a platform to build


@dataclass(frozen=True)
class CheckedDraft:
    title: str
    department: Department
    platform: Platform | None
    description: str
    justification: str
    priority: Priority
    wanted_by: date


def _text(errors: FieldErrors, name: str, value: str, limit: int) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        errors.add(name, "req.errors.required")
    elif len(cleaned) > limit:
        errors.add(name, "req.errors.too_long", max=limit, length=len(cleaned))
    return cleaned


async def check_draft(uow: UnitOfWork, actor: Actor, draft: RequirementDraft) -> CheckedDraft:
    """All problems at once, keyed by field; the submitter must be a member of the department."""
    errors = FieldErrors()
    title = _text(errors, "title", draft.title, TITLE_MAX)
    description = _text(errors, "description", draft.description, TEXT_MAX)
    justification = _text(errors, "justification", draft.justification, TEXT_MAX)
    try:
        priority = Priority((draft.priority or "").strip().lower())
    except ValueError:
        errors.add("priority", "req.errors.priority", choices=", ".join(p.value for p in Priority))
        priority = Priority.MEDIUM
    today = uow.now().date()
    if draft.wanted_by is None:
        errors.add("wanted_by", "req.errors.required")
    elif draft.wanted_by < today:
        errors.add("wanted_by", "req.errors.date_past", date=draft.wanted_by.isoformat())
    department = await uow.org.find_department((draft.department or "").strip().lower())
    if department is None:
        errors.add("department", "req.errors.department_unknown", department=draft.department)
    elif not actor.has_role(Role.MEMBER, department_id=department.id):
        errors.add("department", "req.errors.not_member", department=department.name)
    platform = None
    if draft.platform:
        platform = await uow.org.find_platform(draft.platform.strip().lower())
        if platform is None:
            errors.add("platform", "req.errors.platform_unknown", platform=draft.platform)
    errors.raise_if_any()
    assert department is not None and draft.wanted_by is not None
    return CheckedDraft(
        title, department, platform, description, justification, priority, draft.wanted_by
    )
