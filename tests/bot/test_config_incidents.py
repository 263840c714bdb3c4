"""The `incidents` section of the config file: SLAs per severity (global and per platform), the
review due time, and how Alertmanager labels map — planned, applied once, audited, then used."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.config_file import ConfigError, apply_config, parse_config, plan_config
from domain.incidents.models import DEFAULT_SEVERITY_MAP, Severity
from domain.incidents.queries import policy_for
from storage.models.core import EventRow
from tests.api.conftest import make_key
from tests.commands.incidents.conftest import seeded_any
from tests.support.harness import Harness

__all__ = ["seeded_any"]  # the seeded org on SQLite and PostgreSQL, for the flows that write

GLOBAL = {
    "ack_minutes": {"SEV1": 3, "sev2": 10},
    "review_working_days": 3,
    "alert_labels": {"severity": "priority", "platform": "service"},
    "severity_map": {"P1": "SEV1", "p2": "SEV2", "p3": "3"},
}
WEB = {"platform": "web", "ack_minutes": {"SEV1": 2}}
FILE = {"incidents": [GLOBAL, WEB]}


async def policy_events(h: Harness) -> list[EventRow]:
    async with h.container.database.read_session() as session:
        rows = await session.scalars(
            select(EventRow).where(EventRow.type == "incident.policy_changed").order_by(EventRow.id)
        )
        return list(rows)


async def test_plan_shows_only_the_settings_in_the_file_and_changes_nothing(seeded: Harness):
    text = (await plan_config(seeded.container, parse_config(FILE))).render()
    assert (
        "incident policy global: update (ack_minutes.SEV1: 5 → 3; ack_minutes.SEV2: 15 → 10;"
        in text
    )
    assert "review_working_days: 5 → 3; alert_labels.severity: 'severity' → 'priority'" in text
    assert "severity_map: {" in text and "'p1': 'SEV1'" in text
    assert "incident policy web: update (ack_minutes.SEV1: 'global' → 2)" in text
    assert "SEV3" not in text.split("incident policy global")[1].split("severity_map")[0]
    assert await policy_events(seeded) == []


async def test_apply_sets_the_policies_once_audited_as_the_config(seeded_any: Harness):
    h = seeded_any
    plan = await apply_config(h.container, parse_config(FILE))
    assert [c.action for c in plan.changes if c.section == "incident policy"] == ["update"] * 2
    async with h.container.reader() as uow:
        glob = await policy_for(uow, None)
        web = await uow.org.find_platform("web")
        assert web is not None
        web_policy = await policy_for(uow, web.id)
    assert glob.ack_minutes[Severity.SEV1] == 3 and glob.ack_minutes[Severity.SEV3] == 60
    assert glob.review_working_days == 3
    assert (glob.severity_label, glob.platform_label) == ("priority", "service")
    assert glob.severity_map == {"p1": Severity.SEV1, "p2": Severity.SEV2, "p3": Severity.SEV3}
    # The platform's override starts from the global policy and changes only what it names.
    assert web_policy.ack_minutes[Severity.SEV1] == 2
    assert web_policy.ack_minutes[Severity.SEV2] == 10 and web_policy.review_working_days == 3

    changed = await policy_events(h)
    assert [(e.actor_id, e.data["scope"]) for e in changed] == [
        ("system:config", "global"),
        ("system:config", f"platform:{web.id}"),
    ]
    assert changed[0].data["severity_map"] == {"p1": "SEV1", "p2": "SEV2", "p3": "SEV3"}
    again = await apply_config(h.container, parse_config(FILE))
    assert again.pending == [] and len(await policy_events(h)) == 2


async def test_a_platform_follows_the_global_policy_except_what_it_pins(seeded_any: Harness):
    h = seeded_any
    await apply_config(h.container, parse_config(FILE))
    # Later the global SEV1 and SEV2 change, and web pins SEV2 at today's global value.
    later = {
        "incidents": [
            {"ack_minutes": {"SEV1": 4, "SEV2": 20}},
            {"platform": "web", "ack_minutes": {"SEV1": 2, "SEV2": 20}},
        ]
    }
    plan = await plan_config(h.container, parse_config(later))
    assert "incident policy web: update (ack_minutes.SEV2: 'global' → 20)" in plan.render()
    await apply_config(h.container, parse_config(later))
    final = {"incidents": [{"ack_minutes": {"SEV2": 30, "SEV3": 45}}]}
    await apply_config(h.container, parse_config(final))
    async with h.container.reader() as uow:
        web = await uow.org.find_platform("web")
        assert web is not None
        policy = await policy_for(uow, web.id)
    assert policy.ack_minutes[Severity.SEV1] == 2  # pinned by web
    assert policy.ack_minutes[Severity.SEV2] == 20  # pinned by web, though the global moved on
    assert policy.ack_minutes[Severity.SEV3] == 45  # followed from the global policy
    assert policy.review_working_days == 3


async def test_alerts_are_read_with_the_configured_labels(seeded_any: Harness):
    h = seeded_any
    await apply_config(h.container, parse_config(FILE))
    token = await make_key(h, "incidents:write", name="alertmanager")
    alert = {"alertname": "CheckoutErrors", "priority": "P1", "service": "web"}
    payload = {
        "version": "4",
        "status": "firing",
        "receiver": "platops",
        "groupKey": '{}:{alertname="CheckoutErrors"}',
        "groupLabels": {"alertname": "CheckoutErrors"},
        "commonLabels": alert,
        "commonAnnotations": {"summary": "Checkout error rate above 5%"},
        "externalURL": "http://alertmanager.internal:9093",
        "alerts": [
            {
                "status": "firing",
                "labels": alert,
                "annotations": {"summary": "Checkout error rate above 5%"},
                "startsAt": "2026-01-05T08:57:30.000Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "fingerprint": "a1b2c3d4e5f60718",
            }
        ],
    }
    opened = await h.api("POST", "/api/v1/integrations/alertmanager", token, json=payload)
    assert opened.status_code == 200, opened.text
    incident = await h.api(
        "GET", "/api/v1/incidents/INC-1", await make_key(h, "incidents:read", name="r")
    )
    assert incident.json()["severity"] == "SEV1" and incident.json()["platform"] == "web"
    # The old label names no longer place an alert: the 422 names the configured one.
    old = {**payload, "commonLabels": {"alertname": "X", "platform": "web"}, "groupKey": "x"}
    old["alerts"] = [{**payload["alerts"][0], "labels": {"alertname": "X", "platform": "web"}}]
    refused = await h.api("POST", "/api/v1/integrations/alertmanager", token, json=old)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "commonLabels.service"


async def test_settings_not_in_the_file_are_left_as_set_in_slack(seeded: Harness):
    h = seeded
    await h.command("UALICE", "/incident", "sla SEV4=300")
    plan = await plan_config(
        h.container, parse_config({"incidents": [{"ack_minutes": {"SEV1": 5}}]})
    )
    assert plan.pending == []  # SEV1 is already 5; SEV4 is not in the file
    await apply_config(h.container, parse_config({"incidents": [{"severity_map": {"p1": "SEV1"}}]}))
    async with h.container.reader() as uow:
        policy = await policy_for(uow, None)
    assert policy.ack_minutes[Severity.SEV4] == 300
    assert policy.severity_map == {"p1": Severity.SEV1} != DEFAULT_SEVERITY_MAP


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([{"ack_minutes": {"SEV9": 5}}], "incidents[0].ack_minutes: Value error, unknown severity"),
        ([{"ack_minutes": {"SEV1": 0}}], "SEV1: 0 is not a whole number of minutes from 1"),
        ([{"review_working_days": 0}], "incidents[0].review_working_days: Input should be greater"),
        ([{"severity_map": {"p1": "urgent"}}], "unknown severity 'urgent'"),
        ([{"alert_labels": {"severity": ""}}], "incidents[0].alert_labels.severity: String should"),
        (
            [{"platform": "web", "alert_labels": {"severity": "priority"}}],
            "incidents[0]: Value error, alert_labels and severity_map are read before",
        ),
        ([{"sla": 5}], "incidents[0].sla: Extra inputs are not permitted"),
    ],
)
def test_invalid_entries_name_the_yaml_path(entries: list[dict], message: str):
    with pytest.raises(ConfigError) as raised:
        parse_config({"incidents": entries})
    assert message in str(raised.value)


async def test_entries_must_name_known_platforms_once(seeded: Harness):
    with pytest.raises(ConfigError, match=r"incidents\[0\]\.platform: no platform 'shop'"):
        await plan_config(seeded.container, parse_config({"incidents": [{"platform": "shop"}]}))
    with pytest.raises(ConfigError, match=r"incidents\[1\] \(global\): listed twice"):
        await plan_config(seeded.container, parse_config({"incidents": [{}, {}]}))
    # A platform the same file creates is fine: the sections apply in order.
    document = {
        "platforms": [{"key": "app", "name": "Mobile app", "ops_channel": "CAPPOPS"}],
        "incidents": [{"platform": "app", "ack_minutes": {"SEV2": 20}}],
    }
    await apply_config(seeded.container, parse_config(document))
    async with seeded.container.reader() as uow:
        app = await uow.org.find_platform("app")
        assert app is not None
        assert (await policy_for(uow, app.id)).ack_minutes[Severity.SEV2] == 20
