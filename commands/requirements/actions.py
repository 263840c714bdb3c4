"""Buttons and modal submissions of requirements. Each click is checked by the use case:
a second click, a click by someone not allowed or on a stale card is refused and changes nothing."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.bootstrap import Container
from commands.framework import caller_for, ephemeral
from commands.requirements import handlers, modals, views
from domain.errors import ValidationFailed
from domain.requirements import services, stages
from domain.requirements.models import Decision, Stage


def register(app: AsyncApp, container: Container) -> None:
    @app.view(modals.SUBMIT_VIEW)
    async def submitted(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        draft = modals.draft_from_state(view["state"]["values"])
        async with caller.uow() as uow:
            await services.submit_requirement(uow, caller.actor, draft)
            await uow.commit()
        await ack()

    @app.view(modals.RESUBMIT_VIEW)
    async def resubmitted(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        draft = modals.draft_from_state(view["state"]["values"])
        async with caller.uow() as uow:
            await services.resubmit_requirement(
                uow, caller.actor, int(view["private_metadata"]), draft
            )
            await uow.commit()
        await ack()

    @app.action(views.APPROVE)
    async def approve(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        requirement_id, round_, seat = views.parse_vote_value(action["value"])
        async with caller.uow() as uow:
            await services.cast_vote(
                uow, caller.actor, requirement_id, Decision.APPROVE, seat=seat, round_=round_
            )
            await uow.commit()
        await ack()

    @app.action(re.compile(f"^({re.escape(views.REJECT)}|{re.escape(views.CHANGES)})$"))
    async def ask_reason(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        decision = Decision.REJECT if action["action_id"] == views.REJECT else Decision.CHANGES
        requirement_id, round_, seat = views.parse_vote_value(action["value"])
        async with caller.reader() as uow:
            requirement, seat = await services.ensure_can_vote(
                uow, caller.actor, requirement_id, seat=seat, round_=round_
            )
        await ack()
        view = modals.reason_modal(caller.t, requirement, decision, seat)
        await container.slack.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(modals.REASON_VIEW)
    async def reason_given(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        meta = json.loads(view["private_metadata"])
        reason = (view["state"]["values"].get("reason") or {}).get("reason", {}).get("value")
        async with caller.uow() as uow:
            await services.cast_vote(
                uow,
                caller.actor,
                int(meta["id"]),
                Decision(meta["decision"]),
                reason=reason,
                seat=meta["seat"],
                round_=int(meta["round"]),
            )
            await uow.commit()
        await ack()

    @app.action(views.RESUBMIT)
    async def edit(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        async with caller.reader() as uow:
            requirement = await services.ensure_can_resubmit(
                uow, caller.actor, int(action["value"])
            )
            departments = await uow.org.list_departments()
            platforms = await uow.org.list_platforms()
        await ack()
        view = modals.requirement_modal(caller.t, departments, platforms, editing=requirement)
        await container.slack.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action(re.compile(f"^{re.escape(views.MOVE)}\\."))
    async def move(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        requirement_id, current, target = action["value"].split(":")
        async with caller.uow() as uow:
            await stages.move_requirement(
                uow, caller.actor, int(requirement_id), Stage(target), expected=Stage(current)
            )
            await uow.commit()
        await ack()

    @app.action(views.RECORD_TEST)
    async def ask_test(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        async with caller.reader() as uow:
            requirement = await stages.ensure_testable(uow, caller.actor, int(action["value"]))
        await ack()
        view = modals.test_modal(caller.t, requirement)
        await container.slack.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(modals.TEST_VIEW)
    async def test_recorded(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        values = view["state"]["values"]
        chosen = (values.get("result") or {}).get("result", {}).get("selected_option")
        if not chosen:
            raise ValidationFailed.single("result", "req.errors.required")
        evidence = (values.get("evidence") or {}).get("evidence", {}).get("value") or ""
        async with caller.uow() as uow:
            await stages.record_test(
                uow,
                caller.actor,
                int(view["private_metadata"]),
                chosen["value"] == "pass",
                evidence,
            )
            await uow.commit()
        await ack()

    @app.action(views.WITHDRAW)
    async def withdraw(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        async with caller.uow() as uow:
            await services.withdraw_requirement(uow, caller.actor, int(action["value"]))
            await uow.commit()
        await ack()

    @app.action(views.LIST_PAGE)
    async def next_page(
        ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any
    ) -> None:
        caller = await caller_for(container, body["user"]["id"])
        page = json.loads(action["value"])
        blocks = await handlers.list_page(caller, page["s"], page["d"], page["g"], int(page["c"]))
        await ack()
        message = ephemeral(caller.t("req.list.title_" + page["s"]), blocks)
        await respond(replace_original=True, text=message["text"], blocks=blocks)
