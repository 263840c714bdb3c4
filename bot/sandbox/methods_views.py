"""views.* of the fake Slack: modal stacks, updates with hash checks, and home tabs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.sandbox.api_args import Args, slack_method
from bot.sandbox.blockkit import slack_error_messages, validate_view, with_generated_ids
from bot.sandbox.models import SlackError, View

if TYPE_CHECKING:
    from bot.sandbox.fake_slack import FakeSlack

MAX_STACK = 3


def checked_view(args: Any, expected_type: str | None = None) -> dict[str, Any]:
    """The ``view`` argument (``Args`` or an already decoded view), validated as Slack does;
    Slack answers invalid_arguments for a bad view."""
    view = args.decoded("view") if isinstance(args, Args) else args
    if not isinstance(view, dict):
        raise SlackError("invalid_arguments", ["[ERROR] view must be a JSON object"])
    problems = validate_view(view)
    if expected_type is not None and view.get("type") != expected_type:
        problems.insert(0, f"/type: must be {expected_type} for this method")
    if problems:
        raise SlackError("invalid_arguments", slack_error_messages(problems, "/view"))
    return {**view, "blocks": with_generated_ids(view.get("blocks") or [])}


def new_view(fake: FakeSlack, payload: dict[str, Any], user: str | None, **fields: Any) -> View:
    external_id = str(payload.get("external_id", ""))
    if external_id and any(
        v.external_id == external_id and not v.closed for v in fake.views.values()
    ):
        raise SlackError("duplicate_external_id")
    view = View(
        id=fake.new_id("V"),
        type=str(payload["type"]),
        user=user,
        payload=payload,
        hash=fake.new_hash(),
        team_id=fake.team_id,
        app_id=fake.app_id,
        bot_id=fake.bot_id,
        external_id=external_id,
        **fields,
    )
    fake.views[view.id] = view
    return view


def replace_view(fake: FakeSlack, view: View, payload: dict[str, Any]) -> None:
    """A new definition for an existing view: same id, new hash, history kept for assertions."""
    view.history.append(view.view)
    view.payload = payload
    view.hash = fake.new_hash()
    view.errors = {}
    view.external_id = str(payload.get("external_id", view.external_id))


def close_stack(fake: FakeSlack, user: str, keep: int = 0) -> None:
    """Closes the user's modal views above the first ``keep``."""
    stack = fake.modal_stacks.get(user, [])
    for view_id in stack[keep:]:
        fake.views[view_id].closed = True
    del stack[keep:]
    if not stack:
        fake.modal_stacks.pop(user, None)


def push_view(fake: FakeSlack, user: str, payload: dict[str, Any]) -> View:
    stack = fake.modal_stacks.get(user)
    if not stack:
        raise SlackError("not_found", ["[ERROR] no modal is open to push onto"])
    if len(stack) >= MAX_STACK:
        raise SlackError("push_limit_reached")
    view = new_view(fake, payload, user, root_view_id=stack[0], previous_view_id=stack[-1])
    stack.append(view.id)
    return view


@slack_method("views.open")
def views_open(fake: FakeSlack, args: Args) -> dict[str, Any]:
    user = fake.consume_trigger(args.text("trigger_id") or "")
    payload = checked_view(args, "modal")
    view = new_view(fake, payload, user)
    if user is not None:
        # A new views.open replaces whatever modal stack the user had.
        close_stack(fake, user)
        fake.modal_stacks[user] = [view.id]
    return {"view": view.view}


@slack_method("views.push")
def views_push(fake: FakeSlack, args: Args) -> dict[str, Any]:
    user = fake.consume_trigger(args.text("trigger_id") or "")
    payload = checked_view(args, "modal")
    if user is None:
        raise SlackError("not_found", ["[ERROR] the trigger_id belongs to no user"])
    return {"view": push_view(fake, user, payload).view}


@slack_method("views.update")
def views_update(fake: FakeSlack, args: Args) -> dict[str, Any]:
    view_id, external_id = args.text("view_id"), args.text("external_id")
    if not view_id and not external_id:
        raise SlackError("invalid_arguments", ["[ERROR] view_id or external_id is required"])
    view = next(
        (
            v
            for v in fake.views.values()
            if not v.closed and (v.id == view_id if view_id else v.external_id == external_id)
        ),
        None,
    )
    if view is None:
        raise SlackError("not_found")
    payload = checked_view(args, view.type)
    given_hash = args.text("hash")
    if given_hash is not None and given_hash != view.hash:
        raise SlackError("hash_conflict")
    replace_view(fake, view, payload)
    return {"view": view.view}


@slack_method("views.publish")
def views_publish(fake: FakeSlack, args: Args) -> dict[str, Any]:
    user = fake.require_user(args.text("user_id"))
    payload = checked_view(args, "home")
    existing = fake.home_views.get(user.id)
    given_hash = args.text("hash")
    if existing is not None:
        if given_hash is not None and given_hash != existing.hash:
            raise SlackError("hash_conflict")
        replace_view(fake, existing, payload)
        return {"view": existing.view}
    view = new_view(fake, payload, user.id)
    fake.home_views[user.id] = view
    return {"view": view.view}
