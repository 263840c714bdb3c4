"""Approving through the approvers' DMs: quorum, double clicks, outsiders, reject, changes."""

from __future__ import annotations

from copy import deepcopy
from datetime import timedelta

from scheduler.jobs import sweep_deadlines


async def quorum_two(req):
    await req.h.command("UALICE", "/platops", "dept quorum marketing 2")
    await req.submit()


async def test_quorum_two_double_click_and_outsider(req):
    h = req.h
    await quorum_two(req)
    carol_dm = req.dm("UCAROL")
    as_clicked = deepcopy(carol_dm)  # the message as it was on screen for both clicks
    await req.click("UCAROL", "req.approve", carol_dm)
    await req.click("UCAROL", "req.approve", as_clicked)  # a double click counts once
    assert "already counted" in req.ephemeral("UCAROL")
    votes = [e for e in await req.events() if e.type == "requirement.vote_cast"]
    assert len(votes) == 1
    # Every DM and the card were updated in place: 1 of 2, Carol's buttons gone.
    assert "1 of 2 approvals" in req.card().all_text and req.card().edits
    dave_dm = req.dm("UDAVE")
    assert "1 of 2 approvals" in dave_dm.all_text and dave_dm.edits
    assert [b for b in req.dm("UCAROL").blocks if b["type"] == "actions"] == []
    assert "Vote: *Approved* by <@UCAROL>" in req.dm("UCAROL").all_text
    # The history names the approval without an empty "reason" (an approval needs none).
    assert "<@UCAROL>: Approved (round 1)" in req.card().all_text
    assert "reason: —" not in req.card().all_text
    # Someone who is not an approver cannot vote, even with a forged click.
    await req.click("UERIN", "req.approve", dave_dm)
    assert "not an approver" in req.ephemeral("UERIN")
    stale = deepcopy(dave_dm)
    await req.click("UDAVE", "req.approve", dave_dm)
    assert "Design" in req.card().all_text
    assert any("was approved" in m.all_text for m in h.fake.dms_to("UBOB"))
    approved = [e for e in await req.events() if e.type == "requirement.approved"]
    assert approved[0].data["from"] == "approval" and approved[0].data["to"] == "design"
    # A click on the decided request changes nothing.
    await req.click("UDAVE", "req.approve", stale)
    assert "no longer waiting" in req.ephemeral("UDAVE")
    req.assert_valid_block_kit()


async def test_an_approver_removed_meanwhile_is_refused(req):
    await quorum_two(req)
    await req.h.command("UALICE", "/platops", "role revoke <@UDAVE> approver marketing")
    await req.click("UDAVE", "req.approve", req.dm("UDAVE"))
    assert "not an approver" in req.ephemeral("UDAVE")
    assert [e for e in await req.events() if e.type == "requirement.vote_cast"] == []


async def test_reject_needs_a_reason_and_ends_it(req):
    h = req.h
    await quorum_two(req)
    dave_before = deepcopy(req.dm("UDAVE"))
    await req.click("UCAROL", "req.reject", req.dm("UCAROL"))
    view = h.fake.open_modal("UCAROL")
    response = await h.sim.submit("UCAROL", view.id, {"reason": "   "})
    assert response.json["response_action"] == "errors" and "reason" in view.errors
    await h.sim.submit("UCAROL", view.id, {"reason": "No budget this quarter"})
    await h.settle()
    assert "Rejected" in req.card().all_text
    assert "reason: No budget this quarter" in req.card().all_text
    outcome = next(m for m in h.fake.dms_to("UBOB") if "was rejected" in m.all_text)
    assert "No budget this quarter" in outcome.all_text
    assert "round is over" in req.dm("UDAVE").all_text
    await req.click("UDAVE", "req.approve", dave_before)
    assert "no longer waiting" in req.ephemeral("UDAVE")
    req.assert_valid_block_kit()


async def test_changes_requested_then_resubmitted_opens_a_new_round(req):
    h = req.h
    await quorum_two(req)
    await req.click("UCAROL", "req.approve", req.dm("UCAROL"))
    await req.vote_with_reason("UDAVE", "req.changes", req.dm("UDAVE"), "Add the target audience")
    outcome = next(m for m in h.fake.dms_to("UBOB") if "Changes were requested" in m.all_text)
    await req.click("UBOB", "req.resubmit", deepcopy(outcome))
    view = h.fake.open_modal("UBOB")
    assert view.callback_id == "req.resubmit_view"
    title = next(b for b in view.blocks if b.get("block_id") == "title")
    assert title["element"]["initial_value"] == "Spring campaign landing page"  # prefilled
    await h.sim.submit("UBOB", view.id, {"description": "For young parents, with sign-up."})
    await h.settle()
    card = req.card().all_text
    assert "Round 2" in card and "0 of 2 approvals" in card
    # Round 1 stays in the history; the new round has fresh DMs with buttons.
    assert "Add the target audience" in card
    new_dm = req.dm("UCAROL", contains="Round 2")
    assert "Approve" in str(new_dm.blocks)
    types = [e.type for e in await req.events()]
    assert types.count("requirement.vote_cast") == 2 and "requirement.resubmitted" in types
    resubmitted = next(e for e in await req.events() if e.type == "requirement.resubmitted")
    assert resubmitted.data["round"] == 2 and "description" in resubmitted.data["changes"]
    # The old round's buttons are stale now.
    await req.click("UBOB", "req.resubmit", outcome)
    assert "not waiting for changes" in req.ephemeral("UBOB")
    req.assert_valid_block_kit()


