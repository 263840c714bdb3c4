"""What the card's buttons do in Slack, done by an integration through the API: change the
severity, escalate, reopen. Same rules; 409 when the state forbids it; the card updated in place."""

from __future__ import annotations

import httpx

from bot.sandbox.models import Message
from commands.incidents import views
from tests.api.conftest import make_key
from tests.commands.incidents.conftest import assert_all_valid, cards_in_channel, events, sweep
from tests.support.harness import Harness

NEW = {"title": "Checkout returns 500", "severity": "SEV3", "platform": "web"}


async def declared_card(h: Harness, token: str) -> Message:
    created = await h.api("POST", "/api/v1/incidents", token, json=NEW)
    assert created.status_code == 201, created.text
    await h.settle()
    [card] = cards_in_channel(h)
    return card


def problem(response: httpx.Response) -> str:
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()["detail"]


async def test_severity_change_updates_the_card_in_place_and_follows_the_new_sla(rota_any: Harness):
    h = rota_any
    token = await make_key(h, "incidents:write", "incidents:read", name="pagerduty")
    card = await declared_card(h, token)
    url = "/api/v1/incidents/INC-1/severity"

    raised = await h.api("POST", url, token, json={"severity": "sev1"})
    assert raised.status_code == 200, raised.text
    assert raised.json()["severity"] == "SEV1" and raised.json()["status"] == "triggered"
    await h.settle()
    assert len(cards_in_channel(h)) == 1 and len(card.edits) == 1  # chat.update, same message
    assert "SEV1" in card.all_text and "SEV1" not in card.edits[0].text
    # SEV1's 5-minute ack SLA now applies: the on-call is re-notified after 5 minutes, not 60.
    assert await sweep(h, minutes=5) == 1 and len(h.fake.dms_to("UOSCAR")) == 1

    same = await h.api("POST", url, token, json={"severity": "SEV1"})
    assert same.status_code == 409 and problem(same) == "INC-1 is already SEV1."
    bad = await h.api("POST", url, token, json={"severity": "SEV9"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "severity"
    empty = await h.api("POST", url, token, json={})
    assert empty.status_code == 422 and "severity" in empty.text

    changed = await events(h, "incident.severity_changed")
    assert len(changed) == 1 and changed[0].actor_id == "integration:pagerduty"
    assert (changed[0].data["before"], changed[0].data["after"]) == ("SEV3", "SEV1")
    assert_all_valid(h)


async def test_escalate_pages_the_next_level_once_per_request_up_to_the_admins(rota_any: Harness):
    h = rota_any
    token = await make_key(h, "incidents:write", name="pagerduty")
    card = await declared_card(h, token)
    url = "/api/v1/incidents/INC-1/escalate"

    retry = {"Idempotency-Key": "escalate-1"}
    first = await h.api("POST", url, token, headers=retry)
    replay = await h.api("POST", url, token, headers=retry)  # a retry of the same request
    assert first.status_code == replay.status_code == 200
    assert first.json()["escalation_level"] == replay.json()["escalation_level"] == 1
    await h.settle()
    assert len(h.fake.dms_to("UOLIVIA")) == 1 and len(h.fake.dms_to("UOSCAR")) == 1
    assert "to all operators" in card.all_text and card.edits
    assert len(cards_in_channel(h)) == 1

    admins = await h.api("POST", url, token)
    assert admins.json()["escalation_level"] == 2
    await h.settle()
    assert len(h.fake.dms_to("UALICE")) == 1
    top = await h.api("POST", url, token)
    assert top.status_code == 409 and "last level" in problem(top)

    escalated = await events(h, "incident.escalated")
    assert [e.data["level"] for e in escalated] == [1, 2]
    assert {e.data["reason"] for e in escalated} == {"manual"}
    assert {e.actor_id for e in escalated} == {"integration:pagerduty"}
    assert_all_valid(h)


async def test_reopen_only_a_resolved_incident_and_the_card_says_so(rota_any: Harness):
    h = rota_any
    token = await make_key(h, "incidents:write", "incidents:read", name="pagerduty")
    card = await declared_card(h, token)
    url = "/api/v1/incidents/INC-1/reopen"

    still_open = await h.api("POST", url, token)
    assert still_open.status_code == 409 and "is not resolved" in problem(still_open)
    await h.api("POST", "/api/v1/incidents/INC-1/resolve", token, json={"summary": "Restarted"})
    await h.settle()
    assert "Resolved" in card.all_text

    reopened = await h.api("POST", url, token, json={"reason": "Errors are back"})
    assert reopened.status_code == 200, reopened.text
    body = reopened.json()
    assert body["status"] == "triggered" and body["resolved_at"] is None
    await h.settle()
    assert len(cards_in_channel(h)) == 1 and "Resolved" not in card.all_text
    assert views.ACK in str(card.blocks) and views.ACK not in str(card.edits[-1].blocks)
    again = await h.api("POST", url, token)
    assert again.status_code == 409

    # Reopened, the ack SLA runs again (SEV3: 60 minutes) and pages the on-call.
    assert await sweep(h, minutes=60) == 1 and len(h.fake.dms_to("UOSCAR")) == 1
    await h.api("POST", "/api/v1/incidents/INC-1/resolve", token, json={"summary": "Fixed"})
    without_body = await h.api("POST", url, token)
    assert without_body.status_code == 200 and without_body.json()["status"] == "triggered"

    timeline = (await h.api("GET", "/api/v1/incidents/INC-1", token)).json()["timeline"]
    reopens = [e for e in timeline if e["type"] == "incident.reopened"]
    assert [e["data"]["reason"] for e in reopens] == ["Errors are back", ""]
    assert reopens[0]["actor"] == {"kind": "integration", "id": "integration:pagerduty"}
    assert_all_valid(h)


async def test_the_same_permission_rules_as_in_slack(rota: Harness):
    h = rota
    writer = await make_key(h, "incidents:write")
    await declared_card(h, writer)
    reader = await make_key(h, "incidents:read", name="dashboard")
    for path, body in [
        ("severity", {"severity": "SEV1"}),
        ("escalate", None),
        ("reopen", {"reason": "x"}),
    ]:
        refused = await h.api("POST", f"/api/v1/incidents/INC-1/{path}", reader, json=body)
        assert refused.status_code == 403, path
        unknown = await h.api("POST", f"/api/v1/incidents/INC-99/{path}", writer, json=body)
        assert unknown.status_code == 404, path
        anonymous = await h.api("POST", f"/api/v1/incidents/INC-1/{path}", json=body)
        assert anonymous.status_code == 401, path
    assert [e.type for e in await events(h)] == ["incident.oncall_set", "incident.declared"]


async def test_the_new_doors_are_documented(harness: Harness):
    paths = (await harness.http.get("/api/docs/openapi.json")).json()["paths"]
    for door in ("reopen", "escalate", "severity"):
        operation = paths[f"/api/v1/incidents/{{key}}/{door}"]["post"]
        assert {"200", "403", "404", "409"} <= set(operation["responses"]), door
    severity = paths["/api/v1/incidents/{key}/severity"]["post"]["requestBody"]
    assert severity["required"] is True
    # The reason is optional, and so is the body (Litestar still flags every body "required").
    reopen = paths["/api/v1/incidents/{key}/reopen"]["post"]["requestBody"]
    assert {"type": "null"} in reopen["content"]["application/json"]["schema"]["oneOf"]
