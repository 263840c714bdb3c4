"""Departments and platforms: added by admins, from Slack, the API or the config file."""

from __future__ import annotations

from typing import Any

from domain.access import Actor, Permission, Role
from domain.errors import Conflict, FieldErrors, NotFound
from domain.events import DomainEvent, Subject
from domain.org.models import Department, Platform, check_slug
from domain.ports import UnitOfWork

MANAGE_ORG = Permission("org.manage", roles=(Role.ADMIN,), scope="admin")


async def add_department(
    uow: UnitOfWork,
    actor: Actor,
    key: str,
    name: str | None = None,
    channel_id: str | None = None,
    approval_quorum: int = 1,
) -> Department:
    actor.require(MANAGE_ORG)
    slug = check_slug("key", key)
    errors = FieldErrors()
    if approval_quorum < 1 or approval_quorum > 20:
        errors.add("approval_quorum", "errors.department.quorum", quorum=approval_quorum)
    errors.raise_if_any()
    if await uow.org.find_department(slug) is not None:
        raise Conflict("errors.department.exists", department=slug)
    department = await uow.org.add_department(
        Department(None, slug, (name or key).strip(), channel_id, approval_quorum)
    )
    _record(
        uow,
        actor,
        "added",
        department,
        {"name": department.name, "channel_id": channel_id, "approval_quorum": approval_quorum},
    )
    return department


async def configure_department(
    uow: UnitOfWork,
    actor: Actor,
    key: str,
    *,
    name: str | None = None,
    channel_id: str | None = None,
    approval_quorum: int | None = None,
    remind_after_hours: int | None = None,
    escalate_after_hours: int | None = None,
    calendar: str | None = None,
) -> Department:
    actor.require(MANAGE_ORG)
    department = await get_department(uow, key)
    errors = FieldErrors()
    if approval_quorum is not None and not 1 <= approval_quorum <= 20:
        errors.add("approval_quorum", "errors.department.quorum", quorum=approval_quorum)
    if remind_after_hours is not None and remind_after_hours < 1:
        errors.add("remind_after_hours", "errors.positive_hours")
    if escalate_after_hours is not None and escalate_after_hours < 1:
        errors.add("escalate_after_hours", "errors.positive_hours")
    errors.raise_if_any()
    change = _apply(
        department,
        name=name,
        channel_id=channel_id,
        approval_quorum=approval_quorum,
        remind_after_hours=remind_after_hours,
        escalate_after_hours=escalate_after_hours,
        calendar=calendar,
    )
    if change is not None:
        await uow.org.save_department(department)
        _record(uow, actor, "changed", department, change)
    return department


async def get_department(uow: UnitOfWork, key: str) -> Department:
    department = await uow.org.find_department(key.strip().lower())
    if department is None:
        raise NotFound("errors.department.not_found", department=key)
    return department


async def add_platform(
    uow: UnitOfWork,
    actor: Actor,
    key: str,
    name: str | None = None,
    ops_channel_id: str | None = None,
    moderation_channel_id: str | None = None,
) -> Platform:
    actor.require(MANAGE_ORG)
    slug = check_slug("key", key)
    if await uow.org.find_platform(slug) is not None:
        raise Conflict("errors.platform.exists", platform=slug)
    platform = await uow.org.add_platform(
        Platform(None, slug, (name or key).strip(), ops_channel_id, moderation_channel_id)
    )
    _record(
        uow,
        actor,
        "added",
        platform,
        {
            "name": platform.name,
            "ops_channel_id": ops_channel_id,
            "moderation_channel_id": moderation_channel_id,
        },
    )
    return platform


async def configure_platform(
    uow: UnitOfWork,
    actor: Actor,
    key: str,
    *,
    name: str | None = None,
    ops_channel_id: str | None = None,
    moderation_channel_id: str | None = None,
    calendar: str | None = None,
) -> Platform:
    actor.require(MANAGE_ORG)
    platform = await get_platform(uow, key)
    change = _apply(
        platform,
        name=name,
        ops_channel_id=ops_channel_id,
        moderation_channel_id=moderation_channel_id,
        calendar=calendar,
    )
    if change is not None:
        await uow.org.save_platform(platform)
        _record(uow, actor, "changed", platform, change)
    return platform


async def get_platform(uow: UnitOfWork, key: str) -> Platform:
    platform = await uow.org.find_platform(key.strip().lower())
    if platform is None:
        raise NotFound("errors.platform.not_found", platform=key)
    return platform


def _apply(entity: Department | Platform, **values: object) -> dict[str, Any] | None:
    """Sets the fields given a value (None or empty keeps the current one); the change as
    {"before": …, "after": …} over those fields, or None when nothing changed."""
    before = {name: getattr(entity, name) for name in values}
    for name, value in values.items():
        if value:
            setattr(entity, name, value)
    after = {name: getattr(entity, name) for name in values}
    return None if after == before else {"before": before, "after": after}


def _record(
    uow: UnitOfWork,
    actor: Actor,
    what: str,
    entity: Department | Platform,
    data: dict[str, Any],
) -> None:
    """The audit event (and webhook) `department.added`, `platform.changed`, …"""
    kind = "department" if isinstance(entity, Department) else "platform"
    assert entity.id is not None
    uow.record(actor, DomainEvent(f"{kind}.{what}", Subject(kind, entity.id, entity.key), data))
