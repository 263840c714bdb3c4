"""GET /api/v1/events: the audit stream, paginated by opaque cursors, filterable."""

from __future__ import annotations

from typing import Any

from domain.access import Actor
from domain.org import services as org
from tests.api.conftest import assert_problem, make_key
from tests.support.harness import Harness


async def add_departments(h: Harness, *keys: str) -> None:
    async with h.container.uow() as uow:
        for key in keys:
            await org.add_department(uow, Actor.system("test"), key, key.title(), None)
        await uow.commit()


async def read_all(h: Harness, token: str, query: str, limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(20):
        suffix = f"&after={cursor}" if cursor else ""
        page = (await h.api("GET", f"/api/v1/events?limit={limit}{query}{suffix}", token)).json()
        items += page["items"]
        assert len(page["items"]) <= limit
        if not page["has_more"]:
            return items
        cursor = page["next_cursor"]
    raise AssertionError("pagination did not end")


async def test_pages_cover_the_stream_once_in_order(any_harness: Harness) -> None:
    h = any_harness
    token = await make_key(h, "events:read")  # event 1: apikey.created
    await add_departments(h, "sales", "legal", "finance", "hr", "it")
    items = await read_all(h, token, "", limit=2)
    assert [item["id"] for item in items] == [1, 2, 3, 4, 5, 6]
    sales = items[1]
    assert sales["type"] == "department.added"
    assert sales["subject"] == {"type": "department", "id": sales["subject"]["id"], "key": "sales"}
    assert sales["actor"] == {"kind": "system", "id": "system:test"}
    assert sales["data"]["name"] == "Sales"
    assert sales["prev_hash"] == items[0]["hash"] and len(sales["hash"]) == 64


async def test_filters_by_type_pattern_and_subject(any_harness: Harness) -> None:
    h = any_harness
    token = await make_key(h, "events:read")
    await add_departments(h, "sales", "legal")
    departments = await read_all(h, token, "&type=department.*", limit=50)
    assert [i["subject"]["key"] for i in departments] == ["sales", "legal"]
    exact = await read_all(h, token, "&type=apikey.created", limit=50)
    assert [i["type"] for i in exact] == ["apikey.created"]
    legal = await read_all(h, token, "&subject_type=department&subject_key=legal", limit=50)
    assert [i["subject"]["key"] for i in legal] == ["legal"]
    assert await read_all(h, token, "&type=department", limit=50) == []  # exact, not prefix


async def test_the_cursor_of_the_last_page_polls_for_new_events(any_harness: Harness) -> None:
    h = any_harness
    token = await make_key(h, "events:read")
    first = (await h.api("GET", "/api/v1/events", token)).json()
    assert len(first["items"]) == 1 and not first["has_more"]
    cursor = first["next_cursor"]
    empty = (await h.api("GET", f"/api/v1/events?after={cursor}", token)).json()
    assert empty == {"items": [], "next_cursor": cursor, "has_more": False}
    await add_departments(h, "sales")
    later = (await h.api("GET", f"/api/v1/events?after={cursor}", token)).json()
    assert [i["type"] for i in later["items"]] == ["department.added"]


async def test_a_cursor_we_did_not_make_is_422(harness: Harness) -> None:
    token = await make_key(harness, "events:read")
    for cursor in ("not-base64!", "WyJ4Il0", "e30", "WzEsMl0"):  # junk, ["x"], {}, [1,2]
        response = await harness.api("GET", f"/api/v1/events?after={cursor}", token)
        problem = assert_problem(response, 422, "validation")
        assert problem["errors"][0]["field"] == "after"
        assert "next_cursor" in problem["detail"]
