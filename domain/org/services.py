"""Departments and platforms: added by admins, from Slack, the API or the config file."""

from __future__ import annotations

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
    assert department.id is not None
    uow.record(
        actor,
        DomainEvent(
            "department.added",
            Subject("department", department.id, slug),
            {"name": department.name, "channel_id": channel_id, "approval_quorum": approval_quorum},
        ),
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
    before = {
        "name": department.name,
        "channel_id": department.channel_id,
        "approval_quorum": department.approval_quorum,
        "remind_after_hours": department.remind_after_hours,
        "escalate_after_hours": department.escalate_after_hours,
        "calendar": department.calendar,
    }
    errors = FieldErrors()
    if approval_quorum is not None and not 1 <= approval_quorum <= 20:
        errors.add("approval_quorum", "errors.department.quorum", quorum=approval_quorum)
    if remind_after_hours is not None and remind_after_hours < 1:
        errors.add("remind_after_hours", "errors.positive_hours")
    if escalate_after_hours is not None and escalate_after_hours < 1:
        errors.add("escalate_after_hours", "errors.positive_hours")
    errors.raise_if_any()
    department.name = name or department.name
    department.channel_id = channel_id or department.channel_id
    department.approval_quorum = approval_quorum or department.approval_quorum
    department.remind_after_hours = remind_after_hours or department.remind_after_hours
    department.escalate_after_hours = escalate_after_hours or department.escalate_after_hours
    department.calendar = calendar or department.calendar
    after = {
        "name": department.name,
        "channel_id": department.channel_id,
        "approval_quorum": department.approval_quorum,
        "remind_after_hours": department.remind_after_hours,
        "escalate_after_hours": department.escalate_after_hours,
        "calendar": department.calendar,
    }
    if after != before:
        await uow.org.save_department(department)
        assert department.id is not None
        uow.record(
            actor,
            DomainEvent(
                "department.changed",
                Subject("department", department.id, department.key),
                {"before": dict(before), "after": dict(after)},
            ),
        )
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
    assert platform.id is not None
    uow.record(
        actor,
        DomainEvent(
            "platform.added",
            Subject("platform", platform.id, slug),
            {
                "name": platform.name,
                "ops_channel_id": ops_channel_id,
                "moderation_channel_id": moderation_channel_id,
            },
        ),
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
    before = (
        platform.name,
        platform.ops_channel_id,
        platform.moderation_channel_id,
        platform.calendar,
    )
    platform.name = name or platform.name
    platform.ops_channel_id = ops_channel_id or platform.ops_channel_id
    platform.moderation_channel_id = moderation_channel_id or platform.moderation_channel_id
    platform.calendar = calendar or platform.calendar
    after = (
        platform.name,
        platform.ops_channel_id,
        platform.moderation_channel_id,
        platform.calendar,
    )
    if after != before:
        await uow.org.save_platform(platform)
        assert platform.id is not None
        uow.record(
            actor,
            DomainEvent(
                "platform.changed",
                Subject("platform", platform.id, platform.key),
                {"before": list(before), "after": list(after)},
            ),
        )
    return platform


async def get_platform(uow: UnitOfWork, key: str) -> Platform:
    platform = await uow.org.find_platform(key.strip().lower())
    if platform is None:
        raise NotFound("errors.platform.not_found", platform=key)
    return platform
