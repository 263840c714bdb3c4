"""Slack's side of Socket Mode, for tests: `apps.connections.open` hands out a WebSocket URL on the
fake, which greets the app with `hello`, pushes envelopes and collects the app's acks."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from litestar import WebSocket, websocket

ACK_TIMEOUT_S = 10.0


class SocketModeHub:
    """One connected app at a time, as a single Socket Mode connection behaves."""

    def __init__(self) -> None:
        self.connected = asyncio.Event()
        self._outgoing: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._acks: dict[str, asyncio.Future[dict[str, Any]]] = {}

    async def push(
        self, kind: str, payload: dict[str, Any], retry_attempt: int = 0
    ) -> dict[str, Any]:
        """Send an envelope (`slash_commands`, `interactive`, `events_api`) and wait for the ack;
        returns the ack's `payload` (what the app answered), `{}` for a bare ack."""
        envelope_id = uuid.uuid4().hex
        answered: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._acks[envelope_id] = answered
        await self._outgoing.put(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": retry_attempt,
                "retry_reason": "timeout" if retry_attempt else "",
            }
        )
        try:
            return await asyncio.wait_for(answered, ACK_TIMEOUT_S)
        finally:
            self._acks.pop(envelope_id, None)

    async def serve(self, socket: WebSocket[Any, Any, Any]) -> None:
        await socket.accept()
        await socket.send_text(json.dumps({"type": "hello", "num_connections": 1}))
        self.connected.set()
        sender = asyncio.create_task(self._send(socket))
        try:
            while True:
                message = json.loads(await socket.receive_text())
                waiting = self._acks.get(str(message.get("envelope_id")))
                if waiting is not None and not waiting.done():
                    waiting.set_result(message.get("payload") or {})
        except Exception:  # the app went away; a new connection may come
            self.connected.clear()
        finally:
            sender.cancel()

    async def _send(self, socket: WebSocket[Any, Any, Any]) -> None:
        while True:
            await socket.send_text(json.dumps(await self._outgoing.get()))


def socket_route(hub: SocketModeHub) -> Any:
    @websocket("/socket")
    async def socket_mode(socket: WebSocket[Any, Any, Any]) -> None:
        await hub.serve(socket)

    return socket_mode
