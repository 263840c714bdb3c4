"""Platform user references, content ids and the escalation ladder (pure domain rules)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import ValidationFailed
from domain.moderation.catalogue import DEFAULT_POLICY, ModerationPolicy, Rung
from domain.moderation.models import parse_case_key, parse_content_ids, parse_user_ref


@pytest.mark.parametrize(
    ("text", "platform", "external_id"),
    [
        ("web:u-1", "web", "u-1"),
        ("WEB:Alice.B", "web", "Alice.B"),
        ("12345", None, "12345"),
        ("shop:a@b.example", "shop", "a@b.example"),
    ],
)
def test_user_references(text, platform, external_id):
    ref = parse_user_ref(text)
    assert (ref.platform, ref.external_id) == (platform, external_id)


@pytest.mark.parametrize("text", ["", "web:", ":u1", "web:u 1", "web:<script>", "x" * 200])
def test_malformed_references_are_refused_on_the_ref_field(text):
    with pytest.raises(ValidationFailed) as error:
        parse_user_ref(text)
    assert list(error.value.fields) == ["ref"]


def test_content_ids_are_split_deduplicated_and_checked():
    assert parse_content_ids("c-1, c-2\nc-1;post/9") == ["c-1", "c-2", "post/9"]
    assert parse_content_ids("") == []
    with pytest.raises(ValidationFailed):
        parse_content_ids("ok bad<id>")
    with pytest.raises(ValidationFailed):
        parse_content_ids(" ".join(f"c{i}" for i in range(51)))


def test_case_keys():
    assert parse_case_key("case-12") == 12
    with pytest.raises(ValidationFailed):
        parse_case_key("REQ-12")


def ages(*days: float) -> list[timedelta]:
    return [timedelta(days=d) for d in days]


def test_the_ladder_proposes_the_highest_rung_reached_within_its_window():
    policy = DEFAULT_POLICY
    assert policy.proposal_for(ages(1, 2)) is None
    proposal = policy.proposal_for(ages(1, 2, 80))
    assert proposal is not None and (proposal.days, proposal.warnings) == (7, 3)
    assert policy.proposal_for(ages(1, 2, 91)) is None  # the third one is outside 90 days
    top = policy.proposal_for(ages(1, 2, 3, 100, 170))
    assert top is not None and top.days == 30


def test_a_configured_ladder_may_end_in_a_permanent_ban():
    policy = ModerationPolicy(ladder=(Rung(2, 30, None),))
    proposal = policy.proposal_for(ages(0, 10))
    assert proposal is not None and proposal.days is None


def test_built_in_rules_cover_the_spec_categories():
    codes = {r.code for r in DEFAULT_POLICY.rules}
    assert codes == {"false_advertising", "spam", "fraud", "harassment", "illegal_content", "other"}
    assert DEFAULT_POLICY.rule("nope") is None
