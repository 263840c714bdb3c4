"""`Idempotency-Key` for every POST under /api/v1 (Stripe's semantics), applied automatically.

Controllers need do nothing: the `Idempotency` router middleware wraps every POST that carries
the header. Per API key, a key names one request for 24 hours:
- the first request runs; a successful response (status < 400) is stored and replayed for
  repeats — same status and body, header `Idempotent-Replayed: true`, nothing runs again;
- a failed first attempt (4xx/5xx) changed nothing, so the key is released and the client may
  retry it, e.g. after fixing the body;
- the same key with a different request (method, path, query or JSON body) → 422;
- the same key while the first request still runs → 409 (a run older than five minutes is
  considered abandoned by a crash and may be taken over).
A handler that must opt out (none should) can set `opt={"idempotent": False}`.
The table is `idempotency_keys`; `purge_idempotency_keys` (a scheduler job) drops old rows.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from litestar.types import (
    ASGIApp,
    HTTPRequestEvent,
    HTTPScope,
    Message,
    Receive,
    ReceiveMessage,
    Scope,
    Send,
)
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from api.auth import ApiPrincipal, ProcessMiddleware
from api.errors import ApiProblem, body_limit
from bot.bootstrap import Container
from storage.models.core import IdempotencyKeyRow

HEADER = b"idempotency-key"
KEEP_FOR = timedelta(hours=24)
ABANDONED_AFTER = timedelta(minutes=5)
_STORED_HEADERS = ("content-type", "location")


@dataclass(frozen=True)
class StoredResponse:
    status: int
    headers: dict[str, str]
    body: bytes


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= 255 and all(" " <= char <= "~" for char in key)


def fingerprint(scope: Scope, body: bytes) -> str:
    """What makes two requests 'the same': method, path, query and the JSON body's meaning."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = body
    digest = hashlib.sha256()
    http = cast("HTTPScope", scope)
    for part in (http["method"].encode(), http["path"].encode(), http["query_string"]):
        digest.update(part + b"\0")
    digest.update(canonical)
    return digest.hexdigest()


