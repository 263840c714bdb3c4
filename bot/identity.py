"""Who is calling: roles and profile per Slack user, cached briefly in-process.

Every Slack request needs the caller's grants and language; reading them from the database on
each request was a quarter of the request's CPU (measured with cProfile on `/platops whoami`).
Entries live a few seconds and are dropped whenever this process commits a role change, so a grant
takes effect at once here and within TTL_S in other processes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from domain.access import Actor
from domain.people.models import Person

TTL_S = 10.0


@dataclass(frozen=True)
class Identity:
    actor: Actor
    person: Person | None


class IdentityCache:
    def __init__(self, ttl_s: float = TTL_S) -> None:
        self.ttl_s = ttl_s
        self._entries: dict[str, tuple[float, Identity]] = {}

    async def get(self, reader: Any, user_id: str) -> Identity:
        """`reader` is a callable returning a read-only unit of work (used on a miss)."""
        hit = self._entries.get(user_id)
        now = time.monotonic()
        if hit is not None and now - hit[0] < self.ttl_s:
            return hit[1]
        async with reader() as uow:
            identity = Identity(await uow.actor_for(user_id), await uow.people.get(user_id))
        self._entries[user_id] = (now, identity)
        return identity

    def forget(self, user_id: str) -> None:
        self._entries.pop(user_id, None)

    def clear(self) -> None:
        self._entries.clear()
