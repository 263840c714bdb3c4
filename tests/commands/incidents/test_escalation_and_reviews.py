"""The acknowledge SLA ladder and post-incident reviews, with time advanced on the ManualClock."""

from __future__ import annotations

from commands.incidents import modals, views
from tests.commands.incidents.conftest import (
    WEBOPS,
    assert_all_valid,
    card,
    declare,
    events,
    last_ephemeral,
    sweep,
)
from tests.support.harness import Harness


def channel_lines(h: Harness) -> list[str]:
    """Messages in the ops channel other than the card itself."""
    return [m.text for m in h.fake.messages_in(WEBOPS) if "INC-1 ·" not in m.text]


async def test_unacknowledged_sev1_renotifies_then_escalates_each_step_once(rota_any: Harness):
    h = rota_any
    await declare(h, severity="SEV1")
    assert await sweep(h, minutes=4) == 0
    assert h.fake.dms_to("UOSCAR") == []

    # 5 minutes (SEV1): the on-call is re-notified, by DM and in the channel.
    assert await sweep(h, minutes=1) == 1
    assert len(h.fake.dms_to("UOSCAR")) == 1
    assert "You are on call" in h.fake.dms_to("UOSCAR")[0].all_text
    assert len(channel_lines(h)) == 1 and "re-notifying the on-call" in channel_lines(h)[0]
    assert await sweep(h) == 0  # a second sweep posts nothing again

    # 10 minutes: every operator of the platform.
    assert await sweep(h, minutes=5) == 1
    assert len(h.fake.dms_to("UOSCAR")) == 2 and len(h.fake.dms_to("UOLIVIA")) == 1
    assert "escalated to all operators" in channel_lines(h)[-1]
    assert "to all operators" in card(h).all_text

    # 15 minutes: the admins.
    assert await sweep(h, minutes=5) == 1
    assert len(h.fake.dms_to("UALICE")) == 1
    assert "escalated to the admins" in channel_lines(h)[-1]
    assert len(channel_lines(h)) == 3
    assert await sweep(h, hours=5) == 0  # the ladder is done

    levels = [e.data["level"] for e in await events(h) if e.type == "incident.escalated"]
    assert levels == [0, 1, 2]
    assert_all_valid(h)


async def test_acknowledging_stops_the_escalation(rota: Harness):
    h = rota
    await declare(h, severity="SEV1")
    await sweep(h, minutes=5)
    page = h.fake.dms_to("UOSCAR")[0]
    await h.sim.click("UOSCAR", views.ACK, message=page)  # from the DM
    await h.settle()
    assert "Acknowledged" in card(h).all_text
    assert await sweep(h, minutes=30) == 0
    assert h.fake.dms_to("UOLIVIA") == [] and h.fake.dms_to("UALICE") == []
    acknowledged = next(e for e in await events(h) if e.type == "incident.acknowledged")
    assert acknowledged.data["seconds_to_ack"] == 300 and acknowledged.data["severity"] == "SEV1"


async def test_unacknowledge_restarts_the_clock(rota_any: Harness):
    h = rota_any
    await declare(h, severity="SEV2")
    await h.command("UOSCAR", "/incident", "ack INC-1")
    await h.command("UOSCAR", "/incident", "unack INC-1")
    assert "handed back" in last_ephemeral(h, "UOSCAR")
    assert await sweep(h, minutes=14) == 0
    assert await sweep(h, minutes=1) == 1
    assert len(h.fake.dms_to("UOSCAR")) == 1


async def test_manual_escalation_is_not_repeated_by_the_sla(rota_any: Harness):
    h = rota_any
    await declare(h, severity="SEV1")
    await h.sim.click("UOSCAR", views.ESCALATE, message=card(h))
    await h.settle()
    assert len(h.fake.dms_to("UOLIVIA")) == 1
    assert "was escalated to all operators" in channel_lines(h)[-1]
    await sweep(h, minutes=5)  # re-notify the on-call
    await sweep(h, minutes=5)  # operators already paged by hand: skipped
    assert len(h.fake.dms_to("UOLIVIA")) == 1
    await sweep(h, minutes=5)
    assert len(h.fake.dms_to("UALICE")) == 1
    assert views.ESCALATE not in str(card(h).blocks)  # nothing above the admins


