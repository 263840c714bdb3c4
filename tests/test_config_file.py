"""The declarative config file: validation with YAML paths, plan, idempotent apply, prune."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bot.config_file import ConfigError, apply_config, load_config, parse_config, plan_config
from bot.serve import prepare
from domain.access import Grant, Role
from domain.org.services import configure_department
from storage.models.core import EventRow
from tests.support.harness import Harness

ROOT = Path(__file__).resolve().parents[1]
BASE = {
    "calendars": [{"name": "office", "timezone": "Europe/Berlin", "holidays": ["2026-12-25"]}],
    "departments": [
        {"key": "finance", "name": "Finance", "channel": "CFINANCE", "calendar": "office"},
        {"key": "marketing", "name": "Marketing & Brand", "approval_quorum": 2},
    ],
    "platforms": [{"key": "app", "name": "Mobile app", "ops_channel": "CAPPOPS"}],
    "grants": [
        {"user": "UNINA", "role": "approver", "scope": "finance"},
        {"user": "UERIN", "role": "operator", "scope": "app"},
        {"user": "UCAROL", "role": "approver", "scope": "marketing"},
    ],
}


def write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "platops.yml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


async def config_events(h: Harness) -> list[EventRow]:
    async with h.container.database.read_session() as session:
        rows = await session.scalars(
            select(EventRow).where(EventRow.actor_id == "system:config").order_by(EventRow.id)
        )
        return list(rows)


def test_the_shipped_example_is_valid():
    document = load_config(ROOT / "config.example.yml")
    assert [d.key for d in document.departments] == ["marketing", "sales"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {
                "departments": [
                    {"key": "ok", "name": "Ok"},
                    {"key": "x", "name": "X", "approval_quorum": 0},
                ]
            },
            "departments[1] (x).approval_quorum: Input should be greater than or equal to 1",
        ),
        (
            {"calendars": [{"name": "c", "timezone": "Mars/Olympus"}]},
            "calendars[0] (c).timezone: Value error, unknown timezone 'Mars/Olympus'",
        ),
        (
            {"calendars": [{"name": "c", "start": "18:00", "end": "09:00"}]},
            "calendars[0] (c): Value error, working hours must start before they end",
        ),
        (
            {"grants": [{"user": "bob", "role": "admin"}]},
            "grants[0] (bob).user: String should match",
        ),
        ({"grants": [{"user": "UBOB", "role": "boss"}]}, "grants[0] (UBOB).role: Input should be"),
        ({"teams": []}, "teams: Extra inputs are not permitted"),
        (
            {"platforms": [{"key": "Web Shop", "name": "W"}]},
            "platforms[0] (Web Shop).key: String should match",
        ),
    ],
)
def test_invalid_files_name_the_yaml_path_of_the_bad_field(document, message):
    with pytest.raises(ConfigError) as caught:
        parse_config(document, source="platops.yml")
    assert f"platops.yml: {message}" in str(caught.value)


def test_broken_yaml_says_where(tmp_path: Path):
    path = tmp_path / "bad.yml"
    path.write_text("departments:\n  - key: x\n   name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"not valid YAML at line \d+, column \d+"):
        load_config(path)


async def test_plan_lists_the_changes_and_changes_nothing(seeded: Harness):
    plan = await plan_config(seeded.container, parse_config(BASE))
    text = plan.render()
    assert "calendar office: create" in text
    assert "department finance: create" in text
    assert (
        "department marketing: update (name: 'Marketing' → 'Marketing & Brand';"
        " approval_quorum: 1 → 2)"
    ) in text
    assert "platform app: create" in text
    assert "grant UNINA approver:finance: create" in text
    assert "UCAROL" not in text  # already an approver of marketing: unchanged
    assert text.endswith("5 to create, 1 to update, 0 to remove, 1 unchanged.")
    async with seeded.container.reader() as uow:
        assert await uow.org.find_department("finance") is None
    assert await config_events(seeded) == []


async def test_apply_makes_the_database_match_audited_and_idempotent(seeded: Harness):
    h = seeded
    plan = await apply_config(h.container, parse_config(BASE))
    assert plan.count("create") == 5 and plan.count("update") == 1

    async with h.container.reader() as uow:
        finance = await uow.org.find_department("finance")
        marketing = await uow.org.find_department("marketing")
        app = await uow.org.find_platform("app")
        calendar = await uow.calendars.get("office")
        nina = await uow.people.grants_of("UNINA")
    assert finance is not None and finance.channel_id == "CFINANCE"
    assert finance.calendar == "office"
    assert marketing is not None and marketing.approval_quorum == 2
    assert marketing.channel_id == "CMARKETING"  # not in the file: left as it was
    assert app is not None and app.ops_channel_id == "CAPPOPS"
    assert calendar is not None and calendar.timezone == "Europe/Berlin"
    assert nina == frozenset({Grant(Role.APPROVER, department_id=finance.id)})
    types = [e.type for e in await config_events(h)]
    assert types.count("role.granted") == 2
    assert {"calendar.defined", "department.added", "platform.added", "department.changed"} <= set(
        types
    )

    again = await apply_config(h.container, parse_config(BASE))
    assert again.pending == []
    assert again.summary() == "Nothing to change: 7 item(s) already as in the file."
    assert len(await config_events(h)) == len(types)


async def test_unset_fields_are_not_managed(seeded: Harness):
    h = seeded
    await apply_config(h.container, parse_config(BASE))
    async with h.container.uow() as uow:
        await configure_department(uow, await uow.actor_for("UALICE"), "finance", approval_quorum=3)
        await uow.commit()
    plan = await plan_config(h.container, parse_config(BASE))
    assert plan.pending == []  # finance's quorum is not in the file: Slack's setting stays


async def test_nothing_is_removed_without_prune_and_prune_removes_what_is_not_listed(
    seeded: Harness,
):
    h = seeded
    await apply_config(h.container, parse_config(BASE))
    smaller = {**BASE, "calendars": [], "departments": [], "grants": BASE["grants"][:1]}
    smaller["platforms"] = []
    assert (await plan_config(h.container, parse_config(smaller))).pending == []

    plan = await plan_config(
        h.container,
        parse_config({**smaller, "prune": True}),
        protected_admins=frozenset({"UALICE"}),
    )
    text = plan.render()
    assert "calendar office: remove" in text
    assert "grant UERIN operator:app: remove" in text
    assert "grant UALICE admin" not in text  # PLATOPS_ADMINS keep admin whatever the file says
    assert "department finance: kept (not in the file; never deleted)" in text

    await apply_config(
        h.container,
        parse_config({**smaller, "prune": True}),
        protected_admins=frozenset({"UALICE"}),
    )
    async with h.container.reader() as uow:
        assert await uow.calendars.get("office") is None
        assert await uow.people.grants_of("UERIN") == frozenset()
        assert await uow.org.find_department("finance") is not None
        assert Grant(Role.ADMIN) in await uow.people.grants_of("UALICE")


async def test_references_must_exist_in_the_file_or_the_database(seeded: Harness):
    bad_calendar = {"departments": [{"key": "ops", "name": "Ops", "calendar": "nowhere"}]}
    with pytest.raises(
        ConfigError, match=r"departments\[0\] \(ops\).calendar: no calendar 'nowhere'"
    ):
        await plan_config(seeded.container, parse_config(bad_calendar))
    bad_scope = {"grants": [{"user": "UBOB", "role": "member", "scope": "legal"}]}
    with pytest.raises(ConfigError, match=r"grants\[0\] \(UBOB\).scope: no department 'legal'"):
        await apply_config(seeded.container, parse_config(bad_scope))
    global_scoped = {"grants": [{"user": "UBOB", "role": "auditor", "scope": "web"}]}
    with pytest.raises(ConfigError, match="the auditor role is global"):
        await plan_config(seeded.container, parse_config(global_scoped))
    duplicate = {"platforms": [{"key": "x", "name": "X"}, {"key": "x", "name": "Y"}]}
    with pytest.raises(ConfigError, match=r"platforms\[1\] \(x\): listed twice"):
        await plan_config(seeded.container, parse_config(duplicate))


async def test_serve_start_applies_platops_config(seeded: Harness, tmp_path: Path):
    h = seeded
    settings = h.container.settings
    h.container.settings = settings.model_copy(update={"config_file": write(tmp_path, BASE)})
    await prepare(h.container)
    async with h.container.reader() as uow:
        assert await uow.org.find_platform("app") is not None
    await prepare(h.container)  # a restart: nothing new
    assert [e.type for e in await config_events(h)].count("platform.added") == 1


async def test_serve_start_fails_fast_on_a_bad_file(seeded: Harness, tmp_path: Path):
    h = seeded
    bad = write(tmp_path, {"departments": [{"key": "x"}]})
    h.container.settings = h.container.settings.model_copy(update={"config_file": bad})
    with pytest.raises(ConfigError, match=r"departments\[0\] \(x\).name: Field required"):
        await prepare(h.container)
