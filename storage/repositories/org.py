"""People, role grants, departments and platforms."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.access import Grant, Role
from domain.org.models import Department, Platform
from domain.people.models import Person
from storage.models.core import DepartmentRow, PersonRow, PlatformRow, RoleGrantRow


def _grant(row: RoleGrantRow) -> Grant:
    return Grant(Role(row.role), row.department_id, row.platform_id)


class SqlPeople:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: str) -> Person | None:
        row = await self.session.get(PersonRow, user_id)
        return _person(row) if row else None

    async def find_by_email(self, email: str) -> Person | None:
        row = await self.session.scalar(
            select(PersonRow).where(func.lower(PersonRow.email) == email.lower())
        )
        return _person(row) if row else None

    async def save(self, person: Person) -> None:
        row = await self.session.get(PersonRow, person.user_id)
        if row is None:
            row = PersonRow(user_id=person.user_id)
            self.session.add(row)
        row.name, row.real_name = person.name, person.real_name
        row.timezone, row.locale, row.email = person.timezone, person.locale, person.email
        row.updated_at = datetime.now(UTC)

    async def grants_of(self, user_id: str) -> frozenset[Grant]:
        rows = await self.session.scalars(
            select(RoleGrantRow).where(RoleGrantRow.user_id == user_id)
        )
        return frozenset(_grant(row) for row in rows)

    def _match(self, user_id: str, grant: Grant):  # type: ignore[no-untyped-def]
        return select(RoleGrantRow).where(
            RoleGrantRow.user_id == user_id,
            RoleGrantRow.role == grant.role.value,
            RoleGrantRow.department_id.is_(None)
            if grant.department_id is None
            else RoleGrantRow.department_id == grant.department_id,
            RoleGrantRow.platform_id.is_(None)
            if grant.platform_id is None
            else RoleGrantRow.platform_id == grant.platform_id,
        )

    async def add_grant(self, user_id: str, grant: Grant) -> bool:
        if await self.session.scalar(self._match(user_id, grant)) is not None:
            return False
        self.session.add(
            RoleGrantRow(
                user_id=user_id,
                role=grant.role.value,
                department_id=grant.department_id,
                platform_id=grant.platform_id,
                granted_at=datetime.now(UTC),
            )
        )
        await self.session.flush()
        return True

    async def remove_grant(self, user_id: str, grant: Grant) -> bool:
        row = await self.session.scalar(self._match(user_id, grant))
        if row is None:
            return False
        await self.session.execute(delete(RoleGrantRow).where(RoleGrantRow.id == row.id))
        return True

    async def list_grants(
        self,
        role: Role | None = None,
        *,
        department_id: int | None = None,
        platform_id: int | None = None,
    ) -> list[tuple[str, Grant]]:
        query = select(RoleGrantRow).order_by(RoleGrantRow.role, RoleGrantRow.user_id)
        if role is not None:
            query = query.where(RoleGrantRow.role == role.value)
        if department_id is not None:
            query = query.where(RoleGrantRow.department_id == department_id)
        if platform_id is not None:
            query = query.where(RoleGrantRow.platform_id == platform_id)
        return [(row.user_id, _grant(row)) for row in await self.session.scalars(query)]

    async def holders_of(
        self,
        role: Role,
        *,
        department_id: int | None = None,
        platform_id: int | None = None,
        exact_scope: bool = False,
    ) -> list[str]:
        """Users holding `role` for the scope: scoped grants, plus global ones unless exact."""
        query = select(RoleGrantRow.user_id).where(RoleGrantRow.role == role.value).distinct()
        if department_id is not None:
            cond = RoleGrantRow.department_id == department_id
            query = query.where(
                cond if exact_scope else cond | RoleGrantRow.department_id.is_(None)
            )
        if platform_id is not None:
            cond = RoleGrantRow.platform_id == platform_id
            query = query.where(cond if exact_scope else cond | RoleGrantRow.platform_id.is_(None))
        return sorted(await self.session.scalars(query))


def _person(row: PersonRow) -> Person:
    return Person(row.user_id, row.name, row.real_name, row.timezone, row.locale, row.email)


def _department(row: DepartmentRow) -> Department:
    return Department(
        row.id,
        row.key,
        row.name,
        row.channel_id,
        row.approval_quorum,
        row.remind_after_hours,
        row.escalate_after_hours,
        row.calendar,
    )


def _platform(row: PlatformRow) -> Platform:
    return Platform(
        row.id, row.key, row.name, row.ops_channel_id, row.moderation_channel_id, row.calendar
    )


class SqlOrg:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_department(self, department: Department) -> Department:
        row = DepartmentRow()
        self._fill_department(row, department)
        self.session.add(row)
        await self.session.flush()
        return _department(row)

    @staticmethod
    def _fill_department(row: DepartmentRow, d: Department) -> None:
        row.key, row.name, row.channel_id = d.key, d.name, d.channel_id
        row.approval_quorum, row.calendar = d.approval_quorum, d.calendar
        row.remind_after_hours, row.escalate_after_hours = (
            d.remind_after_hours,
            d.escalate_after_hours,
        )

    async def save_department(self, department: Department) -> None:
        row = await self.session.get(DepartmentRow, department.id)
        assert row is not None
        self._fill_department(row, department)

    async def get_department(self, department_id: int) -> Department | None:
        row = await self.session.get(DepartmentRow, department_id)
        return _department(row) if row else None

    async def find_department(self, key: str) -> Department | None:
        row = await self.session.scalar(select(DepartmentRow).where(DepartmentRow.key == key))
        return _department(row) if row else None

    async def list_departments(self) -> list[Department]:
        rows = await self.session.scalars(select(DepartmentRow).order_by(DepartmentRow.key))
        return [_department(row) for row in rows]

    async def add_platform(self, platform: Platform) -> Platform:
        row = PlatformRow()
        self._fill_platform(row, platform)
        self.session.add(row)
        await self.session.flush()
        return _platform(row)

    @staticmethod
    def _fill_platform(row: PlatformRow, p: Platform) -> None:
        row.key, row.name, row.calendar = p.key, p.name, p.calendar
        row.ops_channel_id, row.moderation_channel_id = p.ops_channel_id, p.moderation_channel_id

    async def save_platform(self, platform: Platform) -> None:
        row = await self.session.get(PlatformRow, platform.id)
        assert row is not None
        self._fill_platform(row, platform)

    async def get_platform(self, platform_id: int) -> Platform | None:
        row = await self.session.get(PlatformRow, platform_id)
        return _platform(row) if row else None

    async def find_platform(self, key: str) -> Platform | None:
        row = await self.session.scalar(select(PlatformRow).where(PlatformRow.key == key))
        return _platform(row) if row else None

    async def list_platforms(self) -> list[Platform]:
        rows = await self.session.scalars(select(PlatformRow).order_by(PlatformRow.key))
        return [_platform(row) for row in rows]
