"""A moderator granted for one platform sees and acts on that platform's queue only — in
`/mod queue`, on the queue cards and in App Home; global moderators see every platform's."""

from __future__ import annotations

import pytest

from bot.config_file import apply_config, parse_config
from tests.commands.moderation.databases import seeded_on_every_database
from tests.support.harness import PEOPLE

__all__ = ["seeded_on_every_database"]  # `seeded`: on SQLite and PostgreSQL


ORG = {
    "platforms": [{"key": "app", "name": "Mobile app", "moderation_channel": "CAPPMOD"}],
    "grants": [{"user": "UERIN", "role": "moderator", "scope": "web"}],
}


@pytest.fixture
async def two_platforms(mod, keys):
    """Reports on web (RPT-1) and on app (RPT-2); Erin moderates web only."""
    h = mod.h
    h.fake.add_channel("CAPPMOD", "app-moderation", members=list(PEOPLE))
    await apply_config(h.container, parse_config(ORG))
    for ref in ("web:u-1", "app:u-2"):
        response = await h.api(
            "POST",
            "/api/v1/moderation/reports",
            keys["write"],
            json={"user": ref, "reason": f"spam from {ref}"},
        )
        assert response.status_code == 201, response.text
    await h.settle()
    return mod


def queue_card(mod, channel: str, key: str):
    return next(m for m in mod.h.fake.messages_in(channel) if f"{key} ·" in m.all_text)


async def test_the_queue_lists_only_the_platforms_in_the_moderators_scope(two_platforms):
    mod = two_platforms
    await mod.h.command("UERIN", "/mod", "queue")
    text = mod.ephemeral("UERIN")
    assert "1 open" in text and "RPT-1" in text and "RPT-2" not in text
    assert "mod.item.take" in str(mod.h.fake.ephemerals_for("UERIN")[-1].blocks)
    await mod.h.command("UMONA", "/mod", "queue")
    text = mod.ephemeral("UMONA")
    assert "2 open" in text and "RPT-1" in text and "RPT-2" in text
    # An auditor reads every platform's queue, without buttons.
    await mod.h.command("UAUDREY", "/mod", "queue")
    assert "RPT-2" in mod.ephemeral("UAUDREY")
    assert "mod.item" not in str(mod.h.fake.ephemerals_for("UAUDREY")[-1].blocks)


async def test_queue_buttons_refuse_a_moderator_of_another_platform(two_platforms):
    mod = two_platforms
    app_card = queue_card(mod, "CAPPMOD", "RPT-2")
    before = app_card.all_text
    await mod.click("UERIN", "mod.item.take", app_card)
    assert "not allowed" in mod.ephemeral("UERIN")
    await mod.click("UERIN", "mod.item.dismiss", app_card)
    assert "not allowed" in mod.ephemeral("UERIN")
    assert queue_card(mod, "CAPPMOD", "RPT-2").all_text == before
    await mod.click("UERIN", "mod.item.warn", app_card)
    assert mod.h.fake.open_modal("UERIN") is None

    web_card = queue_card(mod, "CMODLOG", "RPT-1")
    await mod.click("UERIN", "mod.item.take", web_card)
    assert "<@UERIN>" in queue_card(mod, "CMODLOG", "RPT-1").all_text
    await mod.click("UMONA", "mod.item.dismiss", app_card)  # a global moderator may
    assert "dismissed" in queue_card(mod, "CAPPMOD", "RPT-2").all_text


async def test_app_home_shows_the_moderators_own_platforms(two_platforms):
    mod = two_platforms
    await mod.h.sim.open_home("UERIN")
    await mod.h.settle()
    home = str(mod.h.fake.home_views["UERIN"].view)
    assert "RPT-1" in home and "RPT-2" not in home
    await mod.h.sim.open_home("UMIKE")
    await mod.h.settle()
    home = str(mod.h.fake.home_views["UMIKE"].view)
    assert "RPT-1" in home and "RPT-2" in home
