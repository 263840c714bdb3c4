"""The one place where errors from handlers become what the person sees (Dispatch's pattern)."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

from bot.bootstrap import Container
from bot.i18n import Translator
from commands.framework import caller_for
from domain.errors import DomainError, ValidationFailed

log = logging.getLogger("platops.slack")


def message_for(error: Exception, t: Translator) -> str:
    if isinstance(error, ValidationFailed):
        parts = [t(code, field=name, **params) for name, (code, params) in error.fields.items()]
        return "\n".join(parts)
    if isinstance(error, DomainError):
        return t(error.code, **error.params)
    return t("errors.unexpected", ref=getattr(error, "platops_ref", "?"))


def _json(response: BoltResponse, body: dict[str, Any]) -> None:
    response.status = 200
    response.body = json.dumps(body)
    response.headers["content-type"] = ["application/json;charset=utf-8"]


def modal_errors(error: Exception, view: dict[str, Any], t: Translator) -> dict[str, str]:
    """Errors keyed by the block_id of the input they belong to (block_id == field name)."""
    input_ids = [b.get("block_id") for b in view.get("blocks", []) if b.get("type") == "input"]
    errors: dict[str, str] = {}
    if isinstance(error, ValidationFailed):
        for name, (code, params) in error.fields.items():
            target = name if name in input_ids else (input_ids[0] if input_ids else name)
            errors.setdefault(target, t(code, field=name, **params)[:2000])
        return errors
    if input_ids:
        errors[str(input_ids[0])] = message_for(error, t)[:2000]
    return errors


def register_error_handler(app: AsyncApp, container: Container) -> None:
    @app.error
    async def on_error(
        error: Exception, body: dict[str, Any], response: BoltResponse, respond: Any
    ) -> None:
        if not isinstance(error, DomainError):
            ref = uuid.uuid4().hex[:8]
            error.platops_ref = ref  # type: ignore[attr-defined]
            log.exception("unexpected error in a Slack handler (ref %s)", ref, exc_info=error)
        user_id = (body.get("user") or {}).get("id") or body.get("user_id")
        t = (await caller_for(container, user_id)).t if user_id else container.default_translator
        kind = body.get("type")
        if kind == "view_submission":
            errors = modal_errors(error, body.get("view") or {}, t)
            if errors:
                _json(response, {"response_action": "errors", "errors": errors})
                return
        text = message_for(error, t)
        if body.get("command"):
            _json(response, {"response_type": "ephemeral", "text": text})
            return
        response.status, response.body = 200, ""
        if body.get("response_url") or (kind == "block_actions" and body.get("response_urls")):
            await respond(text=text, response_type="ephemeral", replace_original=False)
        elif user_id and (body.get("channel") or {}).get("id"):
            await container.slack.chat_postEphemeral(
                channel=body["channel"]["id"], user=user_id, text=text
            )
        elif user_id:  # e.g. a button inside a modal: no channel to be ephemeral in
            await container.slack.chat_postMessage(channel=user_id, text=text)
