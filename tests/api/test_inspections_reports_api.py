"""`/api/v1/inspections/*` and `/api/v1/reports/operations` on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from scheduler.inspections import open_due_inspections
from tests.api.conftest import make_key
from tests.commands.test_reports_slack import seed_week
from tests.support.harness import Harness

PLAN = {
    "name": "Web daily health",
    "platform": "web",
    "checklist": ["Dashboards green", "Backups fresh"],
    "schedule": "every weekday 09:00",
    "timezone": "Europe/Berlin",
    "grace_minutes": 30,
}


async def test_plans_and_runs_through_the_api(any_harness: Harness) -> None:
    h = any_harness
    await h.seed_org()
    h.clock.set(datetime(2026, 1, 5, 7, 0, tzinfo=UTC))
    writer = await make_key(h, "inspections:write", "inspections:read")
    reader = await make_key(h, "reports:read", name="bi")

    response = await h.api("POST", "/api/v1/inspections/plans", writer, json=PLAN)
    assert response.status_code == 201, response.text
    plan = response.json()
    assert plan["key"] == "PLAN-1" and plan["cron"] == "0 9 * * 1-5"
    assert plan["next_due_at"].startswith("2026-01-05T08:00") and plan["source"] == "api"

    bad = {**PLAN, "name": "Other", "schedule": "whenever", "timezone": "Nowhere/Land"}
    response = await h.api("POST", "/api/v1/inspections/plans", writer, json=bad)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "schedule" in response.text or "cron" in response.text

    response = await h.api("GET", "/api/v1/inspections/plans", reader)
    assert response.status_code == 403  # reports:read is not inspections:read
    response = await h.api("GET", "/api/v1/inspections/plans", writer)
    assert [p["name"] for p in response.json()["items"]] == ["Web daily health"]

    h.clock.set(datetime(2026, 1, 5, 8, 0, 20, tzinfo=UTC))
    assert await open_due_inspections(h.container) == 1
    response = await h.api("GET", "/api/v1/inspections/runs?state=open", writer)
    [run] = response.json()["items"]
    assert run["key"] == "RUN-1" and run["plan"] == "PLAN-1" and run["state"] == "open"
    assert not run["late"] and not run["missed"]
    response = await h.api("GET", "/api/v1/inspections/runs?state=sleeping", writer)
    assert response.status_code == 422


async def test_operations_report_as_json_and_csv(any_harness: Harness) -> None:
    h = any_harness
    await h.seed_org()
    await seed_week(h)
    h.clock.set(datetime(2026, 1, 12, 8, 0, tzinfo=UTC))
    key = await make_key(h, "reports:read")
    query = "from=2026-01-04T23:00:00Z&to=2026-01-11T23:00:00Z"
    response = await h.api("GET", f"/api/v1/reports/operations?{query}", key)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["kind"] == "weekly"
    assert body["incidents"]["declared"] == 3 and body["incidents"]["sla_breaches"] == 2
    assert body["incidents"]["by_severity"]["SEV2"] == 2
    assert body["requirements"]["live"] == 1 and body["moderation"]["warnings"] == 1
    assert body["inspections"]["has_data"] is False

    response = await h.api("GET", f"/api/v1/reports/operations?{query}&platform=web", key)
    web = response.json()
    assert web["incidents"]["declared"] == 2 and web["requirements"]["submitted"] == 1

    response = await h.api("GET", f"/api/v1/reports/operations?{query}&format=csv", key)
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["section", "metric", "value"]
    assert ["incidents", "declared", "3"] in rows
    assert ["requirements", "median_stage_hours.design", "48.0"] in rows

    bad = await h.api("GET", f"/api/v1/reports/operations?{query}&format=xml", key)
    assert bad.status_code == 422
    backwards = "from=2026-01-11T00:00:00Z&to=2026-01-04T00:00:00Z"
    assert (await h.api("GET", f"/api/v1/reports/operations?{backwards}", key)).status_code == 422
    response = await h.api("GET", "/api/v1/reports/operations?platform=nowhere", key)
    assert response.status_code == 404
    other = await make_key(h, "incidents:read", name="other")
    assert (await h.api("GET", "/api/v1/reports/operations", other)).status_code == 403
    h.clock.advance(timedelta(days=1))
