"""Incident storage on SQLite and PostgreSQL: round trips, dedup, timeline, rotations, policies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from domain.access import Actor
from domain.errors import ValidationFailed
from domain.incidents import services
from domain.incidents.models import IncidentPolicy, IncidentStatus, Severity
from domain.incidents.oncall import set_rotation
from domain.incidents.ports import IncidentFilter
from domain.incidents.settings import configure_incident_policy
from domain.org import services as org
from tests.support.harness import Harness

SYSTEM = Actor.system("test")


async def test_incidents_round_trip_with_dedup_timeline_and_filters(any_harness: Harness):
    h = any_harness
    async with h.container.uow() as uow:
        await org.add_platform(uow, SYSTEM, "web", "Web shop", "CWEBOPS")
        first = await services.declare_incident(
            uow, SYSTEM, title="A", platform="web", severity="SEV1", dedup_key="k1"
        )
        again = await services.declare_incident(
            uow, SYSTEM, title="A", platform="web", severity="SEV1", dedup_key="k1"
        )
        other = await services.declare_incident(
            uow, SYSTEM, title="B", platform="web", severity="SEV4"
        )
        await uow.commit()
    assert first.created and not again.created and again.incident.occurrences == 2
    h.clock.advance(minutes=2)
    async with h.container.uow() as uow:
        await services.acknowledge_incident(uow, SYSTEM, "INC-1")
        await services.resolve_incident(uow, SYSTEM, "INC-1", "fixed")
        await uow.commit()
    async with h.container.reader() as uow:
        stored = await uow.incidents.get_by_number(1)
        assert stored.status is IncidentStatus.RESOLVED and stored.resolution_summary == "fixed"
        assert stored.acknowledged_at == h.clock.now()  # UTC-aware on both databases
        assert stored.review_due_at is not None  # SEV1 owes a review
        assert await uow.incidents.find_open_by_dedup_key("k1") is None
        timeline = await uow.incidents.timeline(stored.id)
        assert [e.type for e in timeline] == [
            "incident.declared",
            "incident.updated",
            "incident.acknowledged",
            "incident.resolved",
        ]
        assert timeline[2].data["seconds_to_ack"] == 120
        open_ones = await uow.incidents.search(
            IncidentFilter(statuses=(IncidentStatus.TRIGGERED,), severities=(Severity.SEV4,))
        )
        assert [i.key for i in open_ones] == [other.incident.key]
        page = await uow.incidents.search(IncidentFilter(limit=1))
        assert [i.number for i in page] == [2]
        rest = await uow.incidents.search(IncidentFilter(after_id=page[0].id, limit=5))
        assert [i.number for i in rest] == [1]
    # After resolution the same key opens a new incident.
    async with h.container.uow() as uow:
        fresh = await services.declare_incident(
            uow, SYSTEM, title="A", platform="web", severity="SEV1", dedup_key="k1"
        )
        await uow.commit()
    assert fresh.created and fresh.incident.number == 3


async def test_one_open_incident_per_dedup_key_is_enforced_by_the_database(any_harness: Harness):
    h = any_harness
    async with h.container.uow() as uow:
        await org.add_platform(uow, SYSTEM, "web", "Web shop")
        created = await services.declare_incident(
            uow, SYSTEM, title="A", platform="web", severity="SEV3", dedup_key="dup"
        )
        await uow.commit()
    duplicate = created.incident
    duplicate.id, duplicate.number = None, 99
    with pytest.raises(IntegrityError):
        async with h.container.uow() as uow:
            await uow.incidents.add(duplicate)


async def test_rotations_and_policies_persist(any_harness: Harness):
    h = any_harness
    async with h.container.uow() as uow:
        await org.add_platform(uow, SYSTEM, "web", "Web shop")
        await set_rotation(uow, SYSTEM, "web", ["UA", "UB", "UA"])
        await configure_incident_policy(
            uow, SYSTEM, "web", ack_minutes={Severity.SEV1: 2}, review_working_days=3
        )
        await uow.commit()
    async with h.container.reader() as uow:
        platform = await uow.org.find_platform("web")
        rotation = await uow.oncall.get_rotation(platform.id)
        assert rotation.members == ["UA", "UB"]
        assert [r.platform_id for r in await uow.oncall.rotations_with("UB")] == [platform.id]
        policy = await services.policy_for(uow, platform.id)
        assert policy.ack_sla(Severity.SEV1) == timedelta(minutes=2)
        assert policy.ack_sla(Severity.SEV2) == timedelta(minutes=15)
        assert policy.review_working_days == 3
        assert await services.policy_for(uow, None) == IncidentPolicy()
    async with h.container.uow() as uow:
        await configure_incident_policy(uow, SYSTEM, ack_minutes={Severity.SEV2: 9})
        with pytest.raises(ValidationFailed) as refused:
            await configure_incident_policy(uow, SYSTEM, "web", severity_label="priority")
        assert list(refused.value.fields) == ["severity_label"]
        await uow.commit()
    async with h.container.reader() as uow:
        policy = await services.policy_for(uow, platform.id)
        # web overrides SEV1 and the review days only: SEV2 follows the global change.
        assert policy.ack_sla(Severity.SEV2) == timedelta(minutes=9)
        assert policy.ack_sla(Severity.SEV1) == timedelta(minutes=2)
        assert policy.severity_label == "severity"
