"""The fake Slack Web API driven by slack_sdk's AsyncWebClient over real HTTP."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.sandbox import FakeSlack
from bot.sandbox.clock import ManualClock

MODAL = {
    "type": "modal",
    "callback_id": "req_new",
    "title": {"type": "plain_text", "text": "New request"},
    "submit": {"type": "plain_text", "text": "Create"},
    "blocks": [
        {
            "type": "input",
            "block_id": "summary",
            "label": {"type": "plain_text", "text": "Summary"},
            "element": {"type": "plain_text_input", "action_id": "value"},
        }
    ],
}


def modal(title: str) -> dict[str, Any]:
    return {**MODAL, "title": {"type": "plain_text", "text": title}}


async def expect_error(call, error: str) -> SlackApiError:  # type: ignore[no-untyped-def]
    with pytest.raises(SlackApiError) as caught:
        await call
    assert caught.value.response["error"] == error
    return caught.value


async def test_auth_test_identifies_the_bot(client: AsyncWebClient, fake: FakeSlack) -> None:
    response = await client.auth_test()
    assert response["user_id"] == fake.bot_user_id
    assert response["team_id"] == fake.team_id
    assert response["bot_id"] == fake.bot_id
    assert response.headers["content-type"].startswith("application/json")


async def test_wrong_and_missing_tokens(slack_url: str) -> None:
    wrong = AsyncWebClient(token="xoxb-wrong", base_url=f"{slack_url}/api/")
    await expect_error(wrong.auth_test(), "invalid_auth")
    missing = AsyncWebClient(base_url=f"{slack_url}/api/")
    await expect_error(missing.chat_postMessage(channel="C0OPSWEB", text="hi"), "not_authed")


async def test_post_message_to_channel_name_user_and_id(
    client: AsyncWebClient, fake: FakeSlack
) -> None:
    by_name = await client.chat_postMessage(channel="#ops-web", text="deploy done")
    assert by_name["channel"] == "C0OPSWEB"
    assert by_name["message"]["text"] == "deploy done"
    to_user = await client.chat_postMessage(channel="U1ALICE", text="hello alice")
    assert to_user["channel"].startswith("D")
    assert [m.text for m in fake.dms_to("U1ALICE")] == ["hello alice"]
    assert fake.messages_in(to_user["channel"]) == fake.messages_in("U1ALICE")
    reply = await client.chat_postMessage(
        channel="C0OPSWEB", text="in thread", thread_ts=by_name["ts"]
    )
    assert fake.last_message("C0OPSWEB").thread_ts == by_name["ts"]  # type: ignore[union-attr]
    assert float(reply["ts"]) > float(by_name["ts"])
    assert fake.find_message(text_contains="deploy", channel="#ops-web").ts == by_name["ts"]  # type: ignore[union-attr]


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing:UserWarning")
async def test_post_message_errors(client: AsyncWebClient, fake: FakeSlack) -> None:
    await expect_error(client.chat_postMessage(channel="C0NOPE", text="x"), "channel_not_found")
    await expect_error(client.chat_postMessage(channel="C0OPSWEB"), "no_text")
    error = await expect_error(client.api_call("chat.postMessage", json={}), "channel_not_found")
    assert "missing required field: channel" in error.response["response_metadata"]["messages"][0]
    assert fake.calls_to("chat.postMessage")[-1].error == "channel_not_found"


async def test_blocks_are_validated_and_fallback_text_is_only_warned(
    client: AsyncWebClient, fake: FakeSlack
) -> None:
    too_long = [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]
    error = await expect_error(
        client.chat_postMessage(channel="C0OPSWEB", text="t", blocks=too_long), "invalid_blocks"
    )
    assert "json-pointer:/blocks/0/text/text" in error.response["response_metadata"]["messages"][0]
    ok = [{"type": "section", "text": {"type": "mrkdwn", "text": "*fine*"}}]
    assert fake.api("chat.postMessage", channel="C0OPSWEB", blocks=ok)["ok"]
    assert any("text fallback" in warning for warning in fake.warnings)
    stored = fake.last_message("C0OPSWEB")
    assert stored is not None
    assert stored.blocks[0]["block_id"]


async def test_metadata_is_returned_by_history_only_when_asked(client: AsyncWebClient) -> None:
    metadata = {"event_type": "request_created", "event_payload": {"id": 7}}
    await client.chat_postMessage(channel="C0OPSWEB", text="with meta", metadata=metadata)
    plain = await client.conversations_history(channel="C0OPSWEB")
    assert "metadata" not in plain["messages"][0]
    full = await client.conversations_history(channel="C0OPSWEB", include_all_metadata=True)
    assert full["messages"][0]["metadata"] == metadata


async def test_update_records_edits_and_rejects_unknown_ts(
    client: AsyncWebClient, fake: FakeSlack
) -> None:
    posted = await client.chat_postMessage(channel="C0OPSWEB", text="v1")
    updated = await client.chat_update(channel="C0OPSWEB", ts=posted["ts"], text="v2")
    assert updated["message"]["edited"]["user"] == fake.bot_user_id
    message = fake.last_message("C0OPSWEB")
    assert message is not None
    assert message.text == "v2"
    assert [edit.text for edit in message.edits] == ["v1"]
    await expect_error(
        client.chat_update(channel="C0OPSWEB", ts="1.000001", text="x"), "message_not_found"
    )


async def test_ephemeral_delete_and_permalink(client: AsyncWebClient, fake: FakeSlack) -> None:
    await client.chat_postEphemeral(channel="C0OPSWEB", user="U1ALICE", text="only you")
    assert [e.text for e in fake.ephemerals_for("U1ALICE")] == ["only you"]
    await expect_error(
        client.chat_postEphemeral(channel="C0PRIV", user="U2BOB", text="x"), "user_not_in_channel"
    )
    posted = await client.chat_postMessage(channel="C0OPSWEB", text="to delete")
    link = await client.chat_getPermalink(channel="C0OPSWEB", message_ts=posted["ts"])
    assert link["permalink"].endswith("/archives/C0OPSWEB/p" + posted["ts"].replace(".", ""))
    await client.chat_delete(channel="C0OPSWEB", ts=posted["ts"])
    assert fake.find_message(text_contains="to delete") is None
    await expect_error(client.chat_delete(channel="C0OPSWEB", ts=posted["ts"]), "message_not_found")


async def test_conversations_and_users(client: AsyncWebClient, fake: FakeSlack) -> None:
    opened = await client.conversations_open(users="U2BOB")
    again = await client.conversations_open(users=["U2BOB"])
    assert opened["channel"]["id"] == again["channel"]["id"]
    assert again["already_open"]
    info = await client.conversations_info(channel="C0OPSWEB", include_num_members=True)
    assert info["channel"]["name"] == "ops-web"
    assert info["channel"]["num_members"] == 3
    first = await client.conversations_members(channel="C0OPSWEB", limit=2)
    rest = await client.conversations_members(
        channel="C0OPSWEB", cursor=first["response_metadata"]["next_cursor"]
    )
    assert first["members"] + rest["members"] == ["U1ALICE", "U2BOB", fake.bot_user_id]
    listed = await client.conversations_list(types="public_channel,private_channel")
    assert {c["id"] for c in listed["channels"]} == {"C0OPSWEB", "C0PRIV"}
    alice = (await client.users_info(user="U1ALICE", include_locale=True))["user"]
    assert alice["tz"] == "Europe/Berlin"
    assert alice["tz_offset"] == 3600
    assert alice["locale"] == "en-US"
    bob = (await client.users_lookupByEmail(email="BOB@example.com"))["user"]
    assert bob["id"] == "U2BOB"
    assert bob["tz_offset"] == -5 * 3600
    assert len((await client.users_list())["members"]) == 3
    await expect_error(client.users_info(user="U0NOBODY"), "user_not_found")
    await expect_error(client.users_lookupByEmail(email="nobody@example.com"), "users_not_found")
    await expect_error(client.conversations_info(channel="C0NOPE"), "channel_not_found")
    await expect_error(client.conversations_open(users="U0NOBODY"), "user_not_found")


async def test_history_paging_and_ranges(client: AsyncWebClient, fake: FakeSlack) -> None:
    for n in range(5):
        await client.chat_postMessage(channel="C0OPSWEB", text=f"m{n}")
    page = await client.conversations_history(channel="C0OPSWEB", limit=2)
    assert [m["text"] for m in page["messages"]] == ["m4", "m3"]
    assert page["has_more"]
    oldest = fake.messages_in("C0OPSWEB")[2].ts
    newer = await client.conversations_history(channel="C0OPSWEB", oldest=oldest)
    assert [m["text"] for m in newer["messages"]] == ["m4", "m3"]


async def test_views_open_push_update_publish(
    client: AsyncWebClient, fake: FakeSlack, clock: ManualClock
) -> None:
    opened = await client.views_open(trigger_id=fake.issue_trigger_id("U1ALICE"), view=MODAL)
    view_id = opened["view"]["id"]
    assert fake.open_modal("U1ALICE").id == view_id  # type: ignore[union-attr]
    for n in (2, 3):
        await client.views_push(trigger_id=fake.issue_trigger_id("U1ALICE"), view=modal(f"S{n}"))
    assert [v.title for v in fake.modal_stack("U1ALICE")] == ["New request", "S2", "S3"]
    await expect_error(
        client.views_push(trigger_id=fake.issue_trigger_id("U1ALICE"), view=modal("S4")),
        "push_limit_reached",
    )
    updated = await client.views_update(
        view_id=view_id, hash=opened["view"]["hash"], view=modal("Renamed")
    )
    assert updated["view"]["title"]["text"] == "Renamed"
    await expect_error(
        client.views_update(view_id=view_id, hash=opened["view"]["hash"], view=modal("Stale")),
        "hash_conflict",
    )
    home = {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}],
    }
    first = await client.views_publish(user_id="U1ALICE", view=home)
    second = await client.views_publish(user_id="U1ALICE", view=home, hash=first["view"]["hash"])
    assert first["view"]["id"] == second["view"]["id"] == fake.home_views["U1ALICE"].id
    await expect_error(client.views_publish(user_id="U0NOBODY", view=home), "user_not_found")


async def test_trigger_ids_expire_and_are_single_use(
    client: AsyncWebClient, fake: FakeSlack, clock: ManualClock
) -> None:
    await expect_error(
        client.views_open(trigger_id="123.456.abc", view=MODAL), "invalid_trigger_id"
    )
    stale = fake.issue_trigger_id("U1ALICE")
    clock.advance(3.5)
    await expect_error(client.views_open(trigger_id=stale, view=MODAL), "expired_trigger_id")
    fresh = fake.issue_trigger_id("U1ALICE")
    await client.views_open(trigger_id=fresh, view=MODAL)
    await expect_error(client.views_open(trigger_id=fresh, view=MODAL), "exchanged_trigger_id")


async def test_invalid_view_is_rejected_like_slack(client: AsyncWebClient, fake: FakeSlack) -> None:
    no_submit = {key: value for key, value in MODAL.items() if key != "submit"}
    error = await expect_error(
        client.views_open(trigger_id=fake.issue_trigger_id("U1ALICE"), view=no_submit),
        "invalid_arguments",
    )
    assert "json-pointer:/view/submit" in error.response["response_metadata"]["messages"][0]


async def test_rate_limit_answers_429_with_retry_after_which_slack_sdk_honours(
    slack_url: str, fake: FakeSlack
) -> None:
    client = AsyncWebClient(
        token=fake.bot_token,
        base_url=f"{slack_url}/api/",
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
    )
    fake.fail_next("chat.postMessage", retry_after=1)
    started = time.monotonic()
    response = await client.chat_postMessage(channel="C0OPSWEB", text="after retry")
    assert response["ok"]
    assert time.monotonic() - started >= 1.0
    statuses = [(c.status, c.error, c.injected) for c in fake.calls_to("chat.postMessage")]
    assert statuses == [(429, "ratelimited", True), (200, None, False)]


async def test_rate_limit_without_retry_handler_surfaces_retry_after(
    client: AsyncWebClient, fake: FakeSlack
) -> None:
    fake.fail_next("users.info", retry_after=7)
    error = await expect_error(client.users_info(user="U1ALICE"), "ratelimited")
    assert error.response.status_code == 429
    assert error.response.headers["Retry-After"] == "7"


async def test_injected_error_and_outage(
    slack_url: str, client: AsyncWebClient, fake: FakeSlack
) -> None:
    fake.fail_next("conversations.info", error="internal_error", times=2)
    for _ in range(2):
        await expect_error(client.conversations_info(channel="C0OPSWEB"), "internal_error")
    assert (await client.conversations_info(channel="C0OPSWEB"))["ok"]

    fake.outage(True)
    with pytest.raises(SlackApiError) as caught:
        await client.auth_test()
    assert caught.value.response.status_code == 503
    retrying = AsyncWebClient(
        token=fake.bot_token,
        base_url=f"{slack_url}/api/",
        retry_handlers=[AsyncServerErrorRetryHandler(max_retry_count=1)],
    )
    with pytest.raises(SlackApiError):
        await retrying.auth_test()
    fake.outage(False)
    assert (await client.auth_test())["ok"]
    assert [c.status for c in fake.calls_to("auth.test")] == [503, 503, 503, 200]


async def test_files_upload_v2_end_to_end(client: AsyncWebClient, fake: FakeSlack) -> None:
    response = await client.files_upload_v2(
        channel="C0OPSWEB",
        content=b"name,value\nweb,42\n",
        filename="report.csv",
        title="Weekly report",
        initial_comment="Here is the report",
    )
    file_id = response["file"]["id"]
    stored = fake.files[file_id]
    assert stored.content == b"name,value\nweb,42\n"
    assert stored.title == "Weekly report"
    assert stored.channels == ["C0OPSWEB"]
    message = fake.last_message("C0OPSWEB")
    assert message is not None
    assert message.files == [file_id]
    assert message.text == "Here is the report"
    assert [c.method for c in fake.calls] == [
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]


async def test_complete_upload_requires_the_upload(client: AsyncWebClient) -> None:
    url = await client.files_getUploadURLExternal(filename="a.txt", length=3)
    await expect_error(
        client.files_completeUploadExternal(files=[{"id": url["file_id"]}], channel_id="C0OPSWEB"),
        "file_not_found",
    )


async def test_form_encoded_bodies_with_json_strings(slack_url: str, fake: FakeSlack) -> None:
    blocks = [{"type": "divider"}]
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{slack_url}/api/chat.postMessage",
            data={
                "token": fake.bot_token,
                "channel": "C0OPSWEB",
                "text": "form",
                "blocks": json.dumps(blocks),
            },
        )
    assert response.headers["content-type"] == "application/json"
    assert response.json()["ok"] is True
    assert fake.calls[-1].args.get("token") is None
    message = fake.last_message("C0OPSWEB")
    assert message is not None
    assert message.blocks[0]["type"] == "divider"


async def test_response_url_posts(slack_url: str, fake: FakeSlack, clock: ManualClock) -> None:
    posted = fake.api("chat.postMessage", channel="C0OPSWEB", text="original")
    token = fake.issue_response_url_token("U1ALICE", "C0OPSWEB", message_ts=posted["ts"])
    url = f"{slack_url}/response/{token}"
    async with httpx.AsyncClient() as http:
        assert (await http.post(url, json={"text": "just you"})).json() == {"ok": True}
        await http.post(url, json={"text": "everyone", "response_type": "in_channel"})
        await http.post(url, json={"text": "replaced", "replace_original": True})
        assert fake.messages_in("C0OPSWEB")[0].text == "replaced"
        await http.post(url, json={"delete_original": True})
        clock.advance(31 * 60)
        expired = await http.post(url, json={"text": "late"})
    assert expired.status_code == 404
    assert expired.json()["error"] == "expired_url"
    assert [e.text for e in fake.ephemerals_for("U1ALICE")] == ["just you"]
    assert [m.text for m in fake.messages_in("C0OPSWEB")] == ["everyone"]
    outcomes = [post.outcome for post in fake.response_url_posts]
    assert outcomes == ["ephemeral", "in_channel", "replaced", "deleted", "rejected: expired_url"]
