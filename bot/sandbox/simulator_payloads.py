"""Interaction and event payloads in the shapes Slack sends them."""

from __future__ import annotations

import secrets
from typing import Any

from bot.sandbox.blockkit import iter_elements
from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.models import Channel, Ephemeral, Message, User
from bot.sandbox.simulator_state import STATELESS, apply_values, default_state, selection

# Slack still sends its deprecated verification token; Bolt ignores it when signing is used.
VERIFICATION_TOKEN = "sandbox-verification-token"
Element = tuple[dict[str, Any], dict[str, Any]]


def known_user(fake: FakeSlack, user_id: str) -> User:
    user = fake.users.get(user_id)
    if user is None:
        raise AssertionError(f"unknown user {user_id!r}; add it with fake.add_user() first")
    return user


def channel_name(channel: Channel | None) -> str:
    return "directmessage" if channel is None or channel.is_im else channel.name


def command_form(
    fake: FakeSlack,
    user_id: str,
    channel: Channel,
    command: str,
    text: str,
    response_url: str,
) -> dict[str, str]:
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": fake.team_id,
        "team_domain": fake.team_domain,
        "channel_id": channel.id,
        "channel_name": channel_name(channel),
        "user_id": user_id,
        "user_name": known_user(fake, user_id).name,
        "command": command,
        "text": text,
        "api_app_id": fake.app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": fake.issue_trigger_id(user_id),
    }


def interaction(fake: FakeSlack, kind: str, user_id: str) -> dict[str, Any]:
    """The fields every interactive payload (block_actions, view_submission, ...) carries."""
    user = known_user(fake, user_id)
    return {
        "type": kind,
        "team": {"id": fake.team_id, "domain": fake.team_domain},
        "user": {"id": user.id, "username": user.name, "name": user.name, "team_id": fake.team_id},
        "api_app_id": fake.app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": fake.issue_trigger_id(user_id),
        "is_enterprise_install": False,
        "enterprise": None,
    }


def event_envelope(fake: FakeSlack, event: dict[str, Any], event_id: str | None) -> dict[str, Any]:
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": fake.team_id,
        "api_app_id": fake.app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or "Ev" + secrets.token_hex(5).upper(),
        "event_time": int(fake.now()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": fake.team_id,
                "user_id": fake.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": "4-" + secrets.token_urlsafe(12),
    }


def find_clickable(
    blocks: list[dict[str, Any]], action_id: str, block_id: str | None, value: Any
) -> Element:
    """The element a user would click; fails the test if it is missing or ambiguous."""
    matches = [
        (b, e)
        for b, e in iter_elements(blocks)
        if e.get("action_id") == action_id and block_id in (None, b["block_id"])
    ]
    buttons = [(b, e) for b, e in matches if e["type"] == "button"]
    if value is not None and len(buttons) > 1:
        matches = [(b, e) for b, e in buttons if e.get("value") == value]
    if not matches:
        present = [f"{b['block_id']}.{e['action_id']}" for b, e in iter_elements(blocks)]
        where = f" in block {block_id!r}" if block_id else ""
        raise AssertionError(f"no element with action_id {action_id!r}{where}; present: {present}")
    if len(matches) > 1:
        found = [f"{b['block_id']} (value {e.get('value')!r})" for b, e in matches]
        raise AssertionError(f"action_id {action_id!r} is in several blocks: {found}")
    return matches[0]


def action_object(fake: FakeSlack, found: Element, chosen: Any) -> dict[str, Any]:
    """``actions[0]`` of a block_actions payload for the element and the user's choice."""
    block, element = found
    action: dict[str, Any] = {
        "type": element["type"],
        "action_id": element["action_id"],
        "block_id": block["block_id"],
        "action_ts": f"{fake.now():.6f}",
    }
    if element["type"] == "button":
        action.update({k: element[k] for k in ("text", "value", "style", "url") if k in element})
        return action
    if "placeholder" in element:
        action["placeholder"] = element["placeholder"]
    action.update(selection(element, chosen))
    return action


def element_key(found: Element) -> str:
    return f"{found[0]['block_id']}.{found[1]['action_id']}"


def message_context(
    fake: FakeSlack,
    message: Message | Ephemeral,
    found: Element,
    chosen: Any,
    response_url: str,
) -> dict[str, Any]:
    """container/channel/message/state/response_url of a click in a message."""
    state = default_state(message.blocks)
    if found[1]["type"] not in STATELESS:
        state = apply_values(message.blocks, state, {element_key(found): chosen})
    ephemeral = isinstance(message, Ephemeral)
    container: dict[str, Any] = {
        "type": "message",
        "message_ts": message.ts,
        "channel_id": message.channel,
        "is_ephemeral": ephemeral,
    }
    if message.thread_ts:
        container["thread_ts"] = message.thread_ts
    context: dict[str, Any] = {
        "container": container,
        "channel": {
            "id": message.channel,
            "name": channel_name(fake.channels.get(message.channel)),
        },
        "state": {"values": state},
        "response_url": response_url,
    }
    # Slack does not echo ephemeral messages back in the payload.
    if isinstance(message, Message):
        context["message"] = message.to_slack(fake.team_id)
    return context
