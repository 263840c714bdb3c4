"""API keys for integrations: random, shown once, stored hashed, scoped, revocable, expiring."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime

SCOPES = (
    "requirements:read",
    "requirements:write",
    "incidents:read",
    "incidents:write",
    "moderation:read",
    "moderation:write",
    "inspections:read",
    "inspections:write",
    "reports:read",
    "events:read",
    "admin",
)
KEY_PREFIX = "pok"


@dataclass
class ApiKey:
    id: int | None
    name: str
    prefix: str  # public, unique, shown in lists: "pok_3f9a1c2b"
    secret_hash: str
    scopes: frozenset[str]
    created_by: str
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None
    rate_limit_per_minute: int = 600
    extra: dict[str, str] = field(default_factory=dict)

    def is_active(self, now: datetime) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or now < self.expires_at

    def allows(self, scope: str) -> bool:
        return scope in self.scopes or "admin" in self.scopes

    def matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.secret_hash, hash_secret(secret))


def hash_secret(secret: str) -> str:
    # The secret has >=128 bits of entropy, so a fast hash is safe (no password stretching needed).
    return hashlib.sha256(secret.encode()).hexdigest()


def new_key_material() -> tuple[str, str, str]:
    """Return (prefix, secret, full token). The token is `pok_<prefix-id>.<secret>`."""
    prefix = f"{KEY_PREFIX}_{secrets.token_hex(4)}"
    secret = secrets.token_urlsafe(24)  # 192 bits
    return prefix, secret, f"{prefix}.{secret}"


def split_token(token: str) -> tuple[str, str] | None:
    prefix, dot, secret = token.partition(".")
    if not dot or not prefix.startswith(f"{KEY_PREFIX}_") or not secret:
        return None
    return prefix, secret
