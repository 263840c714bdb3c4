"""Socket Mode: the same Bolt app answers Slack over a WebSocket (no public URL needed)."""

import asyncio

import pytest
from slack_sdk.errors import SlackApiError

from bot.app import connect_socket_mode


def slash_payload(h, user_id: str, text: str) -> dict:
    return {
        "token": "unused-in-socket-mode",
        "team_id": h.fake.team_id,
        "team_domain": "sandbox",
        "channel_id": "CGENERAL",
        "channel_name": "general",
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": "/platops",
        "text": text,
        "api_app_id": h.fake.app_id,
        "response_url": f"{h.slack_url}/slack/response/none",
        "trigger_id": h.fake.issue_trigger_id(user_id),
    }


async def test_a_slash_command_is_answered_over_the_socket(seeded):
    handler = await connect_socket_mode(seeded.container.extras["bolt"], seeded.fake.app_token)
    try:
        await asyncio.wait_for(seeded.fake.socket_mode.connected.wait(), 10)
        answer = await seeded.fake.socket_mode.push(
            "slash_commands", slash_payload(seeded, "UCAROL", "whoami")
        )
        assert "approver:marketing" in answer["text"]
        # A state change over the socket is the same use case: audited, the Home refreshed.
        await seeded.fake.socket_mode.push(
            "slash_commands", slash_payload(seeded, "UALICE", "role grant <@UNINA> engineer")
        )
        async with seeded.container.reader() as uow:
            assert {g.role.value for g in await uow.people.grants_of("UNINA")} == {"engineer"}
    finally:
        await handler.close_async()


def carols_home_publishes(h) -> int:
    return sum(1 for c in h.fake.calls_to("views.publish") if c.args.get("user_id") == "UCAROL")


async def test_events_arrive_over_the_socket_and_retries_change_nothing(seeded):
    """Socket Mode marks a first delivery with retry 0 (it must be handled) and redeliveries
    with 1, 2, … (already handled: acknowledged and ignored)."""
    handler = await connect_socket_mode(seeded.container.extras["bolt"], seeded.fake.app_token)
    home_opened = {
        "team_id": seeded.fake.team_id,
        "api_app_id": seeded.fake.app_id,
        "type": "event_callback",
        "event_id": "Ev0SOCKET",
        "event_time": 1,
        "event": {"type": "app_home_opened", "user": "UCAROL", "tab": "home", "channel": "D1"},
    }
    try:
        await asyncio.wait_for(seeded.fake.socket_mode.connected.wait(), 10)
        await seeded.settle()
        published = carols_home_publishes(seeded)
        await seeded.fake.socket_mode.push("events_api", home_opened, retry_attempt=0)
        await seeded.settle()
        assert carols_home_publishes(seeded) == published + 1
        await seeded.fake.socket_mode.push("events_api", home_opened, retry_attempt=1)
        await seeded.settle()
        assert carols_home_publishes(seeded) == published + 1
    finally:
        await handler.close_async()


async def test_the_app_token_is_checked(seeded):
    with pytest.raises(SlackApiError, match="invalid_auth"):
        await seeded.container.slack.apps_connections_open(app_token="xapp-1-wrong")
