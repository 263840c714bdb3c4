"""The caller identity cache: fresh, stale while refreshing, too old, dropped on role change."""

import asyncio
from contextlib import asynccontextmanager

from bot.identity import IdentityCache
from domain.access import Actor, Grant, Role


class CountingReader:
    """A stand-in read-only unit of work that counts reads and can be made to block."""

    def __init__(self) -> None:
        self.reads = 0
        self.role = Role.MEMBER
        self.gate: asyncio.Event | None = None

    @asynccontextmanager
    async def __call__(self):
        self.reads += 1
        if self.gate is not None:
            await self.gate.wait()
        yield self

    async def actor_for(self, user_id):
        return Actor.user(user_id, frozenset({Grant(self.role)}))

    @property
    def people(self):
        return self

    async def get(self, user_id):
        return None


async def test_fresh_entries_are_served_without_reading():
    reader, cache = CountingReader(), IdentityCache(fresh_s=60, max_age_s=120)
    await cache.get(reader, "U1")
    await cache.get(reader, "U1")
    assert reader.reads == 1


async def test_stale_entry_is_served_while_one_refresh_runs():
    reader, cache = CountingReader(), IdentityCache(fresh_s=0, max_age_s=120)
    first = await cache.get(reader, "U1")
    reader.role = Role.ADMIN
    stale = await asyncio.gather(*(cache.get(reader, "U1") for _ in range(5)))
    assert all(identity is first for identity in stale)
    await asyncio.sleep(0)  # let the single background refresh finish
    await asyncio.sleep(0)
    assert reader.reads == 2
    refreshed = await cache.get(reader, "U1")
    assert refreshed.actor.has_role(Role.ADMIN)


async def test_too_old_entry_is_read_again_before_answering():
    reader, cache = CountingReader(), IdentityCache(fresh_s=0, max_age_s=0)
    await cache.get(reader, "U1")
    reader.role = Role.ADMIN
    assert (await cache.get(reader, "U1")).actor.has_role(Role.ADMIN)


async def test_a_read_racing_a_role_change_is_not_kept():
    reader, cache = CountingReader(), IdentityCache(fresh_s=60, max_age_s=120)
    reader.gate = asyncio.Event()
    loading = asyncio.create_task(cache.get(reader, "U1"))
    await asyncio.sleep(0)
    cache.clear()  # a role change was committed while the old grants were being read
    reader.gate.set()
    await loading
    reader.gate = None
    await cache.get(reader, "U1")
    assert reader.reads == 2
