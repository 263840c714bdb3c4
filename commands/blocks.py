"""Small Block Kit constructors shared by every area's views (plain dicts, truncated to limits)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

Block = dict[str, Any]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(text: str, limit: int = 3000) -> dict[str, Any]:
    return {"type": "plain_text", "text": _cut(text, limit) or " ", "emoji": True}


def mrkdwn(text: str, limit: int = 3000) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": _cut(text, limit) or " "}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, 150)}


def section(
    text: str,
    *,
    accessory: Block | None = None,
    block_id: str | None = None,
    fields: list[str] | None = None,
) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if fields:
        block["fields"] = [mrkdwn(f, 2000) for f in fields[:10]]
    if accessory:
        block["accessory"] = accessory
    if block_id:
        block["block_id"] = block_id
    return block


def fields_section(fields: list[str]) -> Block:
    return {"type": "section", "fields": [mrkdwn(f, 2000) for f in fields[:10]]}


def divider() -> Block:
    return {"type": "divider"}


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(t, 3000) for t in texts[:10]]}


def button(
    text: str,
    action_id: str,
    value: str = "",
    *,
    style: str | None = None,
    confirm: Block | None = None,
    url: str | None = None,
) -> Block:
    element: Block = {"type": "button", "text": plain(text, 75), "action_id": action_id}
    if value:
        element["value"] = value[:2000]
    if style in ("primary", "danger"):
        element["style"] = style
    if confirm:
        element["confirm"] = confirm
    if url:
        element["url"] = url
    return element


def actions(*elements: Block, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)[:25]}
    if block_id:
        block["block_id"] = block_id
    return block


def option(text: str, value: str) -> Block:
    return {"text": plain(text, 75), "value": value[:150]}


def static_select(
    action_id: str,
    options: list[Block],
    *,
    placeholder: str | None = None,
    initial: str | None = None,
) -> Block:
    element: Block = {"type": "static_select", "action_id": action_id, "options": options[:100]}
    if placeholder:
        element["placeholder"] = plain(placeholder, 150)
    if initial is not None:
        chosen = [o for o in options if o["value"] == initial]
        if chosen:
            element["initial_option"] = chosen[0]
    return element


def text_input(
    action_id: str,
    *,
    multiline: bool = False,
    initial: str | None = None,
    max_length: int | None = None,
    placeholder: str | None = None,
) -> Block:
    element: Block = {"type": "plain_text_input", "action_id": action_id, "multiline": multiline}
    if initial:
        element["initial_value"] = initial
    if max_length:
        element["max_length"] = max_length
    if placeholder:
        element["placeholder"] = plain(placeholder, 150)
    return element


def input_block(
    block_id: str, label: str, element: Block, *, optional: bool = False, hint: str | None = None
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def modal(
    callback_id: str,
    title: str,
    blocks: list[Block],
    *,
    submit: str | None = None,
    close: str | None = None,
    private_metadata: str = "",
) -> Block:
    view: Block = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "blocks": blocks[:100],
    }
    if submit:
        view["submit"] = plain(submit, 24)
    if close:
        view["close"] = plain(close, 24)
    if private_metadata:
        view["private_metadata"] = private_metadata[:3000]
    return view


def slack_date(
    moment: datetime,
    fallback_format: str = "%Y-%m-%d %H:%M UTC",
    token: str = "{date_short_pretty} {time}",
) -> str:
    """`<!date^…>` so each reader sees their own timezone (the fallback is UTC)."""
    return f"<!date^{int(moment.timestamp())}^{token}|{moment.strftime(fallback_format)}>"


def user(user_id: str | None) -> str:
    return f"<@{user_id}>" if user_id else "—"


def channel(channel_id: str | None) -> str:
    return f"<#{channel_id}>" if channel_id else "—"
