"""Inspection plans from the declarative config file: created, updated, paused, idempotent."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.config_file import ConfigError, apply_config, parse_config
from storage.models.core import EventRow
from storage.models.inspections import InspectionPlanRow
from tests.support.harness import Harness

PLAN = {
    "name": "Web nightly checks",
    "platform": "web",
    "checklist": ["Error rate < 1%", "Backups fresh"],
    "schedule": "daily 02:00",
    "timezone": "Asia/Shanghai",
    "grace_minutes": 120,
}


async def plans(h: Harness) -> list[InspectionPlanRow]:
    async with h.container.database.read_session() as session:
        return list((await session.scalars(select(InspectionPlanRow))).all())


async def test_plans_in_the_file_are_created_updated_and_paused_once(seeded: Harness) -> None:
    seeded.clock.set(datetime(2026, 1, 5, 12, 0, tzinfo=UTC))
    plan = await apply_config(seeded.container, parse_config({"inspection_plans": [PLAN]}))
    assert [c.action for c in plan.changes if c.section == "inspection plan"] == ["create"]
    [row] = await plans(seeded)
    assert row.cron == "0 2 * * *" and row.source == "config" and row.channel_id == "CWEBOPS"
    assert row.next_due_at == datetime(2026, 1, 5, 18, 0, tzinfo=UTC)  # 02:00 in Shanghai

    again = await apply_config(seeded.container, parse_config({"inspection_plans": [PLAN]}))
    assert not again.pending

    changed = {**PLAN, "checklist": ["Error rate < 1%"], "paused": True}
    plan = await apply_config(seeded.container, parse_config({"inspection_plans": [changed]}))
    [change] = [c for c in plan.changes if c.section == "inspection plan"]
    assert change.action == "update" and any("checklist" in d for d in change.details)
    [row] = await plans(seeded)
    assert row.checklist == ["Error rate < 1%"] and row.state == "paused"
    async with seeded.container.database.read_session() as session:
        types = list(
            await session.scalars(
                select(EventRow.type).where(
                    EventRow.actor_id == "system:config", EventRow.type.like("inspection.%")
                )
            )
        )
    assert types == [
        "inspection.plan_created",
        "inspection.plan_changed",
        "inspection.plan_paused",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"schedule": "now and then"}, "inspection_plans[0] (Web nightly checks).schedule"),
        ({"timezone": "Moon/Base"}, "unknown timezone"),
        ({"checklist": []}, "inspection_plans[0] (Web nightly checks).checklist"),
    ],
)
def test_bad_plans_name_the_yaml_path(change: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        parse_config({"inspection_plans": [{**PLAN, **change}]})


async def test_unknown_platform_is_refused_before_anything_changes(seeded: Harness) -> None:
    document = parse_config({"inspection_plans": [{**PLAN, "platform": "mars"}]})
    with pytest.raises(ConfigError, match="no platform 'mars'"):
        await apply_config(seeded.container, document)
    assert await plans(seeded) == []
