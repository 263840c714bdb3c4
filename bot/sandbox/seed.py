"""The sandbox's demo organisation, so every flow works on a fresh machine (SPEC §9).

Two halves that must agree: the fake Slack workspace (people with timezones and languages,
channels) is registered at every start because the fake lives in memory; the organisation in the
database (departments, platforms, role grants, an inspection plan) is created once, when the
database has no department yet, through the same use cases as any other door — the declarative
config machinery as the system actor, then the inspection plan and on-call rotation services.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.bootstrap import Container
from bot.config_file import apply_config, parse_config
from bot.sandbox.fake_slack import FakeSlack
from domain.access import Actor
from domain.incidents.oncall import set_rotation
from domain.inspections.services import PlanDraft, create_plan

log = logging.getLogger("platops.sandbox")
SEED_ACTOR = Actor.system("sandbox")


@dataclass(frozen=True)
class CastMember:
    user_id: str
    name: str
    real_name: str
    tz: str
    locale: str = "en-US"


# The same ids as the end-to-end tests' cast, so a flow tried here reads like its test.
CAST = (
    CastMember("UALICE", "alice", "Alice Admin", "Europe/Berlin"),
    CastMember("UBOB", "bob", "Bob Marketing", "Europe/Berlin"),
    CastMember("UZHANG", "zhang", "张伟 Zhang Wei", "Asia/Shanghai", "zh-CN"),
    CastMember("UFRANK", "frank", "Frank Finance", "Europe/London"),
    CastMember("UCAROL", "carol", "Carol Approver", "Europe/Berlin"),
    CastMember("UDAVE", "dave", "Dave Approver", "America/New_York"),
    CastMember("UFIONA", "fiona", "Fiona Approver", "Europe/London"),
    CastMember("UERIN", "erin", "Erin Engineer", "Europe/Berlin"),
    CastMember("UOSCAR", "oscar", "Oscar Operator", "Europe/Berlin"),
    CastMember("UOLIVIA", "olivia", "Olivia Operator", "Asia/Shanghai", "zh-CN"),
    CastMember("UMONA", "mona", "Mona Moderator", "Europe/Berlin"),
    CastMember("UMIKE", "mike", "Mike Moderator", "America/New_York"),
    CastMember("UAUDREY", "audrey", "Audrey Auditor", "Europe/Berlin"),
    CastMember("UNINA", "nina", "Nina Newcomer", "UTC"),
)
CHANNELS = {
    "CGENERAL": "general",
    "CMARKETING": "marketing",
    "CFINANCE": "finance",
    "CWEBOPS": "web-ops",
    "CAPPOPS": "app-ops",
    "CMODLOG": "moderation-log",
    "CREPORTS": "ops-reports",
}
ORGANISATION: dict[str, Any] = {
    "departments": [
        {"key": "marketing", "name": "Marketing", "channel": "CMARKETING"},
        {"key": "finance", "name": "Finance", "channel": "CFINANCE"},
    ],
    "platforms": [
        {
            "key": "web",
            "name": "Web shop",
            "ops_channel": "CWEBOPS",
            "moderation_channel": "CMODLOG",
        },
        {
            "key": "app",
            "name": "Mobile app",
            "ops_channel": "CAPPOPS",
            "moderation_channel": "CMODLOG",
        },
    ],
    "grants": [
        {"user": "UALICE", "role": "admin"},
        {"user": "UBOB", "role": "member", "scope": "marketing"},
        {"user": "UZHANG", "role": "member", "scope": "marketing"},
        {"user": "UFRANK", "role": "member", "scope": "finance"},
        {"user": "UCAROL", "role": "approver", "scope": "marketing"},
        {"user": "UDAVE", "role": "approver", "scope": "marketing"},
        {"user": "UFIONA", "role": "approver", "scope": "finance"},
        {"user": "UERIN", "role": "engineer"},
        {"user": "UOSCAR", "role": "operator", "scope": "web"},
        {"user": "UOLIVIA", "role": "operator", "scope": "web"},
        {"user": "UOLIVIA", "role": "operator", "scope": "app"},
        {"user": "UMONA", "role": "moderator"},
        {"user": "UMIKE", "role": "moderator"},
        {"user": "UAUDREY", "role": "auditor"},
    ],
}
DEMO_PLAN = PlanDraft(
    name="Web shop daily health check",
    platform="web",
    checklist=[
        "Checkout completes with a test card",
        "Error rate below 1% on the dashboard",
        "Last night's backup finished",
    ],
    schedule="weekdays 09:00",
    timezone="Europe/Berlin",
    grace_minutes=120,
    source="sandbox",
)
# Weekly on-call rotations, so incident cards mention someone to page.
ROTATIONS = {"web": ["UOSCAR", "UOLIVIA"], "app": ["UOLIVIA"]}


def register_workspace(fake: FakeSlack) -> None:
    """People and channels of the demo workspace in the fake (idempotent)."""
    for member in CAST:
        fake.add_user(
            member.user_id,
            member.name,
            real_name=member.real_name,
            tz=member.tz,
            locale=member.locale,
            email=f"{member.name}@example.com",
        )
    everyone = [member.user_id for member in CAST] + [fake.bot_user_id]
    for channel_id, name in CHANNELS.items():
        if channel_id not in fake.channels:
            fake.add_channel(channel_id, name, members=everyone)


async def seed_organisation(container: Container) -> bool:
    """Creates the demo organisation when the database has none; returns whether it did."""
    async with container.reader() as uow:
        if await uow.org.list_departments():
            return False
    plan = await apply_config(container, parse_config(ORGANISATION, source="sandbox seed"))
    async with container.uow() as uow:
        if await uow.inspections.find_plan_by_name(DEMO_PLAN.name) is None:
            await create_plan(uow, SEED_ACTOR, DEMO_PLAN)
        for platform, members in ROTATIONS.items():
            await set_rotation(uow, SEED_ACTOR, platform, members)
        await uow.commit()
    log.info("sandbox: seeded the demo organisation (%s)", plan.summary())
    return True
