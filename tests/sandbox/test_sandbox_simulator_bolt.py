"""End to end: a slack-bolt AsyncApp served over HTTP, talking to the fake through slack_sdk,
driven by the simulator. This is the pattern the project's own end-to-end tests follow."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_bolt.adapter.asgi.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.sandbox import FakeSlack, SlackSimulator, eventually, serve_asgi

SECRET = "sandbox-signing-secret"


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def request_modal(title: str = "New request") -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "req_new",
        "notify_on_close": True,
        "title": plain(title),
        "submit": plain("Create"),
        "blocks": [
            {
                "type": "input",
                "block_id": "summary",
                "label": plain("Summary"),
                "element": {"type": "plain_text_input", "action_id": "value"},
            }
        ],
    }


def build_bot(
    fake: FakeSlack, api_url: str, seen: list[str], process_before_response: bool = True
) -> AsyncApp:
    app = AsyncApp(
        client=AsyncWebClient(token=fake.bot_token, base_url=api_url),
        signing_secret=SECRET,
        # True: listeners finish before the HTTP answer, so tests can assert right after a step.
        process_before_response=process_before_response,
    )

    @app.command("/req")
    async def req(ack, body, client, command) -> None:  # type: ignore[no-untyped-def]
        if command["text"] == "new":
            await ack()
            await client.views_open(trigger_id=body["trigger_id"], view=request_modal())
        else:
            await ack(text="Usage: /req new")

    @app.view("req_new")
    async def submitted(ack, view, body, client) -> None:  # type: ignore[no-untyped-def]
        summary = view["state"]["values"]["summary"]["value"]["value"]
        if len(summary) < 5:
            await ack(response_action="errors", errors={"summary": "Too short"})
        elif summary == "push more":
            await ack(response_action="push", view=request_modal("Details"))
        elif summary == "rename it":
            await ack(response_action="update", view=request_modal("Renamed"))
        elif summary == "clear all":
            await ack(response_action="clear")
        else:
            await ack()
            user = body["user"]["id"]
            await client.chat_postMessage(
                channel="#ops-web",
                text=f"New request: {summary}",
                blocks=[
                    {"type": "section", "text": {"type": "mrkdwn", "text": f"*{summary}*"}},
                    {
                        "type": "actions",
                        "block_id": "decide",
                        "elements": [
                            {
                                "type": "button",
                                "action_id": "approve",
                                "value": user,
                                "text": plain("Approve"),
                            }
                        ],
                    },
                ],
            )

    @app.view_closed("req_new")
    async def closed(ack, body) -> None:  # type: ignore[no-untyped-def]
        await ack()
        seen.append(f"closed:{body['is_cleared']}")

    @app.action("approve")
    async def approve(ack, body, respond) -> None:  # type: ignore[no-untyped-def]
        await ack()
        await respond(replace_original=True, text=f"Approved by <@{body['user']['id']}>")

    @app.event("app_home_opened")
    async def home(event, client) -> None:  # type: ignore[no-untyped-def]
        seen.append("home")
        await client.views_publish(
            user_id=event["user"],
            view={
                "type": "home",
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Welcome"}}],
            },
        )

    return app


@pytest.fixture
def seen() -> list[str]:
    return []


@pytest.fixture(params=[True], ids=["process_before_response"])
async def sim(
    request: pytest.FixtureRequest, fake: FakeSlack, slack_url: str, seen: list[str]
) -> AsyncIterator[SlackSimulator]:
    bot = build_bot(fake, f"{slack_url}/api/", seen, process_before_response=request.param)
    async with (
        serve_asgi(AsyncSlackRequestHandler(bot)) as bot_url,
        SlackSimulator(fake, f"{bot_url}/slack/events", SECRET, slack_url) as sim,
    ):
        yield sim


async def test_request_flow_from_command_to_approval(sim: SlackSimulator, fake: FakeSlack) -> None:
    response = await sim.command("U1ALICE", "/req", "help")
    assert response.status == 200
    assert [e.text for e in fake.ephemerals_for("U1ALICE")] == ["Usage: /req new"]

    await sim.command("U1ALICE", "/req", "new", channel_id="C0OPSWEB")
    view = fake.open_modal("U1ALICE")
    assert view is not None
    assert view.callback_id == "req_new"

    await sim.submit("U1ALICE", view.id, {"value": "tiny"})
    assert fake.open_modal("U1ALICE") is view
    assert view.errors == {"summary": "Too short"}

    await sim.submit("U1ALICE", view.id, {"summary.value": "Upgrade the web tier"})
    assert fake.open_modal("U1ALICE") is None
    posted = fake.find_message("Upgrade the web tier", channel="C0OPSWEB")
    assert posted is not None

    await sim.click("U2BOB", "approve", message=posted)
    assert posted.text == "Approved by <@U2BOB>"
    assert [post.outcome for post in fake.response_url_posts] == ["replaced"]


async def test_response_actions_update_push_and_clear(
    sim: SlackSimulator, fake: FakeSlack, seen: list[str]
) -> None:
    await sim.command("U1ALICE", "/req", "new")
    root = fake.open_modal("U1ALICE")
    assert root is not None
    await sim.submit("U1ALICE", root.id, {"value": "rename it"})
    assert fake.open_modal("U1ALICE") is root
    assert root.title == "Renamed"

    await sim.submit("U1ALICE", root.id, {"value": "push more"})
    pushed = fake.open_modal("U1ALICE")
    assert pushed is not None
    assert pushed.title == "Details"
    assert pushed.root_view_id == root.id

    await sim.submit("U1ALICE", pushed.id, {"value": "clear all"})
    assert fake.open_modal("U1ALICE") is None
    assert fake.warnings == []


async def test_closing_notifies_the_bot(
    sim: SlackSimulator, fake: FakeSlack, seen: list[str]
) -> None:
    await sim.command("U1ALICE", "/req", "new")
    view = fake.open_modal("U1ALICE")
    assert view is not None
    response = await sim.close("U1ALICE", view.id)
    assert response is not None
    assert response.status == 200
    assert seen == ["closed:False"]


async def test_home_tab_and_signature_checks(
    sim: SlackSimulator, fake: FakeSlack, seen: list[str]
) -> None:
    await sim.open_home("U1ALICE")
    assert fake.home_views["U1ALICE"].all_text == "Welcome"
    assert (await sim.open_home("U1ALICE", sign="bad")).status == 401
    assert (await sim.open_home("U1ALICE", sign="stale")).status == 401
    assert seen == ["home"]


async def test_trigger_expires_if_the_bot_is_too_slow(
    sim: SlackSimulator, fake: FakeSlack, clock: Any
) -> None:
    original = fake.issue_trigger_id

    def slow_trigger(user_id: str | None = None) -> str:
        trigger = original(user_id)
        clock.advance(4)
        return trigger

    fake.issue_trigger_id = slow_trigger  # type: ignore[method-assign]
    await sim.command("U1ALICE", "/req", "new")
    assert fake.open_modal("U1ALICE") is None
    assert fake.calls_to("views.open")[-1].error == "expired_trigger_id"


@pytest.mark.parametrize("sim", [False], indirect=True, ids=["ack_first"])
async def test_bot_that_acks_first_is_awaited_with_eventually(
    sim: SlackSimulator, fake: FakeSlack
) -> None:
    await sim.command("U1ALICE", "/req", "new")
    view = await eventually(lambda: fake.open_modal("U1ALICE"), what="request modal")
    await sim.submit("U1ALICE", view.id, {"value": "Rotate the TLS certificates"})
    posted = await eventually(lambda: fake.find_message("Rotate the TLS", channel="C0OPSWEB"))
    await sim.click("U2BOB", "approve", message=posted)
    await eventually(lambda: posted.text.startswith("Approved"), what="approval edit")
