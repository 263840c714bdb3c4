"""Role grants and the people cache (SPEC §3). Every grant and revoke is audited."""

from __future__ import annotations

from dataclasses import dataclass

from domain.access import DEPARTMENT_ROLES, PLATFORM_ROLES, Actor, Grant, Permission, Role
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.events import DomainEvent, Subject, home_refresh
from domain.people.models import Person
from domain.ports import UnitOfWork

MANAGE_ROLES = Permission("role.manage", roles=(Role.ADMIN,), scope="admin")
VIEW_ROLES = Permission("role.view", roles=tuple(Role), scope="admin")


@dataclass(frozen=True)
class ScopeRef:
    """A department or platform named by key, as typed by a person or an API client."""

    key: str


def parse_role(role_name: str) -> Role:
    try:
        return Role(role_name.lower())
    except ValueError:
        raise ValidationFailed.single(
            "role", "errors.role.unknown", role=role_name, roles=", ".join(r.value for r in Role)
        ) from None


async def resolve_grant(uow: UnitOfWork, role_name: str, scope: str | None) -> Grant:
    role = parse_role(role_name)
    if scope is None:
        return Grant(role)
    if role in DEPARTMENT_ROLES:
        department = await uow.org.find_department(scope)
        if department is None:
            raise NotFound("errors.department.not_found", department=scope)
        return Grant(role, department_id=department.id)
    if role in PLATFORM_ROLES:
        platform = await uow.org.find_platform(scope)
        if platform is None:
            raise NotFound("errors.platform.not_found", platform=scope)
        return Grant(role, platform_id=platform.id)
    raise ValidationFailed.single("scope", "errors.role.not_scoped", role=role.value)


async def describe_grant(uow: UnitOfWork, grant: Grant) -> str:
    if grant.department_id is not None:
        department = await uow.org.get_department(grant.department_id)
        return f"{grant.role.value}:{department.key if department else grant.department_id}"
    if grant.platform_id is not None:
        platform = await uow.org.get_platform(grant.platform_id)
        return f"{grant.role.value}:{platform.key if platform else grant.platform_id}"
    return grant.role.value


async def grant_role(
    uow: UnitOfWork, actor: Actor, user_id: str, role_name: str, scope: str | None = None
) -> Grant:
    actor.require(MANAGE_ROLES)
    grant = await resolve_grant(uow, role_name, scope)
    described = await describe_grant(uow, grant)
    if not await uow.people.add_grant(user_id, grant):
        raise Conflict("errors.role.already_granted", user=user_id, grant=described)
    _record(uow, actor, "role.granted", user_id, described)
    return grant


async def revoke_role(
    uow: UnitOfWork, actor: Actor, user_id: str, role_name: str, scope: str | None = None
) -> Grant:
    actor.require(MANAGE_ROLES)
    grant = await resolve_grant(uow, role_name, scope)
    if grant.role is Role.ADMIN and actor.user_id == user_id:
        raise Conflict("errors.role.self_revoke_admin")
    described = await describe_grant(uow, grant)
    if not await uow.people.remove_grant(user_id, grant):
        raise NotFound("errors.role.not_granted", user=user_id, grant=described)
    _record(uow, actor, "role.revoked", user_id, described)
    return grant


def _record(uow: UnitOfWork, actor: Actor, event: str, user_id: str, described: str) -> None:
    """Audited (not a webhook), and the person's App Home shows their new roles."""
    uow.record(
        actor,
        DomainEvent(
            event,
            Subject("user", 0, user_id),
            {"user_id": user_id, "grant": described},
            webhook=False,
        ),
    )
    uow.notify(home_refresh(user_id))


async def list_grants(
    uow: UnitOfWork, actor: Actor, role_name: str | None = None
) -> list[tuple[str, str]]:
    """(user id, described grant) pairs, optionally for one role."""
    actor.require(VIEW_ROLES)
    role = parse_role(role_name) if role_name else None
    return [
        (user_id, await describe_grant(uow, grant))
        for user_id, grant in await uow.people.list_grants(role)
    ]


async def bootstrap_admins(uow: UnitOfWork, user_ids: list[str]) -> list[str]:
    """Grant admin to PLATOPS_ADMINS at start; idempotent; returns who was newly granted."""
    added = []
    for user_id in user_ids:
        if await uow.people.add_grant(user_id, Grant(Role.ADMIN)):
            added.append(user_id)
            uow.record(
                Actor.system("bootstrap"),
                DomainEvent(
                    "role.granted",
                    Subject("user", 0, user_id),
                    {"user_id": user_id, "grant": "admin"},
                    webhook=False,
                ),
            )
    return added


async def remember_person(uow: UnitOfWork, person: Person) -> None:
    """Refresh the cached Slack profile (name, timezone, locale) of someone who acted."""
    known = await uow.people.get(person.user_id)
    if known != person:
        await uow.people.save(person)
