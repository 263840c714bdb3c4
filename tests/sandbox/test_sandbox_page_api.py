"""The sandbox page's API against `platops serve` in sandbox mode: seeded workspace, slash
commands, clicks and modal submissions through signed requests to the bot's own /slack/events,
and live updates. The page (tests/sandbox/test_sandbox_browser.py) only calls these."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.sandbox import eventually
from bot.sandbox.seed import seed_organisation
from tests.support.sandbox_server import SandboxServer, sandbox_server


@pytest.fixture
async def sandbox(sqlite_url: str) -> AsyncIterator[SandboxServer]:
    async with sandbox_server(sqlite_url) as server:
        yield server


def _texts(state: dict[str, Any], channel: str) -> list[str]:
    return [m["text"] for m in state["messages"][channel]]


def _find(state: dict[str, Any], channel: str, needle: str) -> dict[str, Any] | None:
    for message in state["messages"].get(channel, []):
        if needle in str(message["blocks"]) or needle in message["text"]:
            return message
    return None


async def test_the_page_and_the_seeded_workspace(sandbox: SandboxServer) -> None:
    page = await sandbox.http.get("/sandbox")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "/sandbox/static/app.js" in page.text
    script = await sandbox.http.get("/sandbox/static/app.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]

    info = (await sandbox.http.get("/sandbox/api/workspace")).json()
    roles = {p["id"]: p["roles"] for p in info["people"]}
    assert roles["UALICE"] == ["admin"]
    assert roles["UCAROL"] == ["approver:marketing"]
    assert sorted(roles["UOLIVIA"]) == ["operator:app", "operator:web"]
    assert roles["UNINA"] == []
    assert {p["id"]: p["language"] for p in info["people"]}["UZHANG"] == "zh-CN"
    assert "/req" in {c["command"] for c in info["commands"]}
    assert info["texts"]["zh-CN"]["sandbox.only_you"] == "仅你可见"

    state = await sandbox.state("UBOB")
    kinds = [(c["name"], c["kind"]) for c in state["channels"]]
    assert ("marketing", "channel") in kinds and kinds[-1][1] == "im"
    assert state["modals"] == []

    # Seeding twice changes nothing: the organisation exists already.
    assert await seed_organisation(sandbox.container) is False


async def test_the_page_ships_its_own_chinese_font(sandbox: SandboxServer) -> None:
    css = (await sandbox.http.get("/sandbox/static/sandbox.css")).text
    assert 'url("/sandbox/api/fonts/cjk")' in css
    font = await sandbox.http.get("/sandbox/api/fonts/cjk")
    assert font.status_code == 200
    assert font.headers["content-type"] == "font/collection"
    assert font.content[:4] == b"ttcf"  # an OpenType collection, as the CSS declares


async def test_ephemeral_answers_reach_only_the_person_who_typed(sandbox: SandboxServer) -> None:
    answer = await sandbox.act("command", user="UBOB", channel="CMARKETING", text="/platops whoami")
    assert answer.status_code == 200, answer.text
    bob = await sandbox.state("UBOB")
    (mine,) = [m for m in bob["messages"]["CMARKETING"] if m["ephemeral"]]
    assert "member:marketing" in mine["text"]
    carol = await sandbox.state("UCAROL")
    assert carol["messages"]["CMARKETING"] == []

    unknown = await sandbox.act("command", user="UBOB", channel="CMARKETING", text="/nope x")
    assert unknown.status_code == 422
    assert "/nope is not a valid command" in unknown.json()["error"]
    stranger = await sandbox.act("command", user="UNOBODY", channel="CMARKETING", text="/req")
    assert stranger.status_code == 404
    assert len((await sandbox.state("UBOB"))["messages"]["CMARKETING"]) == 1


async def test_submit_approve_and_the_card_updates_in_place(sandbox: SandboxServer) -> None:
    fake = sandbox.fake
    await sandbox.act("command", user="UBOB", channel="CMARKETING", text="/req new")
    (modal,) = (await sandbox.state("UBOB"))["modals"]
    assert modal["title"]["text"] == "New requirement"
    values = {
        "title.title": "Checkout with Alipay",
        "description.description": "Let buyers pay with Alipay.",
        "justification.justification": "Customers in China ask for it.",
        "wanted_by.wanted_by": "2020-01-01",
    }
    # Slack's client refuses to submit an empty required input: a clear 422, nothing sent.
    refused = await sandbox.act("submit", user="UBOB", view_id=modal["id"], values={})
    assert refused.status_code == 422 and "required" in refused.json()["detail"]

    await sandbox.act("submit", user="UBOB", view_id=modal["id"], values=values)
    (still_open,) = (await sandbox.state("UBOB"))["modals"]
    assert still_open["id"] == modal["id"]
    assert "past" in still_open["errors"]["wanted_by"]
    assert still_open["state_values"]["title"]["title"]["value"] == "Checkout with Alipay"
    assert not any(m.channel == "CMARKETING" for m in fake.messages)

    values["wanted_by.wanted_by"] = "2099-06-01"
    await sandbox.act("submit", user="UBOB", view_id=modal["id"], values=values)
    assert (await sandbox.state("UBOB"))["modals"] == []

    async def posted(user: str, channel: str) -> dict[str, Any]:
        async def check() -> dict[str, Any] | None:
            state = await sandbox.state(user)
            channel_id = channel if channel != "dm" else state["channels"][-1]["id"]
            return _find(state, channel_id, "Checkout with Alipay")

        for _ in range(100):
            found = await check()
            if found:
                return found
            await asyncio.sleep(0.05)
        raise AssertionError(f"nothing about the requirement in {channel} for {user}")

    card = await posted("UBOB", "CMARKETING")
    request = await posted("UCAROL", "dm")
    carol_dm = (await sandbox.state("UCAROL"))["channels"][-1]["id"]
    approve = {
        "user": "UCAROL",
        "action_id": "req.approve",
        "location": {"kind": "message", "channel": carol_dm, "ts": request["ts"]},
    }
    # A double click: both arrive before anything is updated; only one vote counts.
    clicks = await asyncio.gather(
        sandbox.act("action", **approve), sandbox.act("action", **approve)
    )
    assert all(click.status_code == 200 and click.json()["ok"] for click in clicks)

    async def card_approved() -> dict[str, Any] | None:
        state = await sandbox.state("UBOB")
        now = _find(state, "CMARKETING", "Checkout with Alipay")
        if now and now["ts"] == card["ts"] and now["edited"] and "Design" in str(now):
            return now
        return None

    for _ in range(100):
        if updated := await card_approved():
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the channel card was not updated in place")
    assert len([m for m in fake.messages if m.channel == "CMARKETING"]) == 1
    assert str(updated["blocks"]).count("Approved (round 1)") == 1
    assert fake.warnings == []


async def test_the_stream_announces_changes_made_elsewhere(sandbox: SandboxServer) -> None:
    seen: list[str] = []

    async def listen() -> None:
        async with sandbox.http.stream("GET", "/sandbox/api/events") as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            async for line in response.aiter_lines():
                if line.startswith("data:"):
                    seen.append(line)
                    if len(seen) >= 2:
                        return

    task = asyncio.create_task(listen())
    await eventually(lambda: seen, within=5, what="the stream's hello")
    # The scheduler or the API making the bot post looks the same: a Web API call on the fake.
    sandbox.fake.api("chat.postMessage", channel="CGENERAL", text="from the scheduler")
    await asyncio.wait_for(task, timeout=5)
    assert len(seen) == 2


async def test_app_home_and_report_charts(sandbox: SandboxServer) -> None:
    opened = await sandbox.act("home", user="UALICE")
    assert opened.status_code == 200
    state = await eventually(lambda: sandbox.fake.home_views.get("UALICE"), what="home published")
    assert state.blocks
    assert (await sandbox.state("UALICE"))["home"]["blocks"] == state.blocks

    await sandbox.act("command", user="UALICE", channel="CREPORTS", text="/report now daily here")
    chart = await eventually(
        lambda: next((m for m in sandbox.fake.messages if m.files), None),
        within=30,
        what="the report chart",
    )
    entry = _find(await sandbox.state("UALICE"), "CREPORTS", "") or {}
    files = [f for m in (await sandbox.state("UALICE"))["messages"]["CREPORTS"] for f in m["files"]]
    assert files and files[0]["is_image"], entry
    image = await sandbox.http.get(f"/sandbox/api/{files[0]['url']}")
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG") and chart.files == [files[0]["id"]]
