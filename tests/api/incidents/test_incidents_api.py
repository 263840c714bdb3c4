"""`/api/v1/incidents` and the monitoring integrations, through real HTTP and the fake Slack."""

from __future__ import annotations

import json
from pathlib import Path

from tests.api.conftest import make_key
from tests.commands.incidents.conftest import WEBOPS, assert_all_valid, cards_in_channel, events
from tests.support.harness import Harness

FIXTURES = Path(__file__).parents[2] / "fixtures" / "alertmanager"
NEW = {"title": "Search is slow", "severity": "SEV3", "platform": "web", "source": "grafana"}


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


async def test_declare_list_read_ack_resolve_as_an_integration(seeded_any: Harness):
    h = seeded_any
    token = await make_key(h, "incidents:write", "incidents:read", name="grafana")
    created = await h.api("POST", "/api/v1/incidents", token, json=NEW)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["key"] == "INC-1" and body["status"] == "triggered" and not body["deduplicated"]
    await h.settle()
    assert len(cards_in_channel(h)) == 1

    listed = await h.api("GET", "/api/v1/incidents?status=open&severity=SEV3", token)
    assert [i["key"] for i in listed.json()["items"]] == ["INC-1"]
    none = await h.api("GET", "/api/v1/incidents?status=resolved", token)
    assert none.json()["items"] == []

    ack = await h.api("POST", "/api/v1/incidents/INC-1/acknowledge", token)
    assert ack.status_code == 200 and ack.json()["acknowledged_by"] == "integration:grafana"
    again = await h.api("POST", "/api/v1/incidents/INC-1/acknowledge", token)
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")

    no_summary = await h.api(
        "POST", "/api/v1/incidents/INC-1/resolve", token, json={"summary": " "}
    )
    assert no_summary.status_code == 422
    assert no_summary.json()["errors"][0]["field"] == "summary"
    note = await h.api("POST", "/api/v1/incidents/INC-1/notes", token, json={"text": "cache cold"})
    assert note.status_code == 201
    done = await h.api(
        "POST", "/api/v1/incidents/INC-1/resolve", token, json={"summary": "Warmed the cache"}
    )
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    await h.settle()
    card = cards_in_channel(h)[0]
    assert "grafana (integration)" in card.all_text and "Warmed the cache" in card.all_text
    assert len(cards_in_channel(h)) == 1

    detail = await h.api("GET", "/api/v1/incidents/INC-1", token)
    types = [entry["type"] for entry in detail.json()["timeline"]]
    assert types == [
        "incident.declared",
        "incident.acknowledged",
        "incident.note_added",
        "incident.resolved",
    ]
    assert detail.json()["timeline"][1]["actor"] == {
        "kind": "integration",
        "id": "integration:grafana",
    }
    assert_all_valid(h)


async def test_scopes_and_bad_input(seeded: Harness):
    h = seeded
    reader = await make_key(h, "incidents:read")
    refused = await h.api("POST", "/api/v1/incidents", reader, json=NEW)
    assert refused.status_code == 403
    writer = await make_key(h, "incidents:write", name="w")
    bad = await h.api(
        "POST", "/api/v1/incidents", writer, json={**NEW, "severity": "SEV9", "platform": "nope"}
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"severity", "platform"}
    missing = await h.api("POST", "/api/v1/incidents", writer, json={"severity": "SEV1"})
    assert missing.status_code == 422 and "title" in missing.text
    assert await events(h, "incident.declared") == []
    unknown = await h.api("GET", "/api/v1/incidents/INC-99", await make_key(h, "incidents:read"))
    assert unknown.status_code == 404


async def test_dedup_key_updates_the_open_incident_and_idempotency_key_replays(seeded_any: Harness):
    h = seeded_any
    token = await make_key(h, "incidents:write")
    payload = {**NEW, "dedup_key": "search-latency"}
    first = await h.api("POST", "/api/v1/incidents", token, json=payload)
    second = await h.api("POST", "/api/v1/incidents", token, json=payload)
    third = await h.api("POST", "/api/v1/incidents", token, json=payload)
    assert (first.status_code, second.status_code, third.status_code) == (201, 200, 200)
    assert third.json()["key"] == "INC-1" and third.json()["occurrences"] == 3
    assert third.json()["deduplicated"] is True
    await h.settle()
    assert len(cards_in_channel(h)) == 1
    assert "3 times" in cards_in_channel(h)[0].all_text  # updated in place

    headers = {"Idempotency-Key": "create-42"}
    other = {**NEW, "title": "Login fails"}
    a = await h.api("POST", "/api/v1/incidents", token, json=other, headers=headers)
    b = await h.api("POST", "/api/v1/incidents", token, json=other, headers=headers)
    assert a.status_code == b.status_code == 201 and a.json()["key"] == b.json()["key"] == "INC-2"
    without = await h.api("POST", "/api/v1/incidents", token, json=other)
    assert without.json()["key"] == "INC-3"  # no dedup_key, no Idempotency-Key: a new one


