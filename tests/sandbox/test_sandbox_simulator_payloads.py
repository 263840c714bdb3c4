"""What the simulator sends: signatures, and payloads in Slack's exact shapes."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import pytest
from litestar import Litestar, Request, Response, post
from slack_sdk.signature import SignatureVerifier

from bot.sandbox import FakeSlack, SlackSimulator, serve_asgi

SECRET = "sandbox-signing-secret"


@dataclass
class Recorder:
    """Stands in for the bot: records each request and answers with ``reply``."""

    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    reply: tuple[int, Any] = (200, None)

    def app(self) -> Litestar:
        @post("/slack/events", status_code=200)
        async def events(request: Request[Any, Any, Any]) -> Response[Any]:
            self.requests.append((dict(request.headers), await request.body()))
            status, body = self.reply
            return Response(content=body if body is not None else b"", status_code=status)

        return Litestar(route_handlers=[events])

    def payload(self, index: int = -1) -> dict[str, Any]:
        headers, body = self.requests[index]
        form = parse_qs(body.decode())
        if headers["content-type"].startswith("application/json"):
            decoded: dict[str, Any] = json.loads(body)
        elif "payload" in form:
            decoded = json.loads(form["payload"][0])
        else:
            decoded = {k: v[0] for k, v in form.items()}
        return decoded


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def sim(fake: FakeSlack, recorder: Recorder, slack_url: str) -> AsyncIterator[SlackSimulator]:
    async with (
        serve_asgi(recorder.app()) as bot_url,
        SlackSimulator(fake, f"{bot_url}/slack/events", SECRET, slack_url) as sim,
    ):
        yield sim


def verify(recorder: Recorder, index: int = -1) -> bool:
    headers, body = recorder.requests[index]
    return SignatureVerifier(SECRET).is_valid(
        body=body.decode(),
        timestamp=headers["x-slack-request-timestamp"],
        signature=headers["x-slack-signature"],
    )


async def test_signatures_verify_with_slack_sdk(sim: SlackSimulator, recorder: Recorder) -> None:
    await sim.command("U1ALICE", "/req", "new")
    assert verify(recorder)
    await sim.command("U1ALICE", "/req", "new", sign="bad")
    assert not verify(recorder)
    await sim.command("U1ALICE", "/req", "new", sign="stale")
    assert not verify(recorder)
    # Stale means well signed but too old: the signature matches the old timestamp.
    headers, body = recorder.requests[-1]
    assert int(headers["x-slack-request-timestamp"]) < time.time() - 5 * 60
    assert sim.signature(headers["x-slack-request-timestamp"], body) == headers["x-slack-signature"]


async def test_slash_command_payload(
    sim: SlackSimulator, recorder: Recorder, fake: FakeSlack
) -> None:
    await sim.command("U1ALICE", "/req", "new thing", channel_id="C0OPSWEB")
    payload = recorder.payload()
    assert payload["command"] == "/req"
    assert payload["text"] == "new thing"
    assert payload["user_id"] == "U1ALICE"
    assert payload["channel_id"] == "C0OPSWEB"
    assert payload["channel_name"] == "ops-web"
    assert payload["team_id"] == fake.team_id
    assert payload["response_url"].startswith(sim.response_base_url + "/response/")
    assert fake.consume_trigger(payload["trigger_id"]) == "U1ALICE"


async def test_command_ack_becomes_ephemeral_or_channel_message(
    sim: SlackSimulator, recorder: Recorder, fake: FakeSlack
) -> None:
    recorder.reply = (200, {"text": "Usage: /req new"})
    await sim.command("U1ALICE", "/req", "help", channel_id="C0OPSWEB")
    assert [e.text for e in fake.ephemerals_for("U1ALICE")] == ["Usage: /req new"]
    recorder.reply = (200, {"response_type": "in_channel", "text": "Shared"})
    await sim.command("U1ALICE", "/req", "share", channel_id="C0OPSWEB")
    assert fake.last_message("C0OPSWEB").text == "Shared"  # type: ignore[union-attr]


ALL_INPUTS = [
    ("summary", {"type": "plain_text_input", "action_id": "text"}),
    ("email", {"type": "email_text_input", "action_id": "email"}),
    ("link", {"type": "url_text_input", "action_id": "url"}),
    ("count", {"type": "number_input", "action_id": "n", "is_decimal_allowed": False}),
    (
        "env",
        {
            "type": "static_select",
            "action_id": "env",
            "options": [
                {"text": {"type": "plain_text", "text": "Prod"}, "value": "prod"},
                {"text": {"type": "plain_text", "text": "Staging"}, "value": "staging"},
            ],
        },
    ),
    (
        "envs",
        {
            "type": "multi_static_select",
            "action_id": "envs",
            "options": [
                {"text": {"type": "plain_text", "text": "Prod"}, "value": "prod"},
                {"text": {"type": "plain_text", "text": "Staging"}, "value": "staging"},
            ],
        },
    ),
    ("owner", {"type": "users_select", "action_id": "owner"}),
    ("reviewers", {"type": "multi_users_select", "action_id": "reviewers"}),
    ("conv", {"type": "conversations_select", "action_id": "conv"}),
    ("chan", {"type": "channels_select", "action_id": "chan"}),
    ("due", {"type": "datepicker", "action_id": "due"}),
    ("at", {"type": "timepicker", "action_id": "at"}),
    (
        "flags",
        {
            "type": "checkboxes",
            "action_id": "flags",
            "options": [{"text": {"type": "mrkdwn", "text": "*urgent*"}, "value": "urgent"}],
        },
    ),
    (
        "size",
        {
            "type": "radio_buttons",
            "action_id": "size",
            "options": [{"text": {"type": "plain_text", "text": "S"}, "value": "s"}],
            "initial_option": {"text": {"type": "plain_text", "text": "S"}, "value": "s"},
        },
    ),
    ("note", {"type": "plain_text_input", "action_id": "note", "max_length": 5}),
]


def all_inputs_modal() -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "everything",
        "title": {"type": "plain_text", "text": "Everything"},
        "submit": {"type": "plain_text", "text": "Send"},
        "notify_on_close": True,
        "blocks": [
            {
                "type": "input",
                "block_id": block_id,
                "optional": block_id in ("note", "flags"),
                "label": {"type": "plain_text", "text": block_id},
                "element": element,
            }
            for block_id, element in ALL_INPUTS
        ],
    }


def open_view(fake: FakeSlack, user: str, view: dict[str, Any]) -> str:
    answer = fake.api("views.open", trigger_id=fake.issue_trigger_id(user), view=view)
    assert answer["ok"], answer
    return str(answer["view"]["id"])


async def test_view_submission_state_shapes(
    sim: SlackSimulator, recorder: Recorder, fake: FakeSlack
) -> None:
    view_id = open_view(fake, "U1ALICE", all_inputs_modal())
    values = {
        "text": "Upgrade web",
        "email": "a@example.com",
        "url": "https://example.com",
        "n": 3,
        "env": "prod",
        "envs": ["prod", "staging"],
        "owner": "U1ALICE",
        "reviewers": ["U2BOB"],
        "conv": "C0OPSWEB",
        "chan": "C0OPSWEB",
        "due": "2024-05-01",
        "at": "09:30",
    }
    await sim.submit("U1ALICE", view_id, values)
    payload = recorder.payload()
    assert payload["type"] == "view_submission"
    assert payload["view"]["callback_id"] == "everything"
    state = payload["view"]["state"]["values"]
    prod = {"text": {"type": "plain_text", "text": "Prod"}, "value": "prod"}
    staging = {"text": {"type": "plain_text", "text": "Staging"}, "value": "staging"}
    assert state == {
        "summary": {"text": {"type": "plain_text_input", "value": "Upgrade web"}},
        "email": {"email": {"type": "email_text_input", "value": "a@example.com"}},
        "link": {"url": {"type": "url_text_input", "value": "https://example.com"}},
        "count": {"n": {"type": "number_input", "value": "3"}},
        "env": {"env": {"type": "static_select", "selected_option": prod}},
        "envs": {"envs": {"type": "multi_static_select", "selected_options": [prod, staging]}},
        "owner": {"owner": {"type": "users_select", "selected_user": "U1ALICE"}},
        "reviewers": {"reviewers": {"type": "multi_users_select", "selected_users": ["U2BOB"]}},
        "conv": {"conv": {"type": "conversations_select", "selected_conversation": "C0OPSWEB"}},
        "chan": {"chan": {"type": "channels_select", "selected_channel": "C0OPSWEB"}},
        "due": {"due": {"type": "datepicker", "selected_date": "2024-05-01"}},
        "at": {"at": {"type": "timepicker", "selected_time": "09:30"}},
        "flags": {"flags": {"type": "checkboxes", "selected_options": []}},
        "size": {
            "size": {
                "type": "radio_buttons",
                "selected_option": {"text": {"type": "plain_text", "text": "S"}, "value": "s"},
            }
        },
        "note": {"note": {"type": "plain_text_input", "value": None}},
    }
    assert fake.open_modal("U1ALICE") is None  # the empty 200 closed it


async def test_submit_refuses_what_a_user_could_not_do(
    sim: SlackSimulator, fake: FakeSlack
) -> None:
    view_id = open_view(fake, "U1ALICE", all_inputs_modal())
    with pytest.raises(AssertionError, match="required inputs left empty"):
        await sim.submit("U1ALICE", view_id, {"text": "only this"})
    with pytest.raises(AssertionError, match="has no option 'prod-eu'"):
        await sim.submit("U1ALICE", view_id, {"env": "prod-eu"})
    with pytest.raises(AssertionError, match="at most 5 characters"):
        await sim.submit("U1ALICE", view_id, {"note": "too long"})
    with pytest.raises(AssertionError, match="no element 'nope'"):
        await sim.submit("U1ALICE", view_id, {"nope": "x"})


async def test_click_payload_for_a_message_button(
    sim: SlackSimulator, recorder: Recorder, fake: FakeSlack
) -> None:
    blocks = [
        {
            "type": "actions",
            "block_id": "req_7",
            "elements": [
                {"type": "button", "action_id": "approve", "value": "7", "style": "primary",
                 "text": {"type": "plain_text", "text": "Approve"}},
                {"type": "static_select", "action_id": "assign", "options": [
                    {"text": {"type": "plain_text", "text": "Me"}, "value": "me"}]},
            ],
        },
        {
            "type": "actions",
            "block_id": "req_8",
            "elements": [{"type": "button", "action_id": "approve", "value": "8",
                          "text": {"type": "plain_text", "text": "Approve"}}],
        },
    ]  # fmt: skip
    fake.api("chat.postMessage", channel="C0OPSWEB", text="Requests", blocks=blocks)
    message = fake.last_message("C0OPSWEB")
    assert message is not None
    with pytest.raises(AssertionError, match="several blocks"):
        await sim.click("U2BOB", "approve", message=message)
    with pytest.raises(AssertionError, match="no element with action_id 'reject'"):
        await sim.click("U2BOB", "reject", message=message)
    await sim.click("U2BOB", "approve", message=message, value="8")
    payload = recorder.payload()
    assert payload["type"] == "block_actions"
    assert payload["container"] == {
        "type": "message",
        "message_ts": message.ts,
        "channel_id": "C0OPSWEB",
        "is_ephemeral": False,
    }
    assert payload["message"]["ts"] == message.ts
    assert payload["channel"] == {"id": "C0OPSWEB", "name": "ops-web"}
    action = payload["actions"][0]
    assert action["action_id"] == "approve"
    assert action["block_id"] == "req_8"
    assert action["value"] == "8"
    assert action["text"]["text"] == "Approve"
    assert payload["state"]["values"] == {
        "req_7": {"assign": {"type": "static_select", "selected_option": None}}
    }
    assert payload["response_url"].startswith(sim.response_base_url)
    await sim.click("U2BOB", "assign", message=message, selected_option_value="me")
    action = recorder.payload()["actions"][0]
    assert action["selected_option"]["value"] == "me"


async def test_close_sends_view_closed_only_when_asked(
    sim: SlackSimulator, recorder: Recorder, fake: FakeSlack
) -> None:
    quiet = all_inputs_modal() | {"notify_on_close": False}
    assert await sim.close("U1ALICE", open_view(fake, "U1ALICE", quiet)) is None
    assert recorder.requests == []
    view_id = open_view(fake, "U1ALICE", all_inputs_modal())
    response = await sim.close("U1ALICE", view_id, all_views=True)
    assert response is not None
    assert recorder.payload()["type"] == "view_closed"
    assert recorder.payload()["is_cleared"] is True
    assert fake.open_modal("U1ALICE") is None


async def test_events_carry_ids_and_retry_headers(
    sim: SlackSimulator, recorder: Recorder, fake: FakeSlack
) -> None:
    await sim.open_home("U1ALICE", event_id="Ev0001", retry_num=1)
    headers, _ = recorder.requests[-1]
    assert headers["x-slack-retry-num"] == "1"
    assert headers["x-slack-retry-reason"] == "http_timeout"
    envelope = recorder.payload()
    assert envelope["type"] == "event_callback"
    assert envelope["event_id"] == "Ev0001"
    assert envelope["event"]["type"] == "app_home_opened"
    assert envelope["event"]["channel"].startswith("D")
    assert verify(recorder)
    await sim.say("U2BOB", "U2BOB", "hello bot")
    event = recorder.payload()["event"]
    assert event["channel_type"] == "im"
    assert fake.last_message("U2BOB").text == "hello bot"  # type: ignore[union-attr]


async def test_click_in_an_ephemeral_message(
    sim: SlackSimulator, recorder: Recorder, fake: FakeSlack
) -> None:
    button = {"type": "button", "action_id": "undo", "text": {"type": "plain_text", "text": "Undo"}}
    blocks = [{"type": "actions", "block_id": "b", "elements": [button]}]
    fake.api("chat.postEphemeral", channel="C0OPSWEB", user="U1ALICE", text="Saved", blocks=blocks)
    ephemeral = fake.ephemerals_for("U1ALICE")[0]
    await sim.click("U1ALICE", "undo", message=ephemeral)
    payload = recorder.payload()
    assert payload["container"]["is_ephemeral"] is True
    assert "message" not in payload
    token = payload["response_url"].rsplit("/", 1)[1]
    fake.post_to_response_url(token, {"replace_original": True, "text": "Undone"})
    assert [e.text for e in fake.ephemerals_for("U1ALICE")] == ["Undone"]


async def test_click_in_home_tab_and_modal_keeps_view_state(
    sim: SlackSimulator, recorder: Recorder, fake: FakeSlack
) -> None:
    picker = {"type": "users_select", "action_id": "who"}
    refresh = {
        "type": "button",
        "action_id": "refresh",
        "text": {"type": "plain_text", "text": "R"},
    }
    home = {"type": "home", "blocks": [{"type": "actions", "elements": [picker, refresh]}]}
    view_id = fake.api("views.publish", user_id="U1ALICE", view=home)["view"]["id"]
    await sim.click("U1ALICE", "who", view_id=view_id, value="U2BOB")
    payload = recorder.payload()
    assert payload["container"] == {"type": "view", "view_id": view_id}
    assert payload["actions"][0]["selected_user"] == "U2BOB"
    await sim.click("U1ALICE", "refresh", view_id=view_id)
    block_id = fake.home_views["U1ALICE"].blocks[0]["block_id"]
    expected = {block_id: {"who": {"type": "users_select", "selected_user": "U2BOB"}}}
    assert recorder.payload()["view"]["state"]["values"] == expected
    with pytest.raises(AssertionError, match="not the top modal view"):
        await sim.click("U2BOB", "refresh", view_id=view_id)
