"""Who may do what: roles, grants scoped to a department or platform, and the acting party."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from domain.errors import PermissionDenied


class Role(StrEnum):
    ADMIN = "admin"
    APPROVER = "approver"
    MEMBER = "member"
    ENGINEER = "engineer"
    OPERATOR = "operator"
    MODERATOR = "moderator"
    AUDITOR = "auditor"


# Roles that make sense per department / per platform; the others are global only.
DEPARTMENT_ROLES = frozenset({Role.APPROVER, Role.MEMBER})
PLATFORM_ROLES = frozenset({Role.OPERATOR, Role.MODERATOR, Role.ENGINEER})


@dataclass(frozen=True)
class Grant:
    role: Role
    department_id: int | None = None
    platform_id: int | None = None

    def covers(self, role: Role, department_id: int | None, platform_id: int | None) -> bool:
        if self.role is not role:
            return False
        if None not in (self.department_id, department_id) and self.department_id != department_id:
            return False
        return None in (self.platform_id, platform_id) or self.platform_id == platform_id


@dataclass(frozen=True)
class Permission:
    """A capability: granted by any of `roles` (in scope), or to an integration by API `scope`."""

    name: str
    roles: tuple[Role, ...]
    scope: str | None = None


class ActorKind(StrEnum):
    USER = "user"
    INTEGRATION = "integration"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    user_id: str | None = None
    grants: frozenset[Grant] = field(default_factory=frozenset)
    scopes: frozenset[str] = field(default_factory=frozenset)
    label: str = ""
    api_key_id: int | None = None

    @classmethod
    def user(cls, user_id: str, grants: frozenset[Grant], via_api_key: int | None = None) -> Actor:
        return cls(ActorKind.USER, user_id=user_id, grants=grants, api_key_id=via_api_key)

    @classmethod
    def integration(cls, label: str, scopes: frozenset[str], api_key_id: int) -> Actor:
        return cls(ActorKind.INTEGRATION, scopes=scopes, label=label, api_key_id=api_key_id)

    @classmethod
    def system(cls, label: str = "scheduler") -> Actor:
        return cls(ActorKind.SYSTEM, label=label)

    @property
    def id_for_audit(self) -> str:
        if self.kind is ActorKind.USER and self.user_id:
            return self.user_id
        return f"{self.kind.value}:{self.label}"

    def has_role(
        self, role: Role, *, department_id: int | None = None, platform_id: int | None = None
    ) -> bool:
        return any(g.covers(role, department_id, platform_id) for g in self.grants)

    @property
    def is_admin(self) -> bool:
        return self.kind is ActorKind.SYSTEM or self.has_role(Role.ADMIN)

    def can(
        self,
        permission: Permission,
        *,
        department_id: int | None = None,
        platform_id: int | None = None,
    ) -> bool:
        if self.kind is ActorKind.SYSTEM:
            return True
        if self.kind is ActorKind.INTEGRATION:
            return permission.scope is not None and (
                permission.scope in self.scopes or "admin" in self.scopes
            )
        return any(
            self.has_role(role, department_id=department_id, platform_id=platform_id)
            for role in permission.roles
        )

    def require(
        self,
        permission: Permission,
        *,
        department_id: int | None = None,
        platform_id: int | None = None,
    ) -> None:
        if not self.can(permission, department_id=department_id, platform_id=platform_id):
            raise PermissionDenied(
                "errors.permission_denied",
                action=permission.name,
                roles=", ".join(role.value for role in permission.roles),
            )
