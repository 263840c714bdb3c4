"""What one person sees in the sandbox page, as JSON: their channels and DMs with the messages
visible to them (their own ephemerals included), their open modal stack and their App Home.

Read straight from the fake Slack's records, so the page shows exactly what the bot sent.
"""

from __future__ import annotations

from typing import Any

from bot.i18n import language_for
from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.models import Channel, Ephemeral, FakeFile, Message, User, View

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")


def person(user: User, roles: list[str]) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "real_name": user.real_name,
        "tz": user.tz,
        "locale": user.locale,
        "language": language_for(user.locale),
        "roles": roles,
    }


def file_json(upload: FakeFile) -> dict[str, Any]:
    return {
        "id": upload.id,
        "name": upload.filename,
        "title": upload.title or upload.filename,
        "url": f"files/{upload.id}",
        "is_image": upload.filename.lower().endswith(IMAGE_SUFFIXES),
        "alt": upload.alt_txt or upload.title or upload.filename,
    }


def _message(fake: FakeSlack, message: Message) -> dict[str, Any]:
    files = [fake.files[file_id] for file_id in message.files if file_id in fake.files]
    return {
        "ts": message.ts,
        "user": message.user,
        "text": message.text,
        "blocks": message.blocks,
        "thread_ts": message.thread_ts if message.thread_ts != message.ts else None,
        "edited": bool(message.edits),
        "version": len(message.edits),
        "files": [file_json(upload) for upload in files],
        "ephemeral": False,
    }


def _ephemeral(ephemeral: Ephemeral) -> dict[str, Any]:
    return {
        "ts": ephemeral.ts,
        "user": None,
        "text": ephemeral.text,
        "blocks": ephemeral.blocks,
        "thread_ts": ephemeral.thread_ts,
        "edited": False,
        "version": 0,
        "files": [],
        "ephemeral": True,
    }


def _modal(view: View) -> dict[str, Any]:
    payload = view.payload
    return {
        "id": view.id,
        "hash": view.hash,
        "callback_id": view.callback_id,
        "title": payload.get("title"),
        "submit": payload.get("submit"),
        "close": payload.get("close"),
        "blocks": view.blocks,
        "errors": view.errors,
        "state_values": view.state_values,
    }


def visible_channels(fake: FakeSlack, user_id: str) -> list[Channel]:
    """Channels the person is in, then their DM with the bot (opened so it is always there)."""
    channels = [
        channel
        for channel in fake.channels.values()
        if not channel.is_im and not channel.is_archived and user_id in channel.members
    ]
    channels.sort(key=lambda channel: channel.name)
    return [*channels, fake.dm_channel(user_id)]


def snapshot(fake: FakeSlack, user_id: str, revision: int) -> dict[str, Any]:
    channels = visible_channels(fake, user_id)
    by_channel: dict[str, list[dict[str, Any]]] = {channel.id: [] for channel in channels}
    for message in fake.messages:
        if message.channel in by_channel:
            by_channel[message.channel].append(_message(fake, message))
    for ephemeral in fake.ephemerals:
        if ephemeral.user == user_id and ephemeral.channel in by_channel:
            by_channel[ephemeral.channel].append(_ephemeral(ephemeral))
    for entries in by_channel.values():
        entries.sort(key=lambda entry: float(entry["ts"] or 0))
    home = fake.home_views.get(user_id)
    return {
        "user": user_id,
        "revision": revision,
        "channels": [
            {
                "id": channel.id,
                "name": channel.name,
                "kind": "im" if channel.is_im else "channel",
                "is_private": channel.is_private,
            }
            for channel in channels
        ],
        "messages": by_channel,
        "modals": [_modal(view) for view in fake.modal_stack(user_id)],
        "home": None if home is None else {"id": home.id, "blocks": home.blocks},
        "warnings": fake.warnings[-20:],
    }
