"""The weekly on-call rotation of a platform: one operator per week, handing over on Mondays.

The week the rotation is set counts as the first person's week; handover is Monday 00:00 UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from domain.access import Actor, Permission, Role
from domain.errors import ValidationFailed
from domain.events import DomainEvent, Subject, home_refresh
from domain.org.services import get_platform

if TYPE_CHECKING:
    from domain.incidents.ports import IncidentsUnitOfWork

WEEK = timedelta(days=7)
MAX_MEMBERS = 52

MANAGE_ONCALL = Permission("incident.oncall", roles=(Role.ADMIN, Role.OPERATOR), scope="admin")


@dataclass
class Rotation:
    platform_id: int
    members: list[str]
    anchor: datetime  # a Monday 00:00 UTC: the start of members[0]'s first week
    updated_by: str
    updated_at: datetime

    def index_at(self, moment: datetime) -> int:
        weeks = (moment - self.anchor) // WEEK
        return int(weeks) % len(self.members)

    def on_call_at(self, moment: datetime) -> str | None:
        return self.members[self.index_at(moment)] if self.members else None

    def next_after(self, moment: datetime) -> tuple[str | None, datetime]:
        """Who takes over next, and when."""
        handover = self.week_start(moment) + WEEK
        return self.on_call_at(handover), handover

    def week_start(self, moment: datetime) -> datetime:
        weeks = (moment - self.anchor) // WEEK
        return self.anchor + WEEK * int(weeks)


def monday_of(moment: datetime) -> datetime:
    start = moment - timedelta(days=moment.weekday())
    return start.replace(hour=0, minute=0, second=0, microsecond=0)


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
    rotation = Rotation(platform.id, unique, monday_of(now), actor.id_for_audit, now)
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


async def on_call_now(uow: IncidentsUnitOfWork, platform_id: int) -> str | None:
    rotation = await uow.oncall.get_rotation(platform_id)
    return rotation.on_call_at(uow.now()) if rotation else None


async def who_is_on_call(uow: IncidentsUnitOfWork, platform_key: str) -> OnCall:
    platform = await get_platform(uow, platform_key)
    assert platform.id is not None
    rotation = await uow.oncall.get_rotation(platform.id)
    if rotation is None:
        return OnCall(platform.key, None, None, None)
    now = uow.now()
    upcoming, handover = rotation.next_after(now)
    return OnCall(platform.key, rotation.on_call_at(now), upcoming, handover)
