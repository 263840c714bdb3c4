"""The incident state machine, severities, rotations, working days and alert mapping (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import InvalidTransition, ValidationFailed
from domain.incidents.alerts import group_dedup_key
from domain.incidents.models import (
    Incident,
    IncidentPolicy,
    IncidentSource,
    IncidentStatus,
    Severity,
    add_working_days,
)
from domain.incidents.oncall import Rotation, monday_of

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # a Monday


def incident(**changes: object) -> Incident:
    values: dict[str, object] = {
        "id": 1,
        "number": 7,
        "title": "Checkout down",
        "platform_id": 1,
        "severity": Severity.SEV2,
        "status": IncidentStatus.TRIGGERED,
        "source": IncidentSource.SLACK,
        "declared_by": "UBOB",
        "created_at": T0,
        "triggered_at": T0,
    }
    values.update(changes)
    return Incident(**values)  # type: ignore[arg-type]


def test_triggered_acknowledged_resolved_and_reopened():
    inc = incident()
    inc.acknowledge("UOSCAR", T0 + timedelta(minutes=3))
    assert inc.status is IncidentStatus.ACKNOWLEDGED and inc.seconds_to_ack() == 180
    with pytest.raises(InvalidTransition) as second:
        inc.acknowledge("UOLIVIA", T0 + timedelta(minutes=4))
    assert second.value.code == "inc.errors.already_acknowledged"
    assert inc.acknowledged_by == "UOSCAR"
    inc.resolve("UOSCAR", "Rolled back", T0 + timedelta(minutes=30))
    assert inc.seconds_to_resolve() == 1800
    for action in (
        lambda: inc.acknowledge("UOSCAR", T0),
        lambda: inc.resolve("UOSCAR", "again", T0),
        lambda: inc.escalate(2),
    ):
        with pytest.raises(InvalidTransition):
            action()
    inc.reopen(T0 + timedelta(hours=1))
    assert inc.status is IncidentStatus.TRIGGERED and inc.resolved_at is None
    assert inc.acknowledged_by is None and inc.triggered_at == T0 + timedelta(hours=1)


def test_unacknowledge_only_from_acknowledged_and_escalation_stops_at_admins():
    inc = incident()
    with pytest.raises(InvalidTransition):
        inc.unacknowledge(T0)
    assert inc.escalate(2) == 1 and inc.escalate(2) == 2
    with pytest.raises(InvalidTransition):
        inc.escalate(2)


@pytest.mark.parametrize(
    ("text", "expected"), [("SEV1", Severity.SEV1), ("sev3", Severity.SEV3), (" 2 ", Severity.SEV2)]
)
def test_severity_parsing(text: str, expected: Severity):
    assert Severity.parse(text) is expected


def test_bad_severity_names_the_field():
    with pytest.raises(ValidationFailed) as error:
        Severity.parse("SEV5", "sev")
    assert "sev" in error.value.fields
    assert Severity.SEV1.needs_review and not Severity.SEV3.needs_review


def test_default_slas_and_alert_label_mapping():
    policy = IncidentPolicy()
    assert [policy.ack_sla(s) for s in Severity] == [timedelta(minutes=m) for m in (5, 15, 60, 240)]
    assert policy.alert_severity("critical") is Severity.SEV1
    assert policy.alert_severity("Warning") is Severity.SEV3
    assert policy.alert_severity("sev2") is Severity.SEV2
    assert policy.alert_severity("weird") is Severity.SEV3
    assert policy.alert_severity(None) is Severity.SEV3


def test_working_days_skip_weekends():
    friday = datetime(2026, 1, 9, 15, 0, tzinfo=UTC)
    assert add_working_days(T0, 5) == datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
    assert add_working_days(friday, 1) == datetime(2026, 1, 12, 15, 0, tzinfo=UTC)


def test_rotation_hands_over_every_monday():
    rotation = Rotation(1, ["UA", "UB", "UC"], monday_of(T0 + timedelta(days=2)), "UADMIN", T0)
    assert rotation.anchor == T0.replace(hour=0)
    assert rotation.on_call_at(T0) == "UA"
    assert rotation.on_call_at(T0 + timedelta(days=6, hours=14)) == "UA"  # Sunday 23:00
    assert rotation.on_call_at(T0 + timedelta(days=7)) == "UB"
    assert rotation.on_call_at(T0 + timedelta(days=21)) == "UA"
    upcoming, handover = rotation.next_after(T0)
    assert upcoming == "UB" and handover == datetime(2026, 1, 12, tzinfo=UTC)


def test_group_keys_become_short_stable_dedup_keys():
    key = group_dedup_key('{}/{platform="web"}:{alertname="X"}' * 50)
    assert key == group_dedup_key('{}/{platform="web"}:{alertname="X"}' * 50)
    assert len(key) <= 200 and key.startswith("alertmanager:")
