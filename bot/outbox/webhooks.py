"""Delivering one webhook: a signed POST to the subscriber's URL."""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx

from bot.bootstrap import Container
from bot.outbox.failures import Delivered, PermanentFailure, RetryLater
from storage.models.core import OutboxRow, WebhookSubscriptionRow


def sign_webhook(secret: str, body: bytes, timestamp: int) -> str:
    """`t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`, as receivers verify it."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


class WebhookDelivery:
    def __init__(self, container: Container) -> None:
        self.container = container
        self._http = httpx.AsyncClient(timeout=10, follow_redirects=False)

    async def close(self) -> None:
        await self._http.aclose()

    async def deliver(self, row: OutboxRow) -> Delivered:
        async with self.container.database.read_session() as session:
            subscription = await session.get(WebhookSubscriptionRow, row.subscription_id)
        if subscription is None or not subscription.active:
            raise PermanentFailure("the subscription was removed")
        body = json.dumps(row.payload, separators=(",", ":"), ensure_ascii=False).encode()
        timestamp = int(self.container.clock.now().timestamp())
        response = await self._http.post(
            subscription.url,
            content=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "PlatOps-Webhooks/1",
                "X-PlatOps-Event": str(row.payload.get("type")),
                "X-PlatOps-Delivery": str(row.id),
                "X-PlatOps-Signature": sign_webhook(subscription.secret, body, timestamp),
            },
        )
        if 200 <= response.status_code < 300:
            return Delivered(status=response.status_code)
        retry_after = response.headers.get("retry-after")
        raise RetryLater(
            f"HTTP {response.status_code}",
            after=float(retry_after) if retry_after and retry_after.isdigit() else None,
            status=response.status_code,
        )
