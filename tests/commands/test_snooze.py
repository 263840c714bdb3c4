"""Snoozing a reminder from its message: the shared snooze menu, end to end through Slack."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from commands import blocks as bk
from commands.deadlines import SNOOZE, snooze_menu
from commands.notices import RenderContext, Rendered, RenderedMessage
from domain.deadlines.models import Deadline, Step
from domain.deadlines.services import close_deadlines, open_deadline
from domain.events import Notice, Subject, UserRecipient
from domain.ports import UnitOfWork
from scheduler.jobs import sweep_deadlines
from storage.models.core import EventRow
from tests.support.harness import Harness

SUBJECT = Subject("thing", 7, "THING-7")
STEPS = [Step(timedelta(0), "remind"), Step(timedelta(minutes=30), "remind", 1)]


async def remind_owner(uow: UnitOfWork, deadline: Deadline, step: Step) -> None:
    """A test area's policy: tell the owner, through the outbox like any area does."""
    assert deadline.owner_id is not None
    uow.notify(
        Notice(
            "test.reminder",
            UserRecipient(deadline.owner_id),
            subject=deadline.subject,
            params={"deadline_id": deadline.id},
        )
    )


async def render_reminder(ctx: RenderContext) -> Rendered:
    deadline_id = int(ctx.params["deadline_id"])
    text = f"Reminder: {ctx.subject.key if ctx.subject else '?'} is waiting for you"
    return RenderedMessage(text, [bk.section(text), snooze_menu(deadline_id, ctx.t)])


@pytest.fixture
async def reminded(seeded: Harness) -> tuple[Harness, int]:
    """Bob owes something; the sweep has sent him the first reminder by DM."""
    h = seeded
    h.container.deadline_policies["test.reminder"] = remind_owner
    h.dispatcher.renderers["test.reminder"] = render_reminder
    async with h.container.uow() as uow:
        deadline = await open_deadline(
            uow, "test.reminder", SUBJECT, h.clock.now(), STEPS, owner_id="UBOB"
        )
        await uow.commit()
    assert deadline.id is not None
    assert await sweep_deadlines(h.container) == 1
    await h.settle()
    return h, deadline.id


async def next_fire_at(h: Harness, deadline_id: int):
    async with h.container.reader() as uow:
        deadline = await uow.deadlines.get(deadline_id)
    assert deadline is not None
    return deadline.next_fire_at


async def snooze_events(h: Harness) -> int:
    async with h.container.database.read_session() as session:
        return await session.scalar(
            select(func.count()).select_from(EventRow).where(EventRow.type == "deadline.snoozed")
        )


def reminder_for(h: Harness, user_id: str):
    message = h.fake.dms_to(user_id)[-1]
    assert "THING-7 is waiting for you" in message.text
    return message


async def test_the_reminder_carries_the_snooze_menu(reminded):
    h, _ = reminded
    message = reminder_for(h, "UBOB")
    select_element = message.blocks[-1]["elements"][0]
    assert select_element["action_id"] == SNOOZE
    labels = [o["text"]["text"] for o in select_element["options"]]
    assert labels == ["30 minutes", "1 hour", "4 hours", "Tomorrow morning"]
    assert h.fake.warnings == []


async def test_snoozing_postpones_the_next_reminder_and_says_until_when(reminded):
    h, deadline_id = reminded
    assert await next_fire_at(h, deadline_id) == h.clock.now() + timedelta(minutes=30)

    response = await h.sim.click(
        "UBOB", SNOOZE, message=reminder_for(h, "UBOB"), selected_option_value=f"{deadline_id}:1h"
    )
    await h.settle()

    assert response.status == 200
    until = h.clock.now() + timedelta(hours=1)
    assert await next_fire_at(h, deadline_id) == until
    answer = h.fake.ephemerals_for("UBOB")[-1].text
    assert answer == f"Snoozed until {bk.slack_date(until)}."
    assert await snooze_events(h) == 1

    # No reminder at the old time; the next one comes after the snooze.
    h.clock.advance(minutes=45)
    assert await sweep_deadlines(h.container) == 0
    h.clock.advance(minutes=15)
    assert await sweep_deadlines(h.container) == 1


async def test_a_double_click_changes_nothing_more(reminded):
    h, deadline_id = reminded
    message = reminder_for(h, "UBOB")
    for _ in range(2):
        await h.sim.click(
            "UBOB", SNOOZE, message=message, selected_option_value=f"{deadline_id}:4h"
        )
    await h.settle()
    assert await snooze_events(h) == 1
    assert await next_fire_at(h, deadline_id) == h.clock.now() + timedelta(hours=4)


async def test_someone_else_cannot_snooze_it(reminded):
    h, deadline_id = reminded
    before = await next_fire_at(h, deadline_id)
    await h.sim.click(
        "UNINA", SNOOZE, message=reminder_for(h, "UBOB"), selected_option_value=f"{deadline_id}:4h"
    )
    await h.settle()
    assert h.fake.ephemerals_for("UNINA")[-1].text == (
        "Only the person it is waiting for can snooze this reminder."
    )
    assert await next_fire_at(h, deadline_id) == before
    assert await snooze_events(h) == 0


async def test_a_done_reminder_cannot_be_snoozed(reminded):
    h, deadline_id = reminded
    async with h.container.uow() as uow:
        await close_deadlines(uow, SUBJECT)
        await uow.commit()
    await h.sim.click(
        "UBOB", SNOOZE, message=reminder_for(h, "UBOB"), selected_option_value=f"{deadline_id}:1h"
    )
    await h.settle()
    assert h.fake.ephemerals_for("UBOB")[-1].text == "That is already done; nothing to snooze."
    assert await snooze_events(h) == 0


async def test_a_forged_choice_is_refused(reminded):
    h, deadline_id = reminded
    message = reminder_for(h, "UBOB")
    message.blocks[-1]["elements"][0]["options"][0]["value"] = f"{deadline_id}:forever"
    await h.sim.click(
        "UBOB", SNOOZE, message=message, selected_option_value=f"{deadline_id}:forever"
    )
    await h.settle()
    assert "Snooze for one of: 30m, 1h, 4h, tomorrow." in h.fake.ephemerals_for("UBOB")[-1].text
    assert await snooze_events(h) == 0
