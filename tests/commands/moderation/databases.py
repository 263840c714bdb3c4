"""Moderation flows that write through the storage paths (cases, the queue, deadlines, the
policy, the API doors) run on SQLite and, with PLATOPS_TEST_POSTGRES_URL set, on PostgreSQL:
their modules import `seeded_on_every_database`, which stands in for `seeded` there. Checks of
the Slack surface alone (usage lines, inline errors, translations) run once, on SQLite, to keep
the suite fast. (Not in conftest.py: there it would replace `seeded` for every module.)"""

from __future__ import annotations

import pytest

from tests.support.harness import Harness


@pytest.fixture(name="seeded")
async def seeded_on_every_database(any_harness: Harness) -> Harness:
    await any_harness.seed_org()
    return any_harness
