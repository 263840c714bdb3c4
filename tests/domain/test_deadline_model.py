from datetime import UTC, datetime, timedelta

from domain.deadlines.models import Deadline, DeadlineState, Step
from domain.events import Subject

DUE = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def deadline(*offsets_h: float) -> Deadline:
    steps = [Step(timedelta(hours=h), f"step{i}") for i, h in enumerate(offsets_h)]
    return Deadline(None, "test.kind", Subject("thing", 1), DUE, steps)


def test_first_fire_time_is_due_plus_first_offset():
    d = deadline(-1, 0, 24)
    assert d.next_fire_at == DUE - timedelta(hours=1)
    assert d.current_step and d.current_step.action == "step0"


def test_advance_walks_the_ladder_and_ends():
    d = deadline(0, 24)
    d.advance(DUE)
    assert d.next_fire_at == DUE + timedelta(hours=24)
    d.advance(DUE + timedelta(hours=24))
    assert d.next_fire_at is None
    assert d.current_step is None


def test_advance_after_an_outage_does_not_schedule_in_the_past():
    d = deadline(0, 1)
    late = DUE + timedelta(hours=5)
    d.advance(late)
    assert d.next_fire_at == late  # fires once on the next sweep, not once per missed step


def test_snooze_postpones_but_never_brings_forward():
    d = deadline(0)
    d.snooze(DUE + timedelta(hours=4))
    assert d.next_fire_at == DUE + timedelta(hours=4)
    d.snooze(DUE - timedelta(hours=1))
    assert d.next_fire_at == DUE + timedelta(hours=4)


def test_close_stops_everything():
    d = deadline(0, 1)
    d.close(DUE)
    assert d.state is DeadlineState.CLOSED
    assert d.next_fire_at is None
