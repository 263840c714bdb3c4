"""Helpers for incident tests: declare through the real modal, find cards, check Block Kit;
the web rotation, and the same fixtures on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.sandbox import validate_blocks
from bot.sandbox.models import Message
from commands.incidents import modals
from scheduler.jobs import sweep_deadlines
from storage.models.core import EventRow
from tests.support.harness import Harness

WEBOPS = "CWEBOPS"


def last_ephemeral(h: Harness, user_id: str) -> str:
    return h.fake.ephemerals_for(user_id)[-1].text


async def declare(
    h: Harness,
    user_id: str = "UBOB",
    *,
    title: str = "Checkout returns 500",
    severity: str = "SEV2",
    platform: str = "web",
    description: str = "Payments fail for all users",
) -> Any:
    response = await h.command(user_id, "/incident")
    assert response.status == 200, response.text
    modal = h.fake.open_modal(user_id)
    assert modal is not None and modal.callback_id == modals.DECLARE_MODAL
    values = {
        "title.value": title,
        "platform.value": platform,
        "severity.value": severity,
        "description.value": description,
    }
    result = await h.sim.submit(user_id, modal.id, values)
    await h.settle()
    return result


def card(h: Harness, key: str = "INC-1") -> Message:
    found = h.fake.find_message(f"{key} ·", channel=WEBOPS)
    assert found is not None, [m.text for m in h.fake.messages_in(WEBOPS)]
    return found


def cards_in_channel(h: Harness) -> list[Message]:
    return [m for m in h.fake.messages_in(WEBOPS) if m.blocks and m.blocks[0]["type"] == "header"]


def assert_all_valid(h: Harness) -> None:
    """Every message and view the fake Slack received is valid Block Kit."""
    for message in h.fake.messages:
        assert validate_blocks(message.blocks, "message") == [], message.text
    assert not [w for w in h.fake.warnings if "rejected" in w], h.fake.warnings


async def sweep(h: Harness, **advance: float) -> int:
    if advance:
        h.clock.advance(**advance)
    fired = await sweep_deadlines(h.container)
    await h.settle()
    return fired


async def events(h: Harness, type_prefix: str = "incident.") -> list[EventRow]:
    async with h.container.database.read_session() as session:
        rows = await session.scalars(
            select(EventRow).where(EventRow.type.startswith(type_prefix)).order_by(EventRow.id)
        )
        return list(rows)


async def _set_web_rotation(h: Harness) -> Harness:
    await h.command("UOSCAR", "/incident", "oncall set web <@UOSCAR|oscar> <@UOLIVIA>")
    return h


@pytest.fixture
async def rota(seeded: Harness) -> Harness:
    """The seeded org with a web rotation: Oscar this week, Olivia next."""
    return await _set_web_rotation(seeded)


# Flows that write through every storage path (state changes, deadlines, dedup, alerts, policies)
# run on SQLite and, when PLATOPS_TEST_POSTGRES_URL is set, on PostgreSQL; checks of the Slack
# surface alone (help, usage, refusals, translations) run once, on SQLite, to keep the suite fast.
@pytest.fixture
async def seeded_any(any_harness: Harness) -> Harness:
    """The seeded org on SQLite and PostgreSQL."""
    await any_harness.seed_org()
    return any_harness


@pytest.fixture
async def rota_any(seeded_any: Harness) -> Harness:
    """The web rotation on SQLite and PostgreSQL."""
    return await _set_web_rotation(seeded_any)