async def test_alertmanager_firing_repeated_and_resolved(seeded_any: Harness):
    h = seeded_any
    token = await make_key(h, "incidents:write", name="alertmanager")
    url = "/api/v1/integrations/alertmanager"
    firing = await h.api("POST", url, token, json=fixture("firing.json"))
    assert firing.status_code == 200, firing.text
    assert firing.json() == {
        "outcome": "opened",
        "incident": "INC-1",
        "status": "triggered",
        "occurrences": 1,
    }
    await h.settle()
    card = cards_in_channel(h)[0]
    assert "SEV1" in card.all_text  # the most severe alert of the group (critical → SEV1)
    assert "Checkout error rate above 5% (2 alerts)" in card.all_text

    repeated = await h.api("POST", url, token, json=fixture("firing.json"))
    assert repeated.json()["outcome"] == "updated" and repeated.json()["occurrences"] == 2
    resolved = await h.api("POST", url, token, json=fixture("resolved.json"))
    assert resolved.json()["outcome"] == "resolved"
    await h.settle()
    assert len(cards_in_channel(h)) == 1
    assert "Resolved" in card.all_text
    late = await h.api("POST", url, token, json=fixture("resolved.json"))
    assert late.json() == {
        "outcome": "ignored",
        "incident": None,
        "status": None,
        "occurrences": None,
    }
    # Firing again after resolution is a new incident.
    again = await h.api("POST", url, token, json=fixture("firing.json"))
    assert again.json()["incident"] == "INC-2"
    declared = await events(h, "incident.declared")
    assert [e.data["source"] for e in declared] == ["alertmanager", "alertmanager"]
    assert_all_valid(h)


async def test_alertmanager_resolved_only_notes_when_a_person_owns_it(seeded_any: Harness):
    h = seeded_any
    token = await make_key(h, "incidents:write", name="alertmanager")
    url = "/api/v1/integrations/alertmanager"
    await h.api("POST", url, token, json=fixture("firing.json"))
    await h.settle()
    await h.command("UOSCAR", "/incident", "ack INC-1")
    resolved = await h.api("POST", url, token, json=fixture("resolved.json"))
    assert resolved.json()["outcome"] == "noted" and resolved.json()["status"] == "acknowledged"
    await h.settle()
    assert "all alerts are resolved" in cards_in_channel(h)[0].all_text


async def test_alertmanager_platform_from_the_url_and_malformed_payloads(seeded: Harness):
    h = seeded
    token = await make_key(h, "incidents:write")
    url = "/api/v1/integrations/alertmanager"
    unplaced = await h.api("POST", url, token, json=fixture("no_platform.json"))
    assert unplaced.status_code == 422
    assert unplaced.json()["errors"][0]["field"] == "commonLabels.platform"
    placed = await h.api("POST", url + "?platform=web", token, json=fixture("no_platform.json"))
    assert placed.json()["outcome"] == "opened"
    malformed = await h.api("POST", url, token, json=fixture("malformed.json"))
    assert malformed.status_code == 422
    fields = " ".join(e["field"] for e in malformed.json()["errors"])
    assert "fingerprint" in fields and "status" in fields
    not_json = await h.api(
        "POST", url, token, content=b"{oops", headers={"content-type": "application/json"}
    )
    assert not_json.status_code == 422
    assert len(await events(h, "incident.declared")) == 1
    await h.settle()
    assert len(h.fake.messages_in(WEBOPS)) == 1


async def test_generic_events_trigger_and_resolve_by_dedup_key(seeded_any: Harness):
    h = seeded_any
    token = await make_key(h, "incidents:write", name="uptime")
    url = "/api/v1/integrations/events"
    event = {
        "dedup_key": "shop-down",
        "title": "Shop unreachable",
        "severity": "SEV2",
        "platform": "web",
    }
    assert (await h.api("POST", url, token, json=event)).json()["outcome"] == "opened"
    assert (await h.api("POST", url, token, json=event)).json()["outcome"] == "updated"
    done = await h.api("POST", url, token, json={"dedup_key": "shop-down", "action": "resolve"})
    assert done.json()["outcome"] == "resolved"
    missing = await h.api("POST", url, token, json={"title": "x"})
    assert missing.status_code == 422 and "dedup_key" in missing.text
