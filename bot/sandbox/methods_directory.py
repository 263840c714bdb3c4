"""auth.test, conversations.* and users.* of the fake Slack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.sandbox.api_args import Args, paginate, slack_method
from bot.sandbox.models import Channel, SlackError

if TYPE_CHECKING:
    from bot.sandbox.fake_slack import FakeSlack


@slack_method("auth.test")
def auth_test(fake: FakeSlack, args: Args) -> dict[str, Any]:
    return {
        "url": f"https://{fake.team_domain}.slack.com/",
        "team": "PlatOps Sandbox",
        "user": fake.users[fake.bot_user_id].name,
        "team_id": fake.team_id,
        "user_id": fake.bot_user_id,
        "bot_id": fake.bot_id,
        "is_enterprise_install": False,
    }


def _paged(key: str, page: list[Any], next_cursor: str) -> dict[str, Any]:
    return {key: page, "response_metadata": {"next_cursor": next_cursor}}


@slack_method("conversations.open")
def conversations_open(fake: FakeSlack, args: Args) -> dict[str, Any]:
    if "channel" in args:
        channel = fake.resolve_channel(args.text("channel"))
        return {"no_op": True, "already_open": True, "channel": {"id": channel.id}}
    user_ids = args.csv("users")
    if not user_ids:
        raise SlackError("users_list_not_supplied")
    if len(user_ids) > 8:
        raise SlackError("too_many_users")
    for user_id in user_ids:
        fake.require_user(user_id)
    if len(user_ids) == 1:
        existed = any(c.is_im and c.user == user_ids[0] for c in fake.channels.values())
        channel = fake.dm_channel(user_ids[0])
    else:
        members = sorted({*user_ids, fake.bot_user_id})
        existing = [c for c in fake.channels.values() if c.is_mpim and sorted(c.members) == members]
        existed = bool(existing)
        if existing:
            channel = existing[0]
        else:
            names = "--".join(fake.users[m].name for m in members)
            channel = Channel(
                fake.new_id("G"), f"mpdm-{names}-1", members, is_mpim=True, created=int(fake.now())
            )
            fake.channels[channel.id] = channel
    shown = channel.to_slack() if args.flag("return_im") else {"id": channel.id}
    return {"no_op": existed, "already_open": existed, "channel": shown}


@slack_method("conversations.info")
def conversations_info(fake: FakeSlack, args: Args) -> dict[str, Any]:
    channel = fake.resolve_channel(args.text("channel"))
    return {"channel": channel.to_slack(include_num_members=args.flag("include_num_members"))}


@slack_method("conversations.list")
def conversations_list(fake: FakeSlack, args: Args) -> dict[str, Any]:
    types = set(args.csv("types") or ["public_channel"])
    known = {"public_channel", "private_channel", "mpim", "im"}
    if not types <= known:
        raise SlackError("invalid_types")
    channels = [
        channel
        for channel in fake.channels.values()
        if channel.kind in types and not (args.flag("exclude_archived") and channel.is_archived)
    ]
    page, next_cursor = paginate(channels, args)
    return _paged("channels", [channel.to_slack() for channel in page], next_cursor)


@slack_method("conversations.members")
def conversations_members(fake: FakeSlack, args: Args) -> dict[str, Any]:
    channel = fake.resolve_channel(args.text("channel"))
    page, next_cursor = paginate(channel.members, args)
    return _paged("members", page, next_cursor)


def _ts_arg(args: Args, key: str, default: float) -> float:
    value = args.text(key)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise SlackError(f"invalid_ts_{key}") from None


@slack_method("conversations.history")
def conversations_history(fake: FakeSlack, args: Args) -> dict[str, Any]:
    channel = fake.resolve_channel(args.text("channel"))
    latest = _ts_arg(args, "latest", float("inf"))
    oldest = _ts_arg(args, "oldest", 0.0)
    inclusive = args.flag("inclusive")

    def in_range(ts: float) -> bool:
        if inclusive:
            return oldest <= ts <= latest
        return oldest < ts < latest

    # Thread replies stay out of history unless they were broadcast to the channel.
    visible = [
        message
        for message in reversed(fake.messages)
        if message.channel == channel.id
        and (message.thread_ts in (None, message.ts) or message.reply_broadcast)
        and in_range(float(message.ts))
    ]
    page, next_cursor = paginate(visible, args)
    with_metadata = args.flag("include_all_metadata")
    return {
        "messages": [m.to_slack(fake.team_id, include_metadata=with_metadata) for m in page],
        "has_more": bool(next_cursor),
        "pin_count": 0,
        "response_metadata": {"next_cursor": next_cursor},
    }


@slack_method("users.info")
def users_info(fake: FakeSlack, args: Args) -> dict[str, Any]:
    user = fake.require_user(args.text("user"))
    return {"user": user.to_slack(fake.team_id, fake.now(), args.flag("include_locale"))}


@slack_method("users.list")
def users_list(fake: FakeSlack, args: Args) -> dict[str, Any]:
    page, next_cursor = paginate(list(fake.users.values()), args)
    now, locale = fake.now(), args.flag("include_locale")
    result = _paged("members", [u.to_slack(fake.team_id, now, locale) for u in page], next_cursor)
    result["cache_ts"] = int(now)
    return result


@slack_method("users.lookupByEmail")
def users_lookup_by_email(fake: FakeSlack, args: Args) -> dict[str, Any]:
    email = (args.text("email") or "").lower()
    for user in fake.users.values():
        if user.email and user.email.lower() == email and not user.deleted:
            return {"user": user.to_slack(fake.team_id, fake.now())}
    raise SlackError("users_not_found")
