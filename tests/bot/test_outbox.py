"""The outbox dispatcher against the fake Slack: delivery, in-place updates, outages, 429,
parking, ordering per lane, and restarts (nothing lost, nothing twice)."""

from datetime import timedelta

from sqlalchemy import select

from bot.app import create_app
from bot.bootstrap import build_container
from bot.outbox import MAX_ATTEMPTS, retry_parked
from domain.events import ChannelRecipient, Notice, UserRecipient
from storage.models.core import OutboxRow


def text_notice(key="home.title", channel="CGENERAL", ref=None, **kw):
    return Notice("text", ChannelRecipient(channel), ref=ref, params={"key": key}, **kw)


async def queue(h, *notices):
    async with h.container.uow() as uow:
        for notice in notices:
            uow.notify(notice)
        await uow.commit()


async def rows(h):
    async with h.container.database.read_session() as session:
        return (await session.scalars(select(OutboxRow).order_by(OutboxRow.id))).all()


async def test_notice_is_posted_then_updated_in_place(harness):
    await queue(harness, text_notice("home.title", ref="card:1"))
    await harness.settle()
    posted = harness.fake.messages_in("CGENERAL")
    assert [m.text for m in posted] == ["PlatOps"]
    await queue(harness, text_notice("home.footer", ref="card:1"))
    await harness.settle()
    messages = harness.fake.messages_in("CGENERAL")
    assert len(messages) == 1
    assert "/platops help" in messages[0].text
    assert len(harness.fake.calls_to("chat.update")) == 1


async def test_direct_message_goes_to_the_persons_dm(harness):
    await queue(harness, Notice("text", UserRecipient("UBOB"), params={"key": "home.title"}))
    await harness.settle()
    assert [m.text for m in harness.fake.dms_to("UBOB")] == ["PlatOps"]


async def test_update_only_posts_nothing_when_no_message_exists(harness):
    await queue(harness, text_notice(ref="card:9", update_only=True))
    await harness.settle()
    assert harness.fake.messages_in("CGENERAL") == []
    assert [r.state for r in await rows(harness)] == ["done"]


async def test_pending_updates_of_one_message_collapse(harness):
    await queue(harness, text_notice(ref="card:2"))
    await harness.settle()
    await queue(
        harness, text_notice(ref="card:2"), text_notice(ref="card:2"), text_notice(ref="card:2")
    )
    await harness.settle()
    assert len(harness.fake.calls_to("chat.update")) == 1
    assert sorted(r.state for r in await rows(harness)) == [
        "done",
        "done",
        "superseded",
        "superseded",
    ]


async def test_slack_outage_delays_but_loses_nothing(harness):
    harness.fake.outage(True)
    await queue(harness, text_notice("home.title"), text_notice("home.footer"))
    await harness.settle()
    first, second = await rows(harness)
    assert (first.state, first.attempts) == ("pending", 1)
    assert "503" in first.last_error
    assert second.attempts == 0  # same lane: waits behind the first to keep the order
    harness.fake.outage(False)
    await harness.settle()
    assert harness.fake.messages_in("CGENERAL") == []  # backoff not over yet
    harness.clock.advance(seconds=3)
    await harness.settle()
    assert [m.text for m in harness.fake.messages_in("CGENERAL")] == [
        "PlatOps",
        "Type `/platops help` to see what you can do.",
    ]


async def test_rate_limit_honours_retry_after(harness):
    harness.fake.fail_next("chat.postMessage", "ratelimited", retry_after=7)
    await queue(harness, text_notice())
    await harness.settle()
    (row,) = await rows(harness)
    assert row.state == "pending"
    assert row.next_attempt_at == harness.clock.now() + timedelta(seconds=7)
    harness.clock.advance(seconds=7)
    await harness.settle()
    assert len(harness.fake.messages_in("CGENERAL")) == 1


async def test_permanent_errors_park_at_once_and_can_be_retried(harness):
    await queue(harness, text_notice(channel="CNOWHERE"))
    await harness.settle()
    (row,) = await rows(harness)
    assert (row.state, row.attempts) == ("parked", 1)
    assert "channel_not_found" in row.last_error
    harness.fake.add_channel("CNOWHERE", "now-here")
    assert await retry_parked(harness.container) == 1
    await harness.settle()
    assert len(harness.fake.messages_in("CNOWHERE")) == 1


async def test_transient_errors_park_after_the_last_attempt(harness):
    harness.fake.outage(True)
    await queue(harness, text_notice())
    for _ in range(MAX_ATTEMPTS):
        await harness.settle()
        harness.clock.advance(minutes=16)
    (row,) = await rows(harness)
    assert (row.state, row.attempts) == ("parked", MAX_ATTEMPTS)


async def test_a_failing_lane_does_not_hold_up_other_lanes(harness):
    harness.fake.fail_next("chat.postMessage", "ratelimited", retry_after=30)
    await queue(harness, text_notice(channel="CGENERAL"), text_notice(channel="CREPORTS"))
    await harness.settle()
    assert harness.fake.messages_in("CGENERAL") == []
    assert len(harness.fake.messages_in("CREPORTS")) == 1


async def test_restart_delivers_queued_and_in_flight_messages_exactly_once(harness):
    # As after `kill -9`: rows committed, one caught mid-delivery, the dispatcher gone.
    await queue(harness, text_notice("home.title"), text_notice("home.footer", channel="CREPORTS"))
    async with harness.container.database.write_session() as session:
        row = await session.get(OutboxRow, 1)
        row.state = "sending"
        await session.commit()
    restarted = build_container(harness.container.settings, clock=harness.clock)
    create_app(restarted, background=False)
    dispatcher = restarted.extras["dispatcher"]
    try:
        assert await dispatcher.recover() == 1
        await dispatcher.drain()
        await dispatcher.drain()
    finally:
        await dispatcher.stop()
        await restarted.database.dispose()
    assert len(harness.fake.messages_in("CGENERAL")) == 1
    assert len(harness.fake.messages_in("CREPORTS")) == 1
    assert {r.state for r in await rows(harness)} == {"done"}
