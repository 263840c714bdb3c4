"""FakeSlack in process (no HTTP): state, recording helpers and Slack's rules."""

from __future__ import annotations

from typing import Any

import pytest

from bot.sandbox import FakeSlack, eventually
from bot.sandbox.clock import ManualClock
from bot.sandbox.models import Ephemeral


def modal(title: str = "Form", **extra: Any) -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": title}, "blocks": [], **extra}


def open_modal(fake: FakeSlack, user: str, view: dict[str, Any]) -> dict[str, Any]:
    return fake.api("views.open", trigger_id=fake.issue_trigger_id(user), view=view)


def test_lookup_helpers(fake: FakeSlack) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "Incident *INC-7* opened"}}]
    fake.api("chat.postMessage", channel="#ops-web", text="incident", blocks=blocks)
    fake.api("chat.postMessage", channel="U1ALICE", text="your request")
    fake.add_user_message("U1ALICE", "U1ALICE", "thanks")
    assert fake.find_message("INC-7") is fake.last_message("ops-web")
    assert fake.find_message("INC-7", channel="U1ALICE") is None
    assert [m.text for m in fake.messages_in("U1ALICE")] == ["your request", "thanks"]
    assert [m.text for m in fake.dms_to("U1ALICE")] == ["your request"]
    assert fake.messages_in("U2BOB") == []
    assert [c.method for c in fake.calls_to("chat.postMessage")] == ["chat.postMessage"] * 2


def test_users_have_timezone_offsets_from_the_clock(clock: ManualClock) -> None:
    fake = FakeSlack(clock=clock)
    user = fake.add_user("U1", "alice", tz="Europe/Berlin")
    assert user.tz_offset(clock()) == 3600
    clock.now = 1_690_000_000.0  # July: summer time
    assert fake.api("users.info", user="U1")["user"]["tz_offset"] == 7200


def test_update_and_delete_only_the_bots_own_messages(fake: FakeSlack) -> None:
    theirs = fake.add_user_message("C0OPSWEB", "U1ALICE", "hello")
    update = fake.api("chat.update", channel="C0OPSWEB", ts=theirs.ts, text="x")
    assert update["error"] == "cant_update_message"
    delete = fake.api("chat.delete", channel="C0OPSWEB", ts=theirs.ts)
    assert delete["error"] == "cant_delete_message"


def test_history_leaves_out_thread_replies(fake: FakeSlack) -> None:
    parent = fake.api("chat.postMessage", channel="C0OPSWEB", text="parent")
    fake.api("chat.postMessage", channel="C0OPSWEB", text="reply", thread_ts=parent["ts"])
    fake.api(
        "chat.postMessage",
        channel="C0OPSWEB",
        text="broadcast",
        thread_ts=parent["ts"],
        reply_broadcast=True,
    )
    history = fake.api("conversations.history", channel="C0OPSWEB")
    assert [m["text"] for m in history["messages"]] == ["broadcast", "parent"]


def test_group_dm_is_reused(fake: FakeSlack) -> None:
    first = fake.api("conversations.open", users="U1ALICE,U2BOB", return_im=True)
    again = fake.api("conversations.open", users="U2BOB,U1ALICE")
    assert first["channel"]["is_mpim"] is True
    assert again["channel"]["id"] == first["channel"]["id"]
    assert fake.api("conversations.open")["error"] == "users_list_not_supplied"


def test_view_rules(fake: FakeSlack) -> None:
    push = fake.api("views.push", trigger_id=fake.issue_trigger_id("U1ALICE"), view=modal())
    assert push["error"] == "not_found"
    opened = open_modal(fake, "U1ALICE", modal(external_id="req-1"))
    assert open_modal(fake, "U2BOB", modal(external_id="req-1"))["error"] == "duplicate_external_id"
    updated = fake.api("views.update", external_id="req-1", view=modal("Again"))
    assert updated["view"]["id"] == opened["view"]["id"]
    view = fake.views[opened["view"]["id"]]
    assert view.title == "Again"
    assert [old["title"]["text"] for old in view.history] == ["Form"]
    home = fake.api(
        "views.open", trigger_id=fake.issue_trigger_id("U1ALICE"), view={"type": "home"}
    )
    assert home["error"] == "invalid_arguments"
    reopened = open_modal(fake, "U1ALICE", modal("Second"))
    assert view.closed
    assert fake.open_modal("U1ALICE").id == reopened["view"]["id"]  # type: ignore[union-attr]
    stale = fake.api("views.update", view_id=view.id, view=modal("Late"))
    assert stale["error"] == "not_found"


def test_response_url_on_an_ephemeral_replaces_and_deletes_it(fake: FakeSlack) -> None:
    fake.api("chat.postEphemeral", channel="C0OPSWEB", user="U1ALICE", text="pick one")
    ephemeral = fake.ephemerals_for("U1ALICE")[0]
    token = fake.issue_response_url_token("U1ALICE", "C0OPSWEB", ephemeral=ephemeral)
    assert (
        fake.post_to_response_url(token, {"replace_original": True, "text": "done"}).status == 200
    )
    assert [e.text for e in fake.ephemerals_for("U1ALICE")] == ["done"]
    assert fake.post_to_response_url(token, {"delete_original": "true"}).status == 200
    assert fake.ephemerals_for("U1ALICE") == []
    assert fake.post_to_response_url("unknown", {"text": "x"}).status == 404


def test_response_url_rules(fake: FakeSlack) -> None:
    token = fake.issue_response_url_token("U1ALICE", "C0OPSWEB")
    bad = fake.post_to_response_url(token, {"blocks": [{"type": "carousel"}]})
    assert bad.status == 400
    assert bad.body["error"] == "invalid_blocks"
    for n in range(4):
        assert fake.post_to_response_url(token, {"text": f"n{n}"}).status == 200
    assert fake.post_to_response_url(token, {"text": "sixth"}).body["error"] == "expired_url"


def test_outage_reaches_every_endpoint(fake: FakeSlack) -> None:
    upload = fake.api("files.getUploadURLExternal", filename="a.txt", length=1)
    token = fake.issue_response_url_token("U1ALICE", "C0OPSWEB")
    fake.outage(True)
    assert fake.call("auth.test", {}, fake.bot_token).status == 503
    assert fake.receive_upload(upload["file_id"], b"a").status == 503
    assert fake.post_to_response_url(token, {"text": "x"}).status == 503
    fake.outage(False)
    assert fake.receive_upload(upload["file_id"], b"a").plain_text == "OK - 1"
    assert [c.injected for c in fake.calls_to("auth.test")] == [True]
    assert [entry.split(" at ")[0] for entry in fake.injections] == ["outage on", "outage off"]


def test_ephemeral_records_keep_their_source(fake: FakeSlack) -> None:
    fake.api("chat.postEphemeral", channel="U2BOB", user="U2BOB", text="dm ephemeral")
    assert isinstance(fake.ephemerals[0], Ephemeral)
    assert fake.ephemerals[0].source == "chat.postEphemeral"
    assert fake.ephemerals[0].channel.startswith("D")


async def test_eventually_returns_the_value_or_fails_clearly() -> None:
    values = iter([None, None, "ready"])
    assert await eventually(lambda: next(values)) == "ready"
    with pytest.raises(AssertionError, match=r"modal did not hold within 0\.05s"):
        await eventually(lambda: None, within=0.05, what="modal")
