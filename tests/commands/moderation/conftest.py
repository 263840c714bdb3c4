"""A driver for moderation flows through signed Slack requests (what a moderator would do), the
platform's webhook receiver and API keys (databases.py: the org on SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.sandbox import serve_asgi, validate_blocks, validate_view
from scheduler.jobs import sweep_deadlines
from storage.models.core import EventRow
from tests.api.conftest import make_key
from tests.support.harness import Harness

MODLOG = "CMODLOG"
WARN = {"notice_text": "You posted spam (content c-1). Stop, please.", "evidence": "screenshot"}


class ModDriver:
    def __init__(self, h: Harness) -> None:
        self.h = h

    async def open(self, user: str, kind: str, ref: str) -> Any:
        response = await self.h.command(user, "/mod", f"{kind} {ref}")
        assert response.status == 200
        view = self.h.fake.open_modal(user)
        assert view is not None and view.callback_id == f"mod.{kind}", self.ephemeral(user)
        assert validate_view(view.view) == []
        return view

    async def submit(self, user: str, view: Any, values: dict[str, Any]) -> Any:
        # The notice text's action id names the prefilled rule; address it by block id.
        notice = next(b for b in view.blocks if b.get("block_id") == "notice_text")
        values = dict(values)
        if "notice_text" in values:
            values[f"notice_text.{notice['element']['action_id']}"] = values.pop("notice_text")
        response = await self.h.sim.submit(user, view.id, values)
        await self.h.settle()
        return response

    async def warn(self, user: str = "UMONA", ref: str = "web:u-100", **values: Any) -> Any:
        view = await self.open(user, "warn", ref)
        return await self.submit(user, view, {**WARN, **values})

    async def ban(
        self, user: str = "UMONA", ref: str = "web:u-100", *, days: float | None = 7, **values: Any
    ) -> Any:
        view = await self.open(user, "ban", ref)
        fields: dict[str, Any] = {
            "notice_text": "Your account is suspended for fraud.",
            "reason": "Repeated fraud reports",
            **values,
        }
        if days is None:
            fields["ban_type"] = "permanent"
        else:
            until = self.h.clock.now() + timedelta(days=days)
            fields["until"] = int(until.timestamp())
        return await self.submit(user, view, fields)

    def ephemeral(self, user: str) -> str:
        found = self.h.fake.ephemerals_for(user)
        return found[-1].all_text if found else ""

    def cards(self) -> list[Any]:
        return [m for m in self.h.fake.messages_in(MODLOG) if m.blocks]

    def card(self, key: str) -> Any:
        found = [m for m in self.cards() if f"{key} ·" in m.all_text]
        assert len(found) == 1, [m.text for m in self.cards()]
        assert validate_blocks(found[0].blocks, "message") == []
        return found[0]

    async def click(self, user: str, action_id: str, message: Any) -> Any:
        response = await self.h.sim.click(user, action_id, message=message)
        await self.h.settle()
        return response

    async def events(self, prefix: str = "moderation.") -> list[EventRow]:
        async with self.h.container.reader() as uow:
            rows = await uow.session.scalars(
                select(EventRow).where(EventRow.type.startswith(prefix)).order_by(EventRow.id)
            )
            return list(rows)

    async def sweep(self, **advance: float) -> int:
        if advance:
            self.h.clock.advance(**advance)
        fired = await sweep_deadlines(self.h.container)
        await self.h.settle()
        return fired


@pytest.fixture
def mod(seeded: Harness) -> ModDriver:
    return ModDriver(seeded)


SECRET = "platform-webhook-secret-0123"


class PlatformReceiver:
    """The platform's webhook endpoint: records deliveries and checks their signatures."""

    def __init__(self) -> None:
        self.deliveries: list[dict[str, Any]] = []
        self.bad_signatures = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        parts = dict(p.split("=", 1) for p in headers["x-platops-signature"].split(","))
        expected = hmac.new(
            SECRET.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256
        ).hexdigest()
        if hmac.compare_digest(expected, parts["v1"]):
            self.deliveries.append(json.loads(body))
        else:
            self.bad_signatures += 1
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    def of(self, event_type: str) -> list[dict[str, Any]]:
        return [d for d in self.deliveries if d["type"] == event_type]


@pytest.fixture
async def platform(seeded: Harness) -> AsyncIterator[PlatformReceiver]:
    receiver = PlatformReceiver()
    async with serve_asgi(receiver) as url:
        admin = await make_key(seeded, "admin")
        response = await seeded.api(
            "POST",
            "/api/v1/webhooks",
            admin,
            json={"url": f"{url}/hooks", "event_types": ["moderation.*"], "secret": SECRET},
        )
        assert response.status_code == 201, response.text
        yield receiver


@pytest.fixture
async def keys(seeded: Harness) -> dict[str, str]:
    return {
        "read": await make_key(seeded, "moderation:read", name="shop-read"),
        "write": await make_key(seeded, "moderation:write", name="shop-write"),
        "other": await make_key(seeded, "incidents:read", name="monitoring"),
    }
