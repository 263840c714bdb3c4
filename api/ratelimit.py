"""Per-key rate limit: an in-process token bucket sized by the key's `rate_limit_per_minute`.

A key may burst up to its per-minute allowance, then gets one request per 60/limit seconds;
beyond that the answer is 429 with `Retry-After`. In-process is enough for one `platops serve`
process; with several processes each enforces the limit on its own share of the traffic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from litestar.types import ASGIApp, Receive, Scope, Send

from api.auth import ApiPrincipal, ProcessMiddleware
from api.errors import ApiProblem
from domain.ports import Clock


@dataclass
class _Bucket:
    tokens: float
    updated: float  # seconds since the epoch, from the container's clock


class TokenBuckets:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._buckets: dict[int, _Bucket] = {}

    def take(self, key_id: int, per_minute: int) -> float | None:
        """Spend one token; None if allowed, else the seconds until the next token."""
        capacity = max(per_minute, 1)
        rate = capacity / 60.0
        now = self.clock.now().timestamp()
        bucket = self._buckets.setdefault(key_id, _Bucket(float(capacity), now))
        bucket.tokens = min(capacity, bucket.tokens + max(now - bucket.updated, 0.0) * rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        return (1.0 - bucket.tokens) / rate


class RateLimit(ProcessMiddleware):
    """Runs after authentication, before idempotency: a replay also counts as a request."""

    def __init__(self, buckets: TokenBuckets) -> None:
        self.buckets = buckets

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        principal = scope.get("auth")
        if isinstance(principal, ApiPrincipal):
            limit = principal.key.rate_limit_per_minute
            wait = self.buckets.take(principal.key_id, limit)
            if wait is not None:
                seconds = max(1, math.ceil(wait))
                raise ApiProblem(
                    429,
                    "api.errors.rate_limited",
                    headers={"Retry-After": str(seconds)},
                    limit=limit,
                    seconds=seconds,
                )
        await next_app(scope, receive, send)
