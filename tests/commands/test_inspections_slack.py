"""`/inspect` end to end: signed requests through Bolt to the fake Slack, ManualClock time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.sandbox import validate_blocks
from commands.deadlines import SNOOZE
from commands.inspections import views
from scheduler.inspections import open_due_inspections
from scheduler.jobs import sweep_deadlines
from storage.models.core import EventRow
from storage.models.inspections import InspectionPlanRow, InspectionRunRow
from tests.support.harness import Harness

MONDAY_0800 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
GOOD = {
    "name": "Web daily health",
    "platform": "web",
    "checklist": "Dashboards green\nBackups fresh\n- Certificates valid",
    "cron": "every weekday 09:00",
    "timezone": "Europe/Berlin",
    "grace": "60",
}


def form(values: dict[str, str]) -> dict[str, object]:
    return {f"{block}.value": value for block, value in values.items()}


def last_ephemeral(h: Harness, user_id: str) -> str:
    return h.fake.ephemerals_for(user_id)[-1].text


async def open_plan_modal(h: Harness, user_id: str = "UOSCAR") -> str:
    response = await h.command(user_id, "/inspect", "plan new")
    assert response.status == 200
    modal = h.fake.open_modal(user_id)
    assert modal is not None and modal.callback_id == views.PLAN_MODAL
    return modal.id


async def create_plan(h: Harness, **changes: str) -> None:
    view_id = await open_plan_modal(h)
    response = await h.sim.submit("UOSCAR", view_id, form({**GOOD, **changes}))
    assert response.status == 200 and not (response.json or {}).get("errors"), response.text
    await h.settle()


async def plan_rows(h: Harness) -> list[InspectionPlanRow]:
    async with h.container.database.read_session() as session:
        return list((await session.scalars(select(InspectionPlanRow))).all())


async def run_rows(h: Harness) -> list[InspectionRunRow]:
    async with h.container.database.read_session() as session:
        return list(
            (await session.scalars(select(InspectionRunRow).order_by(InspectionRunRow.id))).all()
        )


async def open_runs_at(h: Harness, moment: datetime) -> int:
    h.clock.set(moment)
    opened = await open_due_inspections(h.container)
    await h.settle()
    return opened


async def test_bad_plan_input_comes_back_inline_and_saves_nothing(seeded: Harness) -> None:
    seeded.clock.set(MONDAY_0800 - timedelta(hours=2))
    view_id = await open_plan_modal(seeded)
    bad = {**GOOD, "cron": "every blue moon", "timezone": "Mars/Olympus", "checklist": "  \n - \n"}
    response = await seeded.sim.submit("UOSCAR", view_id, form(bad))
    errors = response.json["errors"]
    assert set(errors) == {"cron", "timezone", "checklist"}
    assert "not a schedule I understand" in errors["cron"]
    assert "not a timezone" in errors["timezone"]
    assert "at least one checklist item" in errors["checklist"]
    response = await seeded.sim.submit("UOSCAR", view_id, form({**GOOD, "cron": "61 * * * *"}))
    assert "cron" in response.json["errors"]
    assert await plan_rows(seeded) == []


async def test_people_without_the_role_cannot_create_plans(seeded: Harness) -> None:
    await seeded.command("UNINA", "/inspect", "plan new")
    assert "not allowed" in last_ephemeral(seeded, "UNINA")
    assert seeded.fake.open_modal("UNINA") is None


async def test_plan_lifecycle_listed_paused_edited_deleted_and_audited(seeded: Harness) -> None:
    seeded.clock.set(MONDAY_0800 - timedelta(hours=2))
    await create_plan(seeded)
    dm = seeded.fake.dms_to("UOSCAR")[-1]
    assert "Web daily health" in dm.text and "saved" in dm.text
    [plan] = await plan_rows(seeded)
    assert plan.cron == "0 9 * * 1-5" and plan.next_due_at == MONDAY_0800
    assert plan.checklist == ["Dashboards green", "Backups fresh", "Certificates valid"]
    assert plan.assignee_role == "operator" and plan.channel_id == "CWEBOPS"

    await seeded.command("UOSCAR", "/inspect", "plans")
    listing = last_ephemeral(seeded, "UOSCAR")
    assert "PLAN-1" in listing and "0 9 * * 1-5" in listing
    assert f"<!date^{int(MONDAY_0800.timestamp())}^" in listing

    await seeded.command("UOSCAR", "/inspect", "plan pause PLAN-1")
    assert "paused" in last_ephemeral(seeded, "UOSCAR")
    assert await open_runs_at(seeded, MONDAY_0800 + timedelta(minutes=1)) == 0
    await seeded.command("UOSCAR", "/inspect", "plan resume PLAN-1")
    assert "active again" in last_ephemeral(seeded, "UOSCAR")

    await seeded.command("UOSCAR", "/inspect", 'plan edit "Web daily health"')
    modal = seeded.fake.open_modal("UOSCAR")
    assert modal is not None
    await seeded.sim.submit("UOSCAR", modal.id, form({**GOOD, "cron": "daily 07:30"}))
    await seeded.settle()
    assert (await plan_rows(seeded))[0].cron == "30 7 * * *"

    await seeded.command("UOSCAR", "/inspect", "plan delete PLAN-1")
    assert "deleted" in last_ephemeral(seeded, "UOSCAR")
    await seeded.command("UOSCAR", "/inspect", "plans")
    assert "no inspection plans" in last_ephemeral(seeded, "UOSCAR")
    async with seeded.container.reader() as uow:
        types = list(
            await uow.session.scalars(
                select(EventRow.type).where(EventRow.subject_type == "inspection_plan")
            )
        )
    assert types == [
        "inspection.plan_created",
        "inspection.plan_paused",
        "inspection.plan_resumed",
        "inspection.plan_changed",
        "inspection.plan_deleted",
    ]


async def test_due_run_reminds_then_checklist_posts_result_and_updates_reminder(
    seeded: Harness,
) -> None:
    seeded.clock.set(MONDAY_0800 - timedelta(hours=2))
    await create_plan(seeded)
    assert await open_runs_at(seeded, MONDAY_0800 + timedelta(seconds=30)) == 1
    assert await open_runs_at(seeded, MONDAY_0800 + timedelta(seconds=50)) == 0
    [reminder] = [m for m in seeded.fake.messages_in("CWEBOPS") if "RUN-1" in m.all_text]
    assert "Start inspection" in reminder.all_text
    assert validate_blocks(reminder.blocks, "message") == []
    for operator in ("UOSCAR", "UOLIVIA"):
        assert any("RUN-1" in m.all_text for m in seeded.fake.dms_to(operator))

    await seeded.command("UOLIVIA", "/inspect", "due")
    assert "RUN-1" in last_ephemeral(seeded, "UOLIVIA")
    # The App Home queue shows the run with its button.
    assert "RUN-1" in str(seeded.fake.home_views["UOLIVIA"].view)

    await seeded.sim.click("UOSCAR", views.START, message=reminder)
    modal = seeded.fake.open_modal("UOSCAR")
    assert modal is not None and modal.callback_id == views.CHECKLIST_MODAL
    # Leaving an item unanswered is impossible (required radio); a fail needs no more than a note.
    response = await seeded.sim.submit(
        "UOSCAR",
        modal.id,
        {
            "item_0.value": "pass",
            "item_1.value": "fail",
            "note_1.value": "Last backup is 3 days old",
            "item_2.value": "pass",
        },
    )
    assert response.status == 200 and not (response.json or {}).get("errors")
    await seeded.settle()
    result = seeded.fake.last_message("CWEBOPS")
    assert result is not None and "1 of 3 items failed" in result.all_text
    assert "Last backup is 3 days old" in result.all_text
    assert validate_blocks(result.blocks, "message") == []
    reminder = seeded.fake.message_at("CWEBOPS", reminder.ts)
    assert reminder.edits, "the reminder is updated in place"
    assert "Completed by <@UOSCAR>" in reminder.all_text
    assert "Start inspection" not in reminder.all_text
    olivia_dm = next(m for m in seeded.fake.dms_to("UOLIVIA") if "RUN-1" in m.all_text)
    assert "Completed by" in olivia_dm.all_text
    assert "RUN-1" not in str(seeded.fake.home_views["UOLIVIA"].view)

    # The cards lost their button; starting the done run another way changes nothing.
    await seeded.command("UOLIVIA", "/inspect", "start RUN-1")
    assert "already completed by <@UOSCAR>" in last_ephemeral(seeded, "UOLIVIA")
    assert seeded.fake.open_modal("UOLIVIA") is None
    [run] = await run_rows(seeded)
    assert run.state == "completed" and run.failed_count == 1 and run.completed_by == "UOSCAR"

    await seeded.command("UAUDREY", "/inspect", "history Web daily health")
    assert "RUN-1" in last_ephemeral(seeded, "UAUDREY") and "1 failed" in last_ephemeral(
        seeded, "UAUDREY"
    )


async def test_failed_item_opens_a_prefilled_incident_once(seeded: Harness) -> None:
    seeded.clock.set(MONDAY_0800 - timedelta(hours=2))
    await create_plan(seeded)
    await open_runs_at(seeded, MONDAY_0800)
    await seeded.command("UOSCAR", "/inspect", "start RUN-1")
    modal = seeded.fake.open_modal("UOSCAR")
    assert modal is not None
    await seeded.sim.submit(
        "UOSCAR",
        modal.id,
        {
            "item_0.value": "fail",
            "note_0.value": "5xx at 4%",
            "item_1.value": "pass",
            "item_2.value": "pass",
        },
    )
    await seeded.settle()
    result = seeded.fake.last_message("CWEBOPS")
    assert result is not None
    await seeded.sim.click("UOSCAR", views.OPEN_INCIDENT, message=result)
    modal = seeded.fake.open_modal("UOSCAR")
    assert modal is not None and modal.callback_id == views.INCIDENT_MODAL
    prefilled = str(modal.payload)
    assert "Web daily health: Dashboards green failed" in prefilled
    assert "RUN-1" in prefilled and "5xx at 4%" in prefilled and "web" in prefilled
    response = await seeded.sim.submit("UOSCAR", modal.id, {"severity.value": "SEV2"})
    assert response.status == 200 and not (response.json or {}).get("errors"), response.text
    await seeded.settle()
    result = seeded.fake.message_at("CWEBOPS", result.ts)
    assert "Incident opened: *INC-1*" in result.all_text
    assert "Open incident" not in result.all_text
    async with seeded.container.reader() as uow:
        declared = list(
            await uow.session.scalars(select(EventRow).where(EventRow.type == "incident.declared"))
        )
    assert len(declared) == 1
    assert declared[0].data["severity"] == "SEV2" and declared[0].data["platform"] == "web"


async def test_not_completed_in_grace_reminds_escalates_and_counts_missed(seeded: Harness) -> None:
    seeded.clock.set(MONDAY_0800 - timedelta(hours=2))
    await create_plan(seeded, grace="30")
    await open_runs_at(seeded, MONDAY_0800)
    seeded.clock.set(MONDAY_0800 + timedelta(minutes=31))
    assert await sweep_deadlines(seeded.container) == 1
    assert await sweep_deadlines(seeded.container) == 0  # never twice
    await seeded.settle()
    overdue = [m for m in seeded.fake.dms_to("UOSCAR") if "not done yet" in m.all_text]
    assert len(overdue) == 1
    assert validate_blocks(overdue[0].blocks, "message") == []
    [run] = await run_rows(seeded)
    assert run.missed_at is not None
    # Snoozing the reminder for an hour holds the escalation back until then.
    snooze = next(b for b in overdue[0].blocks if b.get("block_id", "").startswith("snooze:"))
    deadline_id = snooze["block_id"].split(":")[1]
    await seeded.sim.click(
        "UOSCAR", SNOOZE, message=overdue[0], selected_option_value=f"{deadline_id}:1h"
    )
    await seeded.settle()
    seeded.clock.set(MONDAY_0800 + timedelta(minutes=30 + 60))  # escalation time, snoozed
    assert await sweep_deadlines(seeded.container) == 0
    seeded.clock.set(MONDAY_0800 + timedelta(minutes=31 + 61))
    await sweep_deadlines(seeded.container)
    await seeded.settle()
    escalation = seeded.fake.last_message("CWEBOPS")
    assert escalation is not None and "still not done" in escalation.all_text
    assert "<@UOSCAR>" in escalation.all_text and "<@UOLIVIA>" in escalation.all_text
    seeded.clock.set(MONDAY_0800 + timedelta(minutes=30 + 241))
    await sweep_deadlines(seeded.container)
    await seeded.settle()
    assert any("Escalated to admins" in m.all_text for m in seeded.fake.dms_to("UALICE"))


async def test_chinese_reader_gets_chinese_texts(seeded: Harness) -> None:
    await seeded.command("UZHANG", "/inspect", "due")
    assert "没有等待你完成的巡检" in last_ephemeral(seeded, "UZHANG")
