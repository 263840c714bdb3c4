"""The approval policy (SPEC §5.1) through the use cases on a real unit of work: quorum N of M,
any reject rejects, nobody approves their own, each seat votes once, delegates stand in."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import Conflict, PermissionDenied, ValidationFailed
from domain.requirements.delegation import delegate_approvals, end_delegation
from domain.requirements.models import Decision, Stage, Vote
from domain.requirements.services import cast_vote, resubmit_requirement, submit_requirement
from tests.domain.requirements.conftest import World, draft

APPROVE, REJECT, CHANGES = Decision.APPROVE, Decision.REJECT, Decision.CHANGES


async def submit(world: World, user: str = "UBOB"):
    return await world.as_(user, submit_requirement, draft())


async def vote(world: World, user: str, decision: Decision = APPROVE, **kw):
    return await world.as_(user, cast_vote, "REQ-1", decision, **kw)


async def test_quorum_of_two_out_of_three(world):
    await world.quorum(2)
    submitted = await submit(world)
    assert submitted.seats == ["UCAROL", "UDAVE", "UFRANK"] and submitted.quorum == 2
    first = await vote(world, "UCAROL")
    assert first.stage is Stage.APPROVAL and first.approvals == 1
    assert first.waiting_for() == ["UDAVE", "UFRANK"]
    decided = await vote(world, "UDAVE")
    assert decided.stage is Stage.DESIGN and decided.waiting_for() == []
    with pytest.raises(Conflict) as late:
        await vote(world, "UFRANK")
    assert late.value.code == "req.errors.decided"
    assert await world.event_types() == [
        "requirement.submitted",
        "requirement.vote_cast",
        "requirement.vote_cast",
        "requirement.approved",
    ]


async def test_quorum_never_exceeds_the_approvers_there_are(world):
    await world.quorum(5)
    assert (await submit(world)).quorum == 3


async def test_any_reject_rejects_even_after_approvals(world):
    await world.quorum(3)
    await submit(world)
    await vote(world, "UCAROL")
    await vote(world, "UDAVE")
    with pytest.raises(ValidationFailed) as no_reason:
        await vote(world, "UFRANK", REJECT, reason="  ")
    assert set(no_reason.value.fields) == {"reason"}
    rejected = await vote(world, "UFRANK", REJECT, reason="Out of budget")
    assert rejected.stage is Stage.REJECTED and rejected.is_closed
    assert (await world.event_types())[-1] == "requirement.rejected"


async def test_nobody_approves_their_own(world):
    submitted = await submit(world, "UCAROL")  # Carol is a member and an approver
    assert "UCAROL" not in submitted.seats
    with pytest.raises(PermissionDenied) as own:
        await vote(world, "UCAROL")
    assert own.value.code == "req.errors.own_requirement"
    # Nor by standing in for another approver.
    await world.as_("UDAVE", delegate_approvals, "UCAROL", date(2026, 1, 9))
    with pytest.raises(PermissionDenied) as stand_in:
        await vote(world, "UCAROL", seat="UDAVE")
    assert stand_in.value.code == "req.errors.own_requirement"
    assert (await world.event_types()).count("requirement.vote_cast") == 0


async def test_a_department_whose_only_approver_submits_refuses_it(world):
    for user in ("UDAVE", "UFRANK"):
        await world.revoke(user, "approver")
    with pytest.raises(Conflict) as refused:
        await submit(world, "UCAROL")
    assert refused.value.code == "req.errors.no_approvers"
    assert await world.event_types() == []


async def test_each_seat_votes_once(world):
    await world.quorum(2)
    await submit(world)
    await vote(world, "UCAROL")
    with pytest.raises(Conflict) as twice:
        await vote(world, "UCAROL", REJECT, reason="changed my mind")
    assert twice.value.code == "req.errors.already_voted"

    async def race(uow):  # a second click that got past the checks: the database refuses it
        vote_row = Vote(1, 1, "UCAROL", APPROVE, "UCAROL", uow.now())
        return await uow.requirements.add_vote(vote_row)

    assert await world.run(race) is False
    assert (await world.event_types()).count("requirement.vote_cast") == 1


async def test_outsiders_do_not_vote(world):
    await submit(world)
    for user in ("UERIN", "UBOB"):
        with pytest.raises(PermissionDenied):
            await vote(world, user)
    await world.grant("UNEW", "approver")  # joined after the round was seated
    with pytest.raises(PermissionDenied) as late_joiner:
        await vote(world, "UNEW")
    assert late_joiner.value.code == "req.errors.not_approver"


async def test_changes_requested_then_resubmitted_is_a_new_round(world):
    await world.quorum(2)
    await submit(world)
    await vote(world, "UCAROL")
    back = await vote(world, "UDAVE", CHANGES, reason="Which pages?")
    assert back.stage is Stage.CHANGES_REQUESTED
    with pytest.raises(PermissionDenied):
        await world.as_("UCAROL", resubmit_requirement, "REQ-1", draft())
    again = await world.as_(
        "UBOB", resubmit_requirement, "REQ-1", draft(title="Sign-up, all pages")
    )
    assert again.round == 2 and again.stage is Stage.APPROVAL and again.approvals == 0
    assert len(again.votes) == 2  # earlier votes stay in the history
    assert (await vote(world, "UCAROL")).approvals == 1  # her seat votes anew


async def test_a_delegate_votes_for_the_absent_approver_while_the_delegation_lasts(world):
    await world.quorum(3)
    await submit(world)
    await world.grant("UGINA", "approver")  # not seated in this round
    with pytest.raises(PermissionDenied):
        await vote(world, "UGINA")
    await world.as_("UCAROL", delegate_approvals, "UGINA", date(2026, 1, 9))
    stood_in = await vote(world, "UGINA")
    cast = stood_in.vote_of("UCAROL")
    assert cast is not None and cast.cast_by == "UGINA" and cast.on_behalf
    with pytest.raises(Conflict):
        await vote(world, "UCAROL")  # her seat is filled
    # Dave delegates too, but ends it before Gina votes: the stand-in is gone.
    await world.as_("UDAVE", delegate_approvals, "UGINA", date(2026, 1, 9))
    await world.as_("UDAVE", end_delegation)
    with pytest.raises(PermissionDenied):
        await vote(world, "UGINA", seat="UDAVE")
    # Frank's delegation runs out at the end of its last day (UTC).
    await world.as_("UFRANK", delegate_approvals, "UGINA", date(2026, 1, 6))
    world.clock.advance(days=2)
    with pytest.raises(PermissionDenied):
        await vote(world, "UGINA", seat="UFRANK")
    types = await world.event_types()
    assert types.count("requirement.delegated") == 3
    assert types.count("requirement.delegation_ended") == 1


@pytest.mark.parametrize(
    ("delegator", "delegate", "until", "field_or_code"),
    [
        ("UCAROL", "UCAROL", date(2026, 1, 9), "delegate"),
        ("UCAROL", "UERIN", date(2026, 1, 9), "delegate"),  # not an approver
        ("UCAROL", "UDAVE", date(2026, 1, 4), "until"),  # in the past
        ("UCAROL", "UDAVE", date(2027, 3, 1), "until"),  # over 366 days
        ("UBOB", "UDAVE", date(2026, 1, 9), "req.errors.delegate_not_approver"),
    ],
)
async def test_delegations_are_checked(world, delegator, delegate, until, field_or_code):
    with pytest.raises((ValidationFailed, PermissionDenied)) as refused:
        await world.as_(delegator, delegate_approvals, delegate, until)
    error = refused.value
    assert field_or_code in (error.fields if isinstance(error, ValidationFailed) else error.code)
    assert await world.event_types() == []


async def test_a_delegation_after_the_request_reaches_the_delegate_at_once(world):
    await submit(world)
    await world.grant("UGINA", "approver")
    await world.as_("UCAROL", delegate_approvals, "UGINA", date(2026, 1, 9))

    async def recipients(uow):
        return (await uow.requirements.find(1)).recipients

    assert ("UCAROL", "UGINA") in await world.run(recipients)
