"""The fake implements real Slack methods with the required parameters Slack's spec declares."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox import FakeSlack, gen_methods
from bot.sandbox.api_args import METHODS

REPO = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO / "tests" / "fixtures" / "slack_web_openapi_v2.json"
METHODS_JSON = REPO / "bot" / "sandbox" / "slack_methods.json"
NEWER_THAN_SPEC = {"files.getUploadURLExternal", "files.completeUploadExternal"}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


def spec_required(spec: dict[str, Any], method: str) -> set[str]:
    operations = spec["paths"]["/" + method].values()
    return {
        p["name"]
        for op in operations
        for p in op.get("parameters", [])
        if p.get("required") and p["name"] != "token"
    }


def test_every_implemented_method_exists_in_slacks_spec(spec: dict[str, Any]) -> None:
    implemented = set(METHODS)
    missing = sorted(m for m in implemented - NEWER_THAN_SPEC if "/" + m not in spec["paths"])
    assert missing == []
    assert implemented >= NEWER_THAN_SPEC
    assert not any("/" + m in spec["paths"] for m in NEWER_THAN_SPEC)


def test_methods_json_covers_exactly_the_implemented_methods() -> None:
    data = json.loads(METHODS_JSON.read_text(encoding="utf-8"))
    assert "slackapi/slack-api-specs" in data["_source"]
    assert set(data["methods"]) == set(METHODS)


def test_required_parameters_match_the_spec(spec: dict[str, Any]) -> None:
    data = json.loads(METHODS_JSON.read_text(encoding="utf-8"))["methods"]
    for method, entry in data.items():
        if method in NEWER_THAN_SPEC:
            continue
        assert set(entry["required"]) == spec_required(spec, method), method
        assert not set(entry.get("also_required", [])) & set(entry["required"]), method


def test_methods_json_is_what_the_generator_writes() -> None:
    assert gen_methods.render(SPEC_PATH) == METHODS_JSON.read_text(encoding="utf-8")


def test_missing_required_parameters_are_named() -> None:
    fake = FakeSlack()
    answer = fake.api("views.open")
    assert answer["error"] == "invalid_arguments"
    assert answer["response_metadata"]["messages"] == [
        "[ERROR] missing required field: trigger_id",
        "[ERROR] missing required field: view",
    ]
    assert fake.api("users.info")["error"] == "user_not_found"
    assert fake.api("files.getUploadURLExternal", filename="a.txt")["error"] == "invalid_arguments"
    assert fake.api("no.such.method")["error"] == "unknown_method"


def test_runtime_code_never_reads_the_shared_folder() -> None:
    for path in (REPO / "bot" / "sandbox").rglob("*.py"):
        assert "/work/shared" not in path.read_text(encoding="utf-8"), path
