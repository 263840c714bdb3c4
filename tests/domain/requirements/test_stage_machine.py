"""The requirement's stages (Art. 6): what may follow what, and when a test counts (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.errors import InvalidTransition
from domain.requirements.models import (
    ENDS,
    ENGINEERING_MOVES,
    Decision,
    Priority,
    Requirement,
    Stage,
    Status,
    Vote,
)
from domain.requirements.models import TestRecord as RecordedTest  # not a pytest class

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def requirement(stage: Stage = Stage.DESIGN, **changes: object) -> Requirement:
    values: dict[str, object] = {
        "id": 1,
        "number": 7,
        "title": "Sign-up",
        "department_id": 1,
        "platform_id": None,
        "description": "d",
        "justification": "j",
        "priority": Priority.HIGH,
        "wanted_by": date(2026, 2, 1),
        "submitter_id": "UBOB",
        "created_at": T0,
        "stage": stage,
        "stage_changed_at": T0,
        "seats": ["UCAROL", "UDAVE"],
    }
    values.update(changes)
    return Requirement(**values)  # type: ignore[arg-type]


def test_design_development_testing_live_and_back():
    r = requirement()
    assert r.move(Stage.DEVELOPMENT, T0) is Stage.DESIGN
    assert r.move(Stage.DESIGN, T0) is Stage.DEVELOPMENT  # design revisited
    r.move(Stage.DEVELOPMENT, T0)
    r.move(Stage.TESTING, T0)
    r.move(Stage.DEVELOPMENT, T0)
    r.move(Stage.TESTING, T0 + timedelta(hours=1))
    assert r.stage_changed_at == T0 + timedelta(hours=1) and r.status is Status.ACTIVE
    r.move(Stage.LIVE, T0 + timedelta(hours=2))
    assert r.stage is Stage.LIVE and r.status is Status.DONE and r.is_closed


@pytest.mark.parametrize(
    ("stage", "target", "allowed"),
    [
        (Stage.APPROVAL, Stage.DESIGN, "—"),  # only votes leave approval
        (Stage.DESIGN, Stage.LIVE, "development"),
        (Stage.DESIGN, Stage.TESTING, "development"),
        (Stage.DEVELOPMENT, Stage.LIVE, "testing, design"),
        (Stage.TESTING, Stage.DESIGN, "live, development"),
        (Stage.LIVE, Stage.DEVELOPMENT, "—"),
        (Stage.REJECTED, Stage.DESIGN, "—"),
        (Stage.WITHDRAWN, Stage.DESIGN, "—"),
        (Stage.DESIGN, Stage.WITHDRAWN, "development"),  # withdrawing is not a move
    ],
)
def test_illegal_moves_name_the_allowed_next_stages(stage, target, allowed):
    r = requirement(stage)
    with pytest.raises(InvalidTransition) as refused:
        r.move(target, T0 + timedelta(days=1))
    assert refused.value.code == "req.errors.illegal_move"
    assert refused.value.params["allowed"] == allowed
    assert refused.value.params["stage"] == stage.value
    assert r.stage is stage and r.stage_changed_at == T0  # nothing changed


def test_every_stage_has_a_status_and_ends_are_closed_or_done():
    assert {requirement(s).status for s in Stage} == set(Status)
    assert {s for s in Stage if requirement(s).is_closed} == ENDS
    assert not any(s in ENGINEERING_MOVES for s in ENDS)


def test_only_a_passing_test_of_the_current_testing_stage_counts():
    r = requirement(Stage.TESTING, stage_changed_at=T0 + timedelta(hours=5))
    assert r.passing_test() is None
    old = RecordedTest(1, True, "from last week", "UERIN", T0)
    r.tests.append(old)
    assert r.passing_test() is None  # recorded before it (re-)entered testing
    r.tests.append(RecordedTest(1, False, "500s", "UERIN", T0 + timedelta(hours=6)))
    assert r.passing_test() is None  # the latest failed
    good = RecordedTest(1, True, "green", "UERIN", T0 + timedelta(hours=7))
    r.tests.append(good)
    assert r.passing_test() is good
    r.move(Stage.DEVELOPMENT, T0 + timedelta(hours=8))
    assert r.passing_test() is None  # not in testing any more


def test_votes_count_per_round_and_waiting_only_in_approval():
    r = requirement(Stage.APPROVAL, round=2)
    r.votes = [
        Vote(1, 1, "UCAROL", Decision.CHANGES, "UCAROL", T0, "more detail"),
        Vote(1, 2, "UDAVE", Decision.APPROVE, "UFRANK", T0),
    ]
    assert r.approvals == 1 and r.waiting_for() == ["UCAROL"]
    assert r.vote_of("UCAROL") is None  # her round-1 vote is history, not this round's
    assert r.vote_of("UDAVE") is not None and r.vote_of("UDAVE").on_behalf
    assert len(r.round_votes(1)) == 1
    r.enter(Stage.DESIGN, T0)
    assert r.waiting_for() == []


def test_reasons_are_needed_to_say_no():
    assert not Decision.APPROVE.needs_reason
    assert Decision.REJECT.needs_reason and Decision.CHANGES.needs_reason
