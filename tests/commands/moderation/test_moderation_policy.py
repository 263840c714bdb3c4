"""The organisation's moderation policy from the config file: planned, applied once (audited),
then cited by Slack and the API — the rule in the warn modal with its template, the ladder."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.config_file import ConfigError, apply_config, parse_config, plan_config
from storage.models.core import EventRow
from tests.api.conftest import assert_problem, make_key
from tests.commands.moderation.databases import seeded_on_every_database

__all__ = ["seeded_on_every_database"]  # `seeded`: on SQLite and PostgreSQL


COUNTERFEIT = {
    "code": "counterfeit",
    "title": {"en": "Counterfeit goods", "zh-CN": "假冒商品"},
    "severity": "minor",
    "notice": {
        "en": "Hello {user}, your listing {content} on {platform} breaks “{rule}”.",
        "zh-CN": "{user} 您好，您在 {platform} 的商品 {content} 违反了“{rule}”。",
    },
}
POLICY = {
    "warning_days": 60,
    "rules": [{"code": "spam"}, COUNTERFEIT],
    "ladder": [{"warnings": 2, "within_days": 30, "ban_days": 14}],
}
FILE = {"moderation": POLICY, "grants": [{"user": "UZHANG", "role": "moderator", "scope": "web"}]}


async def policy_events(h) -> list[EventRow]:
    async with h.container.reader() as uow:
        rows = await uow.session.scalars(
            select(EventRow).where(EventRow.type == "moderation.policy_changed")
        )
        return list(rows)


async def test_plan_lists_the_changes_and_apply_makes_them_once(mod):
    h = mod.h
    text = (await plan_config(h.container, parse_config(FILE))).render()
    assert "moderation policy organisation: update (rule counterfeit: added;" in text
    assert "rule fraud: removed" in text and "rule spam" not in text
    assert "ladder: 3 in 90 d → 7 d, 5 in 180 d → 30 d → 2 in 30 d → 14 d" in text
    assert "warning_days: 90 → 60" in text
    assert await policy_events(h) == []  # a plan changes nothing

    plan = await apply_config(h.container, parse_config(FILE))
    assert [c.action for c in plan.changes if c.section == "moderation policy"] == ["update"]
    (event,) = await policy_events(h)
    assert event.actor_id == "system:config"
    assert event.data["rules"] == ["spam", "counterfeit"] and event.data["warning_days"] == 60
    again = await apply_config(h.container, parse_config(FILE))
    assert again.pending == [] and len(await policy_events(h)) == 1

    # Only what the file names is managed: a file with just the ladder keeps the catalogue.
    ladder_only = {"moderation": {"ladder": [{"warnings": 3, "within_days": 90, "ban_days": 7}]}}
    await apply_config(h.container, parse_config(ladder_only))
    await h.command("UMONA", "/mod", "rules")
    text = mod.ephemeral("UMONA")
    assert "`counterfeit` Counterfeit goods" in text and "`fraud`" not in text
    assert "Warnings stay active for 60 days." in text
    assert "3 active warnings within 90 days → the bot proposes a 7-day ban" in text


async def test_rules_show_the_built_in_catalogue_until_one_is_configured(mod):
    await mod.h.command("UMONA", "/mod", "rules")
    text = mod.ephemeral("UMONA")
    assert "`fraud` Fraud (serious: ban)" in text and "Warnings stay active for 90 days." in text
    assert "5 active warnings within 180 days → the bot proposes a 30-day ban" in text


async def test_a_configured_rule_is_offered_with_its_template_in_the_readers_language(mod):
    h = mod.h
    await apply_config(h.container, parse_config(FILE))
    view = await mod.open("UMONA", "warn", "web:u-7 counterfeit")
    notice = next(b for b in view.blocks if b.get("block_id") == "notice_text")
    assert notice["element"]["initial_value"] == (
        "Hello web:u-7, your listing {content} on web breaks “Counterfeit goods”."
    )
    rule = next(b for b in view.blocks if b.get("block_id") == "rule")
    options = [o["value"] for o in rule["element"]["options"]]
    assert options == ["spam", "counterfeit"]
    await mod.submit("UMONA", view, {"notice_text": notice["element"]["initial_value"]})
    card = mod.card("CASE-1")
    assert "Counterfeit goods" in card.all_text
    # No content id was given: the placeholder goes with its space, no dash is left behind.
    assert "your listing on web breaks" in card.all_text

    # The same rule for a moderator who reads Chinese (granted by the same file).
    chinese = await mod.open("UZHANG", "warn", "web:u-8 counterfeit")
    notice = next(b for b in chinese.blocks if b.get("block_id") == "notice_text")
    expected = "web:u-8 您好，您在 web 的商品 {content} 违反了“假冒商品”。"
    assert notice["element"]["initial_value"] == expected


async def test_the_configured_ladder_proposes_the_configured_ban(mod):
    h = mod.h
    await apply_config(h.container, parse_config(FILE))
    await mod.warn()
    assert "proposes" not in mod.card("CASE-1").all_text
    await mod.warn()
    card = mod.card("CASE-2")
    assert "2 active warnings within 30 days" in card.all_text
    assert "The ladder proposes a 14-day ban." in card.all_text
    await mod.click("UMIKE", "mod.apply_proposal", card)
    ban = mod.card("CASE-3")
    assert "Temporary ban" in ban.all_text
    async with h.container.reader() as uow:
        case = await uow.moderation.find_case(3)
        warning = await uow.moderation.find_case(1)
    assert (case.ends_at - case.created_at).days == 14
    assert (warning.ends_at - warning.created_at).days == 60  # the configured lifetime


async def test_the_api_cites_the_configured_catalogue(mod):
    h = mod.h
    await apply_config(h.container, parse_config(FILE))
    for person in ("UMONA",):
        await h.command(person, "/mod", "help")
    key = await make_key(h, "moderation:write", name="shop")
    body = {"user": "web:u-9", "rule": "fraud", "notice_text": "No.", "user_id": "UMONA"}
    problem = assert_problem(
        await h.api("POST", "/api/v1/moderation/warnings", key, json=body), 422, "validation"
    )
    assert "counterfeit" in problem["errors"][0]["message"]
    body["rule"] = "counterfeit"
    created = await h.api("POST", "/api/v1/moderation/warnings", key, json=body)
    assert created.status_code == 201 and created.json()["rule_code"] == "counterfeit"


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        ({"rules": [{"code": "counterfeit"}]}, "not a built-in rule: give its title and notice"),
        (
            {"rules": [{**COUNTERFEIT, "notice": {"zh-CN": "只有中文"}}]},
            "give an English text too",
        ),
        ({"rules": [{"code": "spam"}, {"code": "spam"}]}, "'spam' is listed twice"),
        ({"ladder": [{"warnings": 2, "within_days": 0, "ban_days": 7}]}, "within_days"),
        ({"ladder": [{"warnings": 2, "within_days": 9, "ban_days": "forever"}]}, "ban_days"),
        ({"warning_days": 0}, "warning_days"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_policies_name_the_yaml_path(policy, message):
    with pytest.raises(ConfigError) as error:
        parse_config({"moderation": policy})
    assert "moderation" in str(error.value) and message in str(error.value)


async def test_unknown_placeholders_are_refused_before_anything_changes(mod):
    h = mod.h
    bad = {**COUNTERFEIT, "notice": {"en": "Dear {name}, stop."}}
    with pytest.raises(ConfigError) as error:
        await plan_config(h.container, parse_config({"moderation": {"rules": [bad]}}))
    assert "moderation.rules.counterfeit.notice: {name} is not a placeholder" in str(error.value)
    assert await policy_events(h) == []
