"""Reminder controls every area's deadline messages share: the snooze menu and its handler.

A renderer of a reminder appends `snooze_menu(deadline.id, t)` to its blocks; choosing an entry
snoozes that deadline (SPEC §7a) and answers the person ephemerally with the new time.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.bootstrap import Container
from bot.i18n import Translator
from commands import blocks as bk
from commands.framework import caller_for
from domain.deadlines.models import SNOOZE_CHOICES
from domain.deadlines.services import snooze_deadline
from domain.errors import ValidationFailed

SNOOZE = "deadline.snooze"


def snooze_menu(deadline_id: int, t: Translator) -> bk.Block:
    """An actions block with a "Snooze" select: 30 min / 1 h / 4 h / tomorrow morning."""
    options = [
        bk.option(t(f"common.snooze.{choice}"), f"{deadline_id}:{choice}")
        for choice in SNOOZE_CHOICES
    ]
    select = bk.static_select(SNOOZE, options, placeholder=t("common.snooze"))
    return bk.actions(select, block_id=f"snooze:{deadline_id}")


def parse_choice(value: str) -> tuple[int, str]:
    """`"12:4h"` → (12, "4h"); anything else is a forged or stale payload."""
    deadline_id, _, choice = value.partition(":")
    if not deadline_id.isdigit() or choice not in SNOOZE_CHOICES:
        raise ValidationFailed.single(
            "snooze", "errors.snooze.choice", choices=", ".join(SNOOZE_CHOICES)
        )
    return int(deadline_id), choice


def register(app: AsyncApp, container: Container) -> None:
    @app.action(SNOOZE)
    async def snooze(ack: Any, body: dict[str, Any], respond: Any) -> None:
        await ack()
        action = body["actions"][0]
        deadline_id, choice = parse_choice((action.get("selected_option") or {}).get("value", ""))
        caller = await caller_for(container, body["user"]["id"])
        async with caller.uow() as uow:
            deadline = await snooze_deadline(uow, caller.actor, deadline_id, choice)
            await uow.commit()
        assert deadline.snoozed_until is not None
        text = caller.t("common.snoozed", until=bk.slack_date(deadline.snoozed_until))
        await respond(text=text, response_type="ephemeral", replace_original=False)
