"""The weekly on-call rotation of a platform: one operator per week, handing over on Mondays.

The week the rotation is set counts as the first person's week. Handover is Monday 00:00 in the
timezone of the platform's business-hours calendar, or UTC when it follows none; weeks are counted
on the local calendar, so a DST change never moves the handover off midnight.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from domain.access import Actor, Permission, Role
from domain.errors import ValidationFailed
from domain.events import DomainEvent, Subject, home_refresh
from domain.incidents.queries import calendar_of
from domain.org.services import get_platform

if TYPE_CHECKING:
    from domain.incidents.ports import IncidentsUnitOfWork

WEEK = timedelta(days=7)
MAX_MEMBERS = 52
# The anchor is a Monday 00:00 in the timezone in force when the rotation was set; seen from any
# other timezone it lies within about a day of that Monday, so two days later is surely its week.
_ANCHOR_WEEK = timedelta(days=2)

MANAGE_ONCALL = Permission("incident.oncall", roles=(Role.ADMIN, Role.OPERATOR), scope="admin")


@dataclass
class Rotation:
    platform_id: int
    members: list[str]
    anchor: datetime  # a Monday 00:00 (local): the start of members[0]'s first week
    updated_by: str
    updated_at: datetime
    timezone: str = "UTC"  # where weeks start; the platform calendar's, filled in by rotation_of

    def index_at(self, moment: datetime) -> int:
        first_week = _monday(self.anchor + _ANCHOR_WEEK, self.timezone)
        weeks = (_monday(moment, self.timezone) - first_week).days // 7
        return weeks % len(self.members)

    def on_call_at(self, moment: datetime) -> str | None:
        return self.members[self.index_at(moment)] if self.members else None

    def next_after(self, moment: datetime) -> tuple[str | None, datetime]:
        """Who takes over next, and when."""
        handover = _midnight(_monday(moment, self.timezone) + WEEK, self.timezone)
        return self.on_call_at(handover), handover

    def week_start(self, moment: datetime) -> datetime:
        return monday_of(moment, self.timezone)


def monday_of(moment: datetime, timezone: str = "UTC") -> datetime:
    """Monday 00:00 (in `timezone`) of the week `moment` falls in, as a UTC instant."""
    return _midnight(_monday(moment, timezone), timezone)


def _monday(moment: datetime, timezone: str) -> date:
    day = moment.astimezone(ZoneInfo(timezone)).date()
    return day - timedelta(days=day.weekday())


def _midnight(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


@dataclass(frozen=True)
class OnCall:
    platform_key: str
    now: str | None
    next: str | None
    handover_at: datetime | None


async def set_rotation(
    uow: IncidentsUnitOfWork, actor: Actor, platform_key: str, members: list[str]
) -> Rotation:
    platform = await get_platform(uow, platform_key)
    assert platform.id is not None
    actor.require(MANAGE_ONCALL, platform_id=platform.id)
    unique = list(dict.fromkeys(members))
    if not unique or len(unique) > MAX_MEMBERS:
        raise ValidationFailed.single("members", "inc.errors.oncall_members", max=MAX_MEMBERS)
    previous = await uow.oncall.get_rotation(platform.id)
    now = uow.now()
    timezone = await _timezone_of(uow, platform.id)
    anchor = monday_of(now, timezone)
    rotation = Rotation(platform.id, unique, anchor, actor.id_for_audit, now, timezone)
    await uow.oncall.save_rotation(rotation)
    uow.record(
        actor,
        DomainEvent(
            "incident.oncall_set",
            Subject("platform", platform.id, platform.key),
            {
                "platform": platform.key,
                "members": list(unique),
                "before": list(previous.members) if previous else [],
            },
            webhook=False,
        ),
    )
    for user_id in {*unique, *(previous.members if previous else [])}:
        uow.notify(home_refresh(user_id))
    return rotation


async def rotation_of(uow: IncidentsUnitOfWork, platform_id: int) -> Rotation | None:
    """The platform's rotation, counting weeks in its calendar's timezone."""
    rotation = await uow.oncall.get_rotation(platform_id)
    if rotation is None:
        return None
    return replace(rotation, timezone=await _timezone_of(uow, platform_id))


async def _timezone_of(uow: IncidentsUnitOfWork, platform_id: int) -> str:
    platform = await uow.org.get_platform(platform_id)
    calendar = await calendar_of(uow, platform) if platform is not None else None
    return calendar.timezone if calendar is not None else "UTC"


async def on_call_now(uow: IncidentsUnitOfWork, platform_id: int) -> str | None:
    rotation = await rotation_of(uow, platform_id)
    return rotation.on_call_at(uow.now()) if rotation else None


async def platforms_on_call(uow: IncidentsUnitOfWork, user_id: str) -> list[int]:
    """The platforms whose rotation has `user_id` on call right now."""
    on_call = []
    for rotation in await uow.oncall.rotations_with(user_id):
        local = replace(rotation, timezone=await _timezone_of(uow, rotation.platform_id))
        if local.on_call_at(uow.now()) == user_id:
            on_call.append(rotation.platform_id)
    return on_call


async def who_is_on_call(uow: IncidentsUnitOfWork, platform_key: str) -> OnCall:
    platform = await get_platform(uow, platform_key)
    assert platform.id is not None
    rotation = await rotation_of(uow, platform.id)
    if rotation is None:
        return OnCall(platform.key, None, None, None)
    now = uow.now()
    upcoming, handover = rotation.next_after(now)
    return OnCall(platform.key, rotation.on_call_at(now), upcoming, handover)
