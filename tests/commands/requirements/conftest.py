"""A driver for requirement flows through signed Slack requests (what a person would do)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.sandbox import validate_blocks, validate_view
from storage.models.core import EventRow
from tests.support.harness import Harness

GOOD = {
    "title": "Spring campaign landing page",
    "department": "marketing",
    "platform": "web",
    "description": "A landing page for the spring campaign with a sign-up form.",
    "justification": "The campaign brings 20k visitors; without a page we lose them.",
    "priority": "high",
    "wanted_by": "2026-02-01",
}


class ReqDriver:
    def __init__(self, h: Harness) -> None:
        self.h = h

    async def open_form(self, user: str = "UBOB") -> Any:
        await self.h.command(user, "/req")
        view = self.h.fake.open_modal(user)
        assert view is not None and view.callback_id == "req.submit"
        return view

    async def submit(self, user: str = "UBOB", **changes: Any) -> Any:
        view = await self.open_form(user)
        response = await self.h.sim.submit(user, view.id, {**GOOD, **changes})
        await self.h.settle()
        return response

    def card(self, key: str = "REQ-1") -> Any:
        message = self.h.fake.find_message(key, channel="CMARKETING")
        assert message is not None, f"no card for {key}"
        return message

    def dm(self, user: str, key: str = "REQ-1", *, contains: str = "") -> Any:
        for message in reversed(self.h.fake.dms_to(user)):
            if key in message.all_text and contains in message.all_text:
                return message
        raise AssertionError(f"no DM about {key} to {user}")

    async def click(self, user: str, action_id: str, message: Any, **kw: Any) -> Any:
        response = await self.h.sim.click(user, action_id, message=message, **kw)
        await self.h.settle()
        return response

    async def vote_with_reason(self, user: str, action_id: str, message: Any, reason: str) -> Any:
        await self.click(user, action_id, message)
        view = self.h.fake.open_modal(user)
        assert view is not None and view.callback_id == "req.reason"
        response = await self.h.sim.submit(user, view.id, {"reason": reason})
        await self.h.settle()
        return response

    def ephemeral(self, user: str) -> str:
        return self.h.fake.ephemerals_for(user)[-1].text + "\n" + self._responses(user)

    def _responses(self, user: str) -> str:
        posts = [p for p in self.h.fake.response_url_posts if getattr(p, "user", user) == user]
        return str(posts[-1].body) if posts else ""

    async def events(self, prefix: str = "requirement.") -> list[EventRow]:
        async with self.h.container.reader() as uow:
            rows = await uow.session.scalars(
                select(EventRow).where(EventRow.type.like(f"{prefix}%")).order_by(EventRow.id)
            )
            return list(rows)

    def assert_valid_block_kit(self) -> None:
        for message in self.h.fake.messages:
            assert validate_blocks(message.blocks, "message") == [], message.text
        for view in self.h.fake.views.values():
            assert validate_view(view.payload) == [], view.title
        problems = [w for w in self.h.fake.warnings if "outage" not in w]
        assert problems == []


@pytest.fixture
def req(seeded: Harness) -> ReqDriver:
    return ReqDriver(seeded)
