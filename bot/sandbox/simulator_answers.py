"""How Slack applies the bot's HTTP answers: slash command acks, view_submission responses,
and how users close modals."""

from __future__ import annotations

from typing import Any

from bot.sandbox.api_args import Args
from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.methods_chat import message_content
from bot.sandbox.methods_views import checked_view, close_stack, push_view, replace_view
from bot.sandbox.models import Ephemeral, SlackError, View


def show_command_ack(fake: FakeSlack, user_id: str, channel_id: str, body: Any, text: str) -> None:
    """A message in a slash command's ack appears as Slack shows it: ephemeral by default,
    or in the channel with response_type in_channel."""
    if not isinstance(body, dict):
        if not text.strip():
            return
        body = {"text": text.strip()}
    try:
        content = message_content(fake, "slash command ack", Args(body))
    except SlackError as error:
        fake.warnings.append(f"slash command ack rejected by Slack: {error.error}")
        return
    if body.get("response_type") == "in_channel":
        fake.record_message(
            channel_id, fake.bot_user_id, content.text or "", blocks=content.blocks or []
        )
        return
    fake.ephemerals.append(
        Ephemeral(
            channel_id,
            user_id,
            content.text or "",
            content.blocks or [],
            fake.next_ts(),
            source="command_ack",
        )
    )


def _input_block_ids(view: View) -> set[str]:
    return {b["block_id"] for b in view.blocks if b.get("type") == "input"}


def _apply_action(fake: FakeSlack, user_id: str, view: View, body: dict[str, Any]) -> None:
    action = body.get("response_action")
    if action == "errors":
        errors = body.get("errors")
        if not isinstance(errors, dict) or not errors:
            fake.warnings.append("view_submission: response_action errors without an errors map")
            return
        unknown = sorted(set(errors) - _input_block_ids(view))
        if unknown:
            # Slack shows a generic failure when an error names no input block of the view.
            fake.warnings.append(
                f"view_submission: errors name blocks that are not input blocks: {unknown}"
            )
        view.errors = {str(k): str(v) for k, v in errors.items()}
    elif action == "update":
        replace_view(fake, view, checked_view(body.get("view"), "modal"))
    elif action == "push":
        push_view(fake, user_id, checked_view(body.get("view"), "modal"))
    elif action == "clear":
        close_stack(fake, user_id)
    else:
        fake.warnings.append(f"view_submission: unknown response_action {action!r}")


def apply_submission_response(
    fake: FakeSlack, user_id: str, view: View, status: int, body: Any, text: str
) -> None:
    """Empty 200 closes the submitted view; a response_action errors/update/push/clear
    acts on the stack; anything else leaves the modal open with Slack's error shown."""
    if status != 200:
        fake.warnings.append(
            f"view_submission: bot answered HTTP {status}; Slack keeps the modal open "
            "and shows a connection error"
        )
        return
    if body is None and not text.strip():
        close_views(fake, user_id, view, all_views=False)
        return
    if not isinstance(body, dict):
        fake.warnings.append(f"view_submission: answer is not JSON: {text[:200]!r}")
        return
    try:
        _apply_action(fake, user_id, view, body)
    except SlackError as error:
        fake.warnings.append(
            f"view_submission: Slack rejected the response_action: {error.error} {error.messages}"
        )


def close_views(fake: FakeSlack, user_id: str, view: View, all_views: bool) -> bool:
    """Closes ``view`` (the top one) or the whole stack; returns whether all were cleared."""
    stack = fake.modal_stacks.get(user_id, [])
    cleared = all_views or bool(view.payload.get("clear_on_close"))
    close_stack(fake, user_id, keep=0 if cleared else max(len(stack) - 1, 0))
    return cleared