async def read_body(scope: Scope, receive: Receive) -> bytes:
    """The whole request body, refused with 413 beyond the route's limit."""
    limit = body_limit(scope)
    declared = _header(scope, b"content-length")
    if limit and declared and declared.isdigit() and int(declared) > limit:
        raise ApiProblem(413, "api.errors.too_large", limit=limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit and size > limit:
            raise ApiProblem(413, "api.errors.too_large", limit=limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the already-read body to the handler, then defers to the client."""
    sent = False

    async def receive_again() -> ReceiveMessage:
        nonlocal sent
        if not sent:
            sent = True
            return HTTPRequestEvent(type="http.request", body=body, more_body=False)
        return await receive()

    return receive_again


def _still_running() -> ApiProblem:
    return ApiProblem(409, "api.errors.idempotency_running", problem="idempotency-running")


class IdempotencyStore:
    def __init__(self, container: Container) -> None:
        self.container = container

    async def claim(self, key_id: int, key: str, request_hash: str) -> StoredResponse | None:
        """None when this request now owns the key; the stored response for a replay."""
        now = self.container.clock.now()
        async with self.container.database.write_session() as session:
            row = await session.get(IdempotencyKeyRow, (key_id, key))
            if row is not None and (
                now - row.created_at >= KEEP_FOR
                or (row.state == "running" and now - row.created_at >= ABANDONED_AFTER)
            ):
                await session.delete(row)
                await session.flush()
                row = None
            if row is None:
                session.add(
                    IdempotencyKeyRow(
                        api_key_id=key_id,
                        key=key,
                        request_hash=request_hash,
                        state="running",
                        created_at=now,
                    )
                )
                try:
                    await session.commit()
                except IntegrityError:  # PostgreSQL: a concurrent twin inserted it first
                    raise _still_running() from None
                return None
        if row.request_hash != request_hash:
            raise ApiProblem(
                422,
                "api.errors.idempotency_mismatch",
                problem="idempotency-mismatch",
                errors=[{"field": "Idempotency-Key", "code": "api.errors.idempotency_mismatch"}],
            )
        if row.state != "done" or row.status_code is None or row.response_body is None:
            raise _still_running()
        stored = json.loads(row.response_body)
        return StoredResponse(row.status_code, stored["headers"], stored["body"].encode())

    async def finish(self, key_id: int, key: str, response: StoredResponse) -> None:
        envelope = {"headers": response.headers, "body": response.body.decode()}
        async with self.container.database.write_session() as session:
            row = await session.get(IdempotencyKeyRow, (key_id, key))
            if row is not None:
                row.state, row.status_code = "done", response.status
                row.response_body = json.dumps(envelope, ensure_ascii=False)
                await session.commit()

    async def release(self, key_id: int, key: str) -> None:
        async with self.container.database.write_session() as session:
            await session.execute(
                delete(IdempotencyKeyRow).where(
                    IdempotencyKeyRow.api_key_id == key_id,
                    IdempotencyKeyRow.key == key,
                    IdempotencyKeyRow.state == "running",
                )
            )
            await session.commit()


class _Recorder:
    """Keeps the response, to be stored and only then sent: a client that retries as soon as it
    has the answer must find the key done, not still running (PostgreSQL showed that race)."""

    def __init__(self) -> None:
        self.status = 500
        self.headers: dict[str, str] = {}
        self.chunks: list[bytes] = []
        self.messages: list[Message] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
            for name, value in message.get("headers", []):
                lowered = name.decode("latin-1").lower()
                if lowered in _STORED_HEADERS:
                    self.headers[lowered] = value.decode("latin-1")
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))
        self.messages.append(message)

    async def send_to(self, send: Send) -> None:
        for message in self.messages:
            await send(message)

    def stored(self) -> StoredResponse | None:
        body = b"".join(self.chunks)
        try:
            body.decode()
        except UnicodeDecodeError:
            return None
        return StoredResponse(self.status, self.headers, body)


class Idempotency(ProcessMiddleware):
    def __init__(self, container: Container) -> None:
        self.store = IdempotencyStore(container)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        key = _header(scope, HEADER)
        principal = scope.get("auth")
        handler = scope.get("route_handler")
        opted_out = handler is not None and handler.opt.get("idempotent") is False
        if (
            cast("HTTPScope", scope)["method"] != "POST"
            or key is None
            or opted_out
            or not isinstance(principal, ApiPrincipal)
        ):
            await next_app(scope, receive, send)
            return
        key = key.strip()
        if not _valid_key(key):
            raise ApiProblem(
                422,
                "api.errors.idempotency_key",
                errors=[{"field": "Idempotency-Key", "code": "api.errors.idempotency_key"}],
            )
        body = await read_body(scope, receive)
        stored = await self.store.claim(principal.key_id, key, fingerprint(scope, body))
        if stored is not None:
            await _replay(stored, send)
            return
        recorder = _Recorder()
        outcome: StoredResponse | None = None
        try:
            await next_app(scope, replaying(body, receive), recorder.send)
            outcome = recorder.stored() if recorder.status < 400 else None
        finally:
            if outcome is not None:
                await self.store.finish(principal.key_id, key, outcome)
            else:
                await self.store.release(principal.key_id, key)
        await recorder.send_to(send)


async def _replay(stored: StoredResponse, send: Send) -> None:
    headers = [(name.encode(), value.encode()) for name, value in stored.headers.items()]
    headers += [
        (b"content-length", str(len(stored.body)).encode()),
        (b"idempotent-replayed", b"true"),
    ]
    await send({"type": "http.response.start", "status": stored.status, "headers": headers})
    await send({"type": "http.response.body", "body": stored.body, "more_body": False})


async def purge_idempotency_keys(container: Container) -> int:
    """Scheduler job: forget keys older than 24 hours."""
    cutoff = container.clock.now() - KEEP_FOR
    async with container.database.write_session() as session:
        result = await session.execute(
            delete(IdempotencyKeyRow).where(IdempotencyKeyRow.created_at < cutoff)
        )
        await session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