async def test_the_submitter_never_approves_their_own(req):
    h = req.h
    await h.command("UALICE", "/platops", "role grant <@UCAROL> member marketing")
    await req.submit(user="UCAROL")
    assert [m for m in h.fake.dms_to("UCAROL") if "Approve" in str(m.blocks)] == []
    await req.click("UCAROL", "req.approve", req.dm("UDAVE"))
    assert "your own requirement" in req.ephemeral("UCAROL")


async def test_delegate_votes_on_behalf(req):
    h = req.h
    await h.command("UCAROL", "/req", "delegate <@UDAVE|dave> until 2026-01-20")
    assert "votes for you" in req.ephemeral("UCAROL")
    await h.command("UALICE", "/platops", "dept quorum marketing 2")
    await req.submit()
    stand_in = req.dm("UDAVE", contains="on behalf of")
    await req.click("UDAVE", "req.approve", stand_in)
    await req.click("UDAVE", "req.approve", req.dm("UDAVE", contains="asks for your approval"))
    card = req.card().all_text
    assert "<@UDAVE> on behalf of <@UCAROL>" in card and "Design" in card
    (delegated,) = [e for e in await req.events() if e.type == "requirement.delegated"]
    assert delegated.actor_id == "UCAROL" and delegated.data["delegate"] == "UDAVE"
    votes = [e.data for e in await req.events() if e.type == "requirement.vote_cast"]
    assert {v["on_behalf_of"] for v in votes} == {"UCAROL", None}
    req.assert_valid_block_kit()


async def test_reminders_then_escalation_to_admins(req):
    h = req.h
    await req.submit()
    h.clock.advance(hours=23)
    assert await sweep_deadlines(h.container) == 0
    h.clock.advance(hours=2)
    await sweep_deadlines(h.container)
    await h.settle()
    reminder = next(m for m in h.fake.dms_to("UCAROL") if "Reminder" in m.all_text)
    assert "REQ-1" in reminder.all_text
    await req.click("UCAROL", "req.approve", reminder)  # acting on it closes her deadline
    h.clock.advance(hours=48)
    await sweep_deadlines(h.container)
    await h.settle()
    # Carol approved (quorum 1): nothing left to escalate.
    assert not any("Escalation" in m.all_text for m in h.fake.dms_to("UALICE"))


async def test_unanswered_approval_is_escalated(req):
    h = req.h
    await quorum_two(req)
    h.clock.advance(hours=25)
    await sweep_deadlines(h.container)
    h.clock.advance(timedelta(hours=48))
    await sweep_deadlines(h.container)
    await h.settle()
    escalations = [m for m in h.fake.dms_to("UALICE") if "Escalation" in m.all_text]
    assert len(escalations) == 2  # one per approver who has not voted
    types = [e.type for e in await req.events()]
    assert types.count("requirement.reminded") == 2 and types.count("requirement.escalated") == 2
    req.assert_valid_block_kit()


def snooze_value(reminder, choice="4h"):
    """The menu entry as rendered: its value names the reminder's own deadline."""
    (menu,) = [b for b in reminder.blocks if b.get("block_id", "").startswith("snooze:")]
    options = menu["elements"][0]["options"]
    (value,) = [o["value"] for o in options if o["value"].endswith(f":{choice}")]
    return value


async def test_snoozing_the_reminder_delays_the_escalation(req):
    h = req.h
    await req.submit()
    h.clock.advance(hours=25)
    await sweep_deadlines(h.container)
    await h.settle()
    reminder = next(m for m in h.fake.dms_to("UCAROL") if "Reminder" in m.all_text)
    h.clock.advance(hours=46)  # 71 h after submission; escalation is due at 72 h
    await h.sim.click(
        "UCAROL", "deadline.snooze", message=reminder, selected_option_value=snooze_value(reminder)
    )
    await h.settle()

    async def escalated() -> list[str]:
        await sweep_deadlines(h.container)
        await h.settle()
        return [m.all_text for m in h.fake.dms_to("UALICE") if "Escalation" in m.all_text]

    h.clock.advance(hours=1)
    first = await escalated()
    assert len(first) == 1 and "<@UDAVE>" in first[0]  # Carol's is snoozed until 75 h
    h.clock.advance(hours=4)
    assert len(await escalated()) == 2
