"""`/incident` subcommands: on-call rotation, list, show, note, sev, help, languages, App Home."""

from __future__ import annotations

from tests.commands.incidents.conftest import (
    assert_all_valid,
    card,
    declare,
    events,
    last_ephemeral,
)
from tests.support.harness import Harness


async def test_oncall_rotation_is_weekly_and_shown_now_and_next(rota_any: Harness):
    h = rota_any
    assert "<@UOSCAR> → <@UOLIVIA>" in last_ephemeral(h, "UOSCAR")
    await h.command("UBOB", "/incident", "oncall web")
    text = last_ephemeral(h, "UBOB")
    assert "<@UOSCAR> is on call now" in text and "next <@UOLIVIA>" in text
    h.clock.advance(days=7)
    await h.command("UBOB", "/incident", "oncall")
    assert "<@UOLIVIA> is on call now" in last_ephemeral(h, "UBOB")
    await declare(h)  # this week's card mentions Olivia
    assert "<@UOLIVIA>" in card(h).text


async def test_only_operators_of_the_platform_or_admins_set_the_rotation(seeded: Harness):
    h = seeded
    await h.command("UBOB", "/incident", "oncall set web <@UBOB>")
    assert "not allowed" in last_ephemeral(h, "UBOB")
    await h.command("UALICE", "/incident", "oncall set web nobody")
    assert "is not a person" in last_ephemeral(h, "UALICE")
    await h.command("UALICE", "/incident", "oncall set nowhere <@UOSCAR>")
    assert "no platform “nowhere”" in last_ephemeral(h, "UALICE")
    await h.command("UBOB", "/incident", "oncall web")
    assert "no rotation" in last_ephemeral(h, "UBOB")


async def test_list_show_note_and_severity(rota_any: Harness):
    h = rota_any
    await declare(h, "UBOB", title="Images missing", severity="SEV3")
    await declare(h, "UZHANG", title="Search slow", severity="SEV4")
    await h.command("UOSCAR", "/incident", "list")
    listing = last_ephemeral(h, "UOSCAR")
    assert "INC-1" in listing and "INC-2" in listing
    await h.command("UBOB", "/incident", "list mine")
    assert "INC-1" in last_ephemeral(h, "UBOB") and "INC-2" not in last_ephemeral(h, "UBOB")
    await h.command("UBOB", "/incident", "list soon")
    assert "Usage:" in last_ephemeral(h, "UBOB")

    await h.command("UBOB", "/incident", 'note INC-1 "CDN purge started"')
    assert "Note added" in last_ephemeral(h, "UBOB")
    assert "CDN purge started" in card(h).all_text  # the card shows the latest note
    await h.command("UOSCAR", "/incident", "sev INC-1 sev2")
    assert "INC-1 is now SEV2" in last_ephemeral(h, "UOSCAR")
    assert "INC-1 · SEV2" in card(h).all_text
    await h.command("UOSCAR", "/incident", "sev INC-1 SEV2")
    assert "already SEV2" in last_ephemeral(h, "UOSCAR")
    await h.command("UBOB", "/incident", "sev INC-1 SEV1")
    assert "not allowed" in last_ephemeral(h, "UBOB")
    await h.command("UOSCAR", "/incident", "sev INC-1 SEV7")
    assert "not a severity" in last_ephemeral(h, "UOSCAR")

    await h.command("UAUDREY", "/incident", "show INC-1")
    shown = h.fake.ephemerals_for("UAUDREY")[-1]
    text = shown.all_text
    assert "Timeline" in text and "noted: CDN purge started" in text
    assert "changed severity SEV3 → SEV2" in text
    assert "actions" not in [b["type"] for b in shown.blocks]  # read-only view
    await h.command("UAUDREY", "/incident", "show INC-77")
    assert "no incident INC-77" in last_ephemeral(h, "UAUDREY")
    await h.command("UAUDREY", "/incident", "show banana")
    assert "not an incident key" in last_ephemeral(h, "UAUDREY")
    changed = [e for e in await events(h) if e.type == "incident.severity_changed"]
    assert len(changed) == 1 and changed[0].data["before"] == "SEV3"
    assert_all_valid(h)


async def test_help_shows_only_what_the_caller_may_do(rota: Harness):
    h = rota
    await h.command("UBOB", "/incident", "help")
    bob = last_ephemeral(h, "UBOB")
    await h.command("UOSCAR", "/incident", "help")
    oscar = last_ephemeral(h, "UOSCAR")
    assert "declare" in bob and "ack INC-n" not in bob
    assert "ack INC-n" in oscar and "sla" not in oscar
    await h.command("UOSCAR", "/incident", "frobnicate")
    assert "not a command I know" in last_ephemeral(h, "UOSCAR")


async def test_chinese_reader_gets_chinese_texts(rota: Harness):
    h = rota
    await h.command("UZHANG", "/incident")
    modal = h.fake.open_modal("UZHANG")
    assert modal.title == "宣告事故"
    await h.sim.submit(
        "UZHANG",
        modal.id,
        {"title.value": "图片无法显示", "platform.value": "web", "severity.value": "SEV4"},
    )
    await h.settle()
    assert "已宣告" in h.fake.open_modal("UZHANG").all_text
    await h.command("UZHANG", "/incident", "ack INC-1")
    assert "你无权执行此操作" in last_ephemeral(h, "UZHANG")
    await h.command("UZHANG", "/incident", "show INC-1")
    assert "时间线" in h.fake.ephemerals_for("UZHANG")[-1].all_text


async def test_app_home_shows_incidents_on_call_and_reviews_owed(rota_any: Harness):
    h = rota_any
    await declare(h, severity="SEV1")
    await h.sim.open_home("UOSCAR")
    await h.settle()
    home = str(h.fake.home_views["UOSCAR"].view)
    assert "Incidents you are on call for" in home and "INC-1" in home
    await h.command("UOSCAR", "/incident", "resolve INC-1 Fixed the config")
    await h.sim.open_home("UOSCAR")
    await h.settle()
    home = str(h.fake.home_views["UOSCAR"].view)
    assert "Post-incident reviews you owe" in home and "on call for" not in home


async def test_sla_without_values_shows_them_and_changes_nothing(seeded: Harness):
    h = seeded
    await h.command("UALICE", "/incident", "sla web")
    assert "Acknowledge SLAs for web: SEV1 5 min, SEV2 15 min" in last_ephemeral(h, "UALICE")
    await h.command("UALICE", "/incident", "sla SEV1=5")  # already so: a no-op
    assert await events(h, "incident.policy_changed") == []
    # web made no override of its own, so it still follows the global policy.
    await h.command("UALICE", "/incident", "sla SEV1=2")
    await h.command("UALICE", "/incident", "sla web")
    assert "for web: SEV1 2 min" in last_ephemeral(h, "UALICE")
    assert [e.data["scope"] for e in await events(h, "incident.policy_changed")] == ["global"]