async def test_sev2_resolution_owes_a_review_reminded_before_and_after_its_due_date(
    rota_any: Harness,
):
    h = rota_any
    await declare(h, severity="SEV2")  # Monday 09:00
    await h.command("UOLIVIA", "/incident", "ack INC-1")
    await h.command("UOLIVIA", "/incident", "resolve INC-1 Restarted the payment gateway")
    assert "INC-1 is resolved" in last_ephemeral(h, "UOLIVIA")
    inc = card(h)
    assert "owed by <@UOLIVIA>" in inc.all_text
    resolved = next(e for e in await events(h) if e.type == "incident.resolved")
    assert resolved.data["review_due_at"].startswith("2026-01-12T09:00")  # 5 working days
    await h.sim.open_home("UOLIVIA")
    await h.settle()
    assert "Post-incident reviews you owe" in str(h.fake.home_views["UOLIVIA"].view)

    before = len(h.fake.dms_to("UOLIVIA"))
    assert await sweep(h, days=5, hours=23) == 0  # Sunday 08:00: too early
    assert await sweep(h, hours=2) == 1  # Sunday 10:00: the day before
    assert "is due" in h.fake.dms_to("UOLIVIA")[-1].all_text
    assert await sweep(h, days=1) == 1  # due
    assert await sweep(h, days=1) == 1  # overdue: DM and the channel
    assert "overdue" in h.fake.dms_to("UOLIVIA")[-1].all_text
    assert "overdue" in h.fake.messages_in(WEBOPS)[-1].all_text
    assert len(h.fake.dms_to("UOLIVIA")) == before + 3

    reminder = h.fake.dms_to("UOLIVIA")[-1]
    await h.sim.click("UOLIVIA", views.REVIEW, message=reminder)
    modal = h.fake.open_modal("UOLIVIA")
    assert modal.callback_id == modals.REVIEW_MODAL
    bad = await h.sim.submit(
        "UOLIVIA", modal.id, {"summary.value": "Gateway down", "root_cause.value": " "}
    )
    assert list(bad.json["errors"]) == ["root_cause"]
    ok = await h.sim.submit(
        "UOLIVIA",
        modal.id,
        {
            "summary.value": "Gateway down 20 min",
            "root_cause.value": "Expired TLS certificate",
            "actions.value": "- Monitor certificate expiry\n- Automate renewal\n",
        },
    )
    assert ok.status == 200 and not ok.json
    await h.settle()
    assert "Expired TLS certificate" in inc.all_text and "Automate renewal" in inc.all_text
    assert await sweep(h, days=5) == 0  # the escalation step is cancelled
    recorded = [e for e in await events(h) if e.type == "incident.review_recorded"]
    assert len(recorded) == 1 and recorded[0].data["late"] is True
    assert recorded[0].data["actions"] == ["Monitor certificate expiry", "Automate renewal"]
    assert_all_valid(h)


async def test_only_owner_operators_or_admins_record_the_review(rota: Harness):
    h = rota
    await declare(h, severity="SEV1")
    await h.command("UOSCAR", "/incident", "resolve INC-1 Fixed")
    await h.command("UBOB", "/incident", "review INC-1")
    assert h.fake.open_modal("UBOB") is not None  # the form opens; submitting is refused
    modal = h.fake.open_modal("UBOB")
    refused = await h.sim.submit("UBOB", modal.id, {"summary.value": "x", "root_cause.value": "y"})
    assert "Only the review owner" in str(refused.json["errors"])
    assert [e for e in await events(h) if e.type == "incident.review_recorded"] == []


async def test_declare_escalate_and_acknowledge_on_both_databases(any_harness: Harness):
    h = any_harness
    await h.seed_org()
    await h.command("UALICE", "/incident", "oncall set web <@UOLIVIA>")
    await declare(h, "UERIN", severity="SEV1")
    assert await sweep(h, minutes=5) == 1
    assert len(h.fake.dms_to("UOLIVIA")) == 1
    await h.sim.click("UOLIVIA", views.ACK, message=card(h))
    await h.settle()
    assert "Acknowledged" in card(h).all_text and await sweep(h, minutes=30) == 0
    assert [e.type for e in await events(h)] == [
        "incident.oncall_set",
        "incident.declared",
        "incident.escalated",
        "incident.acknowledged",
    ]
