"""The sections of the configuration file: calendars, departments, platforms, role grants.

Each section validates its items (pydantic), compares them with the database (plan) and applies
a change through the domain use cases. Only fields written in the file are managed: a department
whose quorum is not in the file keeps the quorum set in Slack.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from datetime import date, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.config_file import Change, ConfigError, ConfigSection, PlanContext
from domain.access import DEPARTMENT_ROLES, PLATFORM_ROLES, Actor, Role
from domain.deadlines import calendar_services
from domain.deadlines.calendar import BusinessCalendar
from domain.org import services as org
from domain.org.models import SLUG
from domain.people import services as people

Slug = Annotated[str, Field(pattern=SLUG.pattern)]
ChannelId = Annotated[str, Field(pattern=r"^[CG][A-Z0-9]{2,}$")]
UserId = Annotated[str, Field(pattern=r"^[UW][A-Z0-9]{2,}$")]
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- calendars ---------------------------------------------------------------------------------
class CalendarItem(Item):
    name: Slug
    timezone: str = "UTC"
    workdays: list[str] = Field(default_factory=lambda: list(WEEKDAYS[:5]))
    start: str = "09:00"
    end: str = "17:00"
    holidays: list[date] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown timezone {value!r} (use a name like Europe/Berlin)"
            ) from None
        return value

    @field_validator("workdays")
    @classmethod
    def _workdays(cls, value: list[str]) -> list[str]:
        days = [day.lower()[:3] for day in value]
        unknown = [day for day in value if day.lower()[:3] not in WEEKDAYS]
        if unknown or not days:
            raise ValueError(f"name working days as {', '.join(WEEKDAYS)} (got {unknown or value})")
        return days

    @field_validator("start", "end")
    @classmethod
    def _time(cls, value: str) -> str:
        if not HHMM.match(value):
            raise ValueError(f"{value!r} is not a time of day; write HH:MM like 09:00")
        return value

    @model_validator(mode="after")
    def _order(self) -> CalendarItem:
        if self.start >= self.end:
            raise ValueError(f"working hours must start before they end ({self.start}–{self.end})")
        return self

    def calendar(self) -> BusinessCalendar:
        return BusinessCalendar(
            timezone=self.timezone,
            workdays=frozenset(WEEKDAYS.index(day) for day in self.workdays),
            start=time.fromisoformat(self.start),
            end=time.fromisoformat(self.end),
            holidays=frozenset(self.holidays),
            name=self.name,
        )


class CalendarsSection:
    name, noun, item_model = "calendars", "calendar", CalendarItem

    async def plan(self, uow: Any, items: list[CalendarItem], context: PlanContext) -> list[Change]:
        _no_duplicates(self.name, [item.name for item in items])
        changes = []
        for item in items:
            existing = await uow.calendars.get(item.name)
            wanted = item.calendar()
            before = calendar_services.describe_calendar(existing) if existing else None
            changes.append(_compare(self.noun, item.name, item, before, _calendar_fields(wanted)))
        if context.prune:
            listed = {item.name for item in items}
            for calendar in await uow.calendars.list():
                if calendar.name not in listed:
                    changes.append(Change(self.noun, calendar.name, "remove", item=calendar.name))
        return changes

    async def apply(self, uow: Any, actor: Actor, change: Change) -> None:
        if change.action == "remove":
            await calendar_services.remove_calendar(uow, actor, change.item)
        else:
            await calendar_services.define_calendar(uow, actor, change.item.calendar())


def _calendar_fields(calendar: BusinessCalendar) -> dict[str, Any]:
    return dict(calendar_services.describe_calendar(calendar))


# -- departments and platforms -----------------------------------------------------------------
class DepartmentItem(Item):
    key: Slug
    name: str = Field(min_length=1, max_length=120)
    channel: ChannelId | None = None
    approval_quorum: int = Field(default=1, ge=1, le=20)
    remind_after_hours: int = Field(default=24, ge=1)
    escalate_after_hours: int = Field(default=72, ge=1)
    calendar: Slug | None = None


class PlatformItem(Item):
    key: Slug
    name: str = Field(min_length=1, max_length=120)
    ops_channel: ChannelId | None = None
    moderation_channel: ChannelId | None = None
    calendar: Slug | None = None


DEPARTMENT_FIELDS = {  # file field → Department attribute (and configure_department argument)
    "name": "name",
    "channel": "channel_id",
    "approval_quorum": "approval_quorum",
    "remind_after_hours": "remind_after_hours",
    "escalate_after_hours": "escalate_after_hours",
    "calendar": "calendar",
}
PLATFORM_FIELDS = {
    "name": "name",
    "ops_channel": "ops_channel_id",
    "moderation_channel": "moderation_channel_id",
    "calendar": "calendar",
}


class _OrgSection(ABC):
    """Departments and platforms alike: one item per key, added when new, then configured with
    the fields written in the file. They are never deleted: with `prune` the ones the file does
    not list are reported as kept."""

    name: str
    noun: str
    fields: dict[str, str]  # file field → entity attribute (and configure_* argument)

    @abstractmethod
    async def find(self, uow: Any, key: str) -> Any: ...
    @abstractmethod
    async def keys(self, uow: Any) -> list[str]: ...
    @abstractmethod
    async def add(self, uow: Any, actor: Actor, item: Any) -> None: ...
    @abstractmethod
    async def configure(self, uow: Any, actor: Actor, key: str, **settings: Any) -> None: ...

    async def plan(self, uow: Any, items: list[Any], context: PlanContext) -> list[Change]:
        _no_duplicates(self.name, [item.key for item in items])
        await _check_calendars(uow, self.name, items, context)
        changes = []
        for item in items:
            existing = await self.find(uow, item.key)
            changes.append(_compare_entity(self.noun, item, existing, self.fields))
        listed = {item.key for item in items}
        if context.prune:
            for key in await self.keys(uow):
                if key not in listed:
                    changes.append(Change(self.noun, key, "kept"))
        return changes

    async def apply(self, uow: Any, actor: Actor, change: Change) -> None:
        if change.action == "create":
            await self.add(uow, actor, change.item)
        settings = _settings(change.item, self.fields, everything=change.action == "create")
        await self.configure(uow, actor, change.item.key, **settings)


class DepartmentsSection(_OrgSection):
    name, noun, item_model, fields = "departments", "department", DepartmentItem, DEPARTMENT_FIELDS

    async def find(self, uow: Any, key: str) -> Any:
        return await uow.org.find_department(key)

    async def keys(self, uow: Any) -> list[str]:
        return [department.key for department in await uow.org.list_departments()]

    async def add(self, uow: Any, actor: Actor, item: DepartmentItem) -> None:
        await org.add_department(
            uow, actor, item.key, item.name, item.channel, item.approval_quorum
        )

    async def configure(self, uow: Any, actor: Actor, key: str, **settings: Any) -> None:
        await org.configure_department(uow, actor, key, **settings)


class PlatformsSection(_OrgSection):
    name, noun, item_model, fields = "platforms", "platform", PlatformItem, PLATFORM_FIELDS

    async def find(self, uow: Any, key: str) -> Any:
        return await uow.org.find_platform(key)

    async def keys(self, uow: Any) -> list[str]:
        return [platform.key for platform in await uow.org.list_platforms()]

    async def add(self, uow: Any, actor: Actor, item: PlatformItem) -> None:
        await org.add_platform(
            uow, actor, item.key, item.name, item.ops_channel, item.moderation_channel
        )

    async def configure(self, uow: Any, actor: Actor, key: str, **settings: Any) -> None:
        await org.configure_platform(uow, actor, key, **settings)


# -- role grants -------------------------------------------------------------------------------
class GrantItem(Item):
    user: UserId
    role: Role
    scope: Slug | None = None

    @property
    def described(self) -> str:
        return f"{self.role.value}:{self.scope}" if self.scope else self.role.value


class GrantsSection:
    name, noun, item_model = "grants", "grant", GrantItem

    async def plan(self, uow: Any, items: list[GrantItem], context: PlanContext) -> list[Change]:
        _no_duplicates(self.name, [f"{item.user} {item.described}" for item in items])
        await _check_scopes(uow, items, context)
        held = {
            f"{user_id} {await people.describe_grant(uow, grant)}"
            for user_id, grant in await uow.people.list_grants()
        }
        changes = []
        for item in items:
            key = f"{item.user} {item.described}"
            changes.append(
                Change(self.noun, key, "unchanged" if key in held else "create", item=item)
            )
        if context.prune:
            wanted = {f"{item.user} {item.described}" for item in items}
            protected = {f"{user} admin" for user in context.protected_admins}
            for key in sorted(held - wanted - protected):
                changes.append(Change(self.noun, key, "remove", item=key))
        return changes

    async def apply(self, uow: Any, actor: Actor, change: Change) -> None:
        if change.action == "remove":
            user_id, _, described = change.item.partition(" ")
            role, _, scope = described.partition(":")
            await people.revoke_role(uow, actor, user_id, role, scope or None)
            return
        item: GrantItem = change.item
        await people.grant_role(uow, actor, item.user, item.role.value, item.scope)


# -- shared checks -----------------------------------------------------------------------------
def _no_duplicates(section: str, keys: list[str]) -> None:
    seen: set[str] = set()
    for index, key in enumerate(keys):
        if key in seen:
            raise ConfigError(f"{section}[{index}] ({key}): listed twice")
        seen.add(key)


async def _check_calendars(uow: Any, section: str, items: list[Any], context: PlanContext) -> None:
    in_file = {calendar.name for calendar in context.document.calendars}
    for index, item in enumerate(items):
        if not item.calendar or item.calendar in in_file:
            continue
        if await uow.calendars.get(item.calendar) is None:
            raise ConfigError(
                f"{section}[{index}] ({item.key}).calendar: no calendar {item.calendar!r}"
                " in the file or the database"
            )


async def _check_scopes(uow: Any, items: list[GrantItem], context: PlanContext) -> None:
    departments = {d.key for d in context.document.departments}
    platforms = {p.key for p in context.document.platforms}
    for index, item in enumerate(items):
        if item.scope is None:
            continue
        where = f"grants[{index}] ({item.user}).scope"
        if item.role in DEPARTMENT_ROLES:
            known = item.scope in departments or await uow.org.find_department(item.scope)
            kind = "department"
        elif item.role in PLATFORM_ROLES:
            known = item.scope in platforms or await uow.org.find_platform(item.scope)
            kind = "platform"
        else:
            raise ConfigError(f"{where}: the {item.role.value} role is global; remove the scope")
        if not known:
            raise ConfigError(f"{where}: no {kind} {item.scope!r} in the file or the database")


def _settings(item: Item, fields: dict[str, str], *, everything: bool) -> dict[str, Any]:
    """Keyword arguments for configure_*: the fields written in the file (all when creating)."""
    return {
        attribute: getattr(item, name)
        for name, attribute in fields.items()
        if everything or name in item.model_fields_set
    }


def _compare_entity(noun: str, item: Item, existing: Any, fields: dict[str, str]) -> Change:
    key = item.key  # type: ignore[attr-defined]
    managed = {name: getattr(item, name) for name in fields if name in item.model_fields_set}
    if existing is None:
        return Change(noun, key, "create", item=item)
    before = {name: getattr(existing, attribute) for name, attribute in fields.items()}
    return _compare(noun, key, item, {n: before[n] for n in managed}, managed)


def _compare(
    noun: str, key: str, item: Any, before: dict[str, Any] | None, after: dict[str, Any]
) -> Change:
    if before is None:
        return Change(noun, key, "create", item=item)
    details = tuple(
        f"{name}: {before.get(name)!r} → {value!r}"
        for name, value in after.items()
        if before.get(name) != value
    )
    return Change(noun, key, "update" if details else "unchanged", details, item=item)


def _area_sections() -> list[ConfigSection]:
    # Imported late: area sections build on this module's item types (Item, Slug, …).
    from bot.config_incidents import IncidentPoliciesSection
    from bot.config_inspections import InspectionPlansSection
    from bot.config_moderation import ModerationSection

    return [InspectionPlansSection(), IncidentPoliciesSection(), ModerationSection()]


SECTIONS: list[ConfigSection] = [
    CalendarsSection(),
    DepartmentsSection(),
    PlatformsSection(),
    GrantsSection(),
    # Areas add their section here (inspection plans, the rule catalogue, …).
    *_area_sections(),
]
