"""Clicks on case and queue cards, and submissions of the warn/ban modals."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.bootstrap import Container
from commands.framework import caller_for
from commands.moderation import modals, views
from commands.moderation.handlers import open_case_modal, pick_rule
from domain.events import Notice, UserRecipient
from domain.moderation import closing, queue, services
from domain.moderation.access import MODERATE
from domain.moderation.models import ItemKind, ModerationCase, UserRef, parse_user_ref
from domain.moderation.settings import policy_in_force


def register(app: AsyncApp, container: Container) -> None:
    simple = {
        views.CONFIRM: services.confirm_case,
        views.APPLY_PROPOSAL: closing.apply_proposal,
        views.TAKE: queue.take_item,
        views.DISMISS: queue.dismiss_item,
    }
    for action_id, use_case in simple.items():
        app.action(action_id)(_clicked(container, use_case))
    app.action(views.REVOKE)(_revoke_clicked(container))
    app.view(modals.REVOKE_VIEW)(_revoke_submitted(container))
    app.action(views.UPHOLD)(_clicked(container, _decide(uphold=True)))
    app.action(views.OVERTURN)(_clicked(container, _decide(uphold=False)))
    app.action(views.ITEM_WARN)(_from_report(container, "warn"))
    app.action(views.ITEM_BAN)(_from_report(container, "ban"))
    app.action(modals.RULE_PICKED)(_rule_picked(container))
    app.view(modals.WARN_VIEW)(_submitted(container, "warn"))
    app.view(modals.BAN_VIEW)(_submitted(container, "ban"))


def _clicked(container: Container, use_case: Any) -> Any:
    """Buttons: ack at once, run the use case; the cards update through the outbox. A stale or
    double click raises Conflict, which the error handler answers ephemerally."""

    async def handler(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        caller = await caller_for(container, body["user"]["id"])
        subject_id = int(body["actions"][0]["value"])
        async with container.uow() as uow:
            await use_case(uow, caller.actor, subject_id)
            await uow.commit()

    return handler


def _revoke_clicked(container: Container) -> Any:
    """Revoke asks why first (a modal); a closed case or a non-moderator is refused at once."""

    async def handler(ack: Any, body: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        case_id = int(body["actions"][0]["value"])
        async with container.reader() as uow:
            case, _, _ = await closing.revocable_case(uow, caller.actor, case_id)
        view = modals.revoke_modal(caller.t, case)
        await container.slack.views_open(trigger_id=body["trigger_id"], view=view)
        await ack()

    return handler


def _revoke_submitted(container: Container) -> Any:
    async def handler(ack: Any, body: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        view = body["view"]
        reason = modals.text_of(view["state"]["values"], "reason")
        async with container.uow() as uow:
            await closing.revoke_case(uow, caller.actor, int(view["private_metadata"]), reason)
            await uow.commit()
        await ack()

    return handler


def _decide(*, uphold: bool) -> Any:
    async def decide(uow: Any, actor: Any, item_id: int) -> Any:
        return await queue.decide_appeal(uow, actor, item_id, uphold=uphold)

    return decide


def _from_report(container: Container, kind: str) -> Any:
    """Warn/Ban on a report opens the modal about the reported user, tied to the report."""

    async def handler(ack: Any, body: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        item_id = int(body["actions"][0]["value"])
        async with container.reader() as uow:
            item = await uow.moderation.get_item(item_id)
            platform = await uow.org.get_platform(item.platform_id) if item else None
            user = await uow.moderation.get_user(item.user_id) if item else None
            policy = await policy_in_force(uow)
        if item is None or platform is None or user is None or item.kind is not ItemKind.REPORT:
            await ack()
            return
        caller.actor.require(MODERATE, platform_id=platform.id)
        ctx = modals.ModalContext(f"{platform.key}:{user.external_id}", item_id, item.content_id)
        await open_case_modal(caller, body["trigger_id"], kind, ctx, None, policy)
        await ack()

    return handler


def _rule_picked(container: Container) -> Any:
    async def handler(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        caller = await caller_for(container, body["user"]["id"])
        code = (body["actions"][0].get("selected_option") or {}).get("value")
        async with container.reader() as uow:
            policy = await policy_in_force(uow)
        rule = pick_rule(policy, code, False)
        view = body["view"]
        new_view = modals.with_rule(view, caller.t, policy, rule)
        await container.slack.views_update(view_id=view["id"], hash=view.get("hash"), view=new_view)

    return handler


def _submitted(container: Container, kind: str) -> Any:
    async def handler(ack: Any, body: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        view = body["view"]
        values = view["state"]["values"]
        ctx = modals.ModalContext.load(view.get("private_metadata", ""))
        ref = parse_user_ref(ctx.ref)
        draft = modals.draft_from(values, ctx, view["id"])
        async with container.uow() as uow:
            if kind == "warn":
                draft = modals.completed(caller.t, draft)
                case = await services.warn_user(uow, caller.actor, ref, draft)
            else:
                choice = modals.ban_choice_from(values)
                draft = modals.completed(caller.t, draft, choice)
                case = await services.ban_user(
                    uow,
                    caller.actor,
                    ref,
                    draft,
                    permanent=choice.permanent,
                    until=choice.until,
                    reason=choice.reason,
                    pursue_responsibility=choice.pursue,
                )
            uow.notify(_done_notice(caller.user_id, case, ref))
            await uow.commit()
        await ack()

    return handler


def _done_notice(user_id: str, case: ModerationCase, ref: UserRef) -> Notice:
    """The moderator learns the case key (and that it may wait for a second moderator)."""
    key = "mod.done.pending" if case.confirmation.value == "pending" else "mod.done.created"
    return Notice(
        "text",
        UserRecipient(user_id),
        case.subject,
        ref=f"mod-done:{case.id}:{user_id}",  # a replayed submission updates, never repeats
        params={"key": key, "case": case.key, "ref": str(ref)},
    )
