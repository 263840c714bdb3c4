"""Handlers of `/mod` subcommands: parse words → call the use case → answer ephemerally."""

from __future__ import annotations

from typing import Any

from commands import blocks as bk
from commands.framework import Caller, SlashCommand, UsageError, ephemeral
from commands.moderation import modals, views
from commands.moderation.notices import case_view, item_parts
from domain.errors import ValidationFailed
from domain.moderation import closing, lookup, queries, queue
from domain.moderation.access import MODERATE, VIEW_MODERATION
from domain.moderation.catalogue import ModerationPolicy, Rule
from domain.moderation.models import UserRef, parse_user_ref
from domain.moderation.settings import policy_in_force
from domain.org.models import Platform


def attach(command: SlashCommand) -> None:
    command.sub("warn", "mod.usage.warn", MODERATE)(warn)
    command.sub("ban", "mod.usage.ban", MODERATE)(ban)
    command.sub("unban", "mod.usage.unban", MODERATE)(unban)
    command.sub("case", "mod.usage.case", VIEW_MODERATION)(show_case)
    command.sub("history", "mod.usage.history", VIEW_MODERATION)(history)
    command.sub("queue", "mod.usage.queue", VIEW_MODERATION)(show_queue)
    command.sub("rules", "mod.usage.rules", VIEW_MODERATION)(rules)


async def resolve_ref(uow: Any, word: str) -> tuple[UserRef, Platform]:
    """A typed REF checked against the known platforms; bad ones answer with the usage line."""
    try:
        ref = parse_user_ref(word)
        platform = await lookup.platform_of(uow, ref)
    except ValidationFailed as error:
        code, params = next(iter(error.fields.values()))
        raise UsageError(code, **params) from None
    return UserRef(platform.key, ref.external_id), platform


def pick_rule(policy: ModerationPolicy, code: str | None, default_serious: bool) -> Rule:
    if code:
        rule = policy.rule(code.lower())
        if rule is None:
            raise UsageError(
                "mod.errors.rule_unknown", rule=code, rules=", ".join(r.code for r in policy.rules)
            )
        return rule
    wanted = "serious" if default_serious else "minor"
    return next((r for r in policy.rules if r.severity.value == wanted), policy.rules[0])


async def open_case_modal(
    caller: Caller,
    trigger_id: str,
    kind: str,
    ctx: modals.ModalContext,
    rule_code: str | None,
    policy: ModerationPolicy,
) -> None:
    rule = pick_rule(policy, rule_code, kind == "ban")
    build = modals.warn_modal if kind == "warn" else modals.ban_modal
    view = build(caller.t, policy, rule, ctx)
    await caller.container.slack.views_open(trigger_id=trigger_id, view=view)


async def _modal_command(
    caller: Caller, args: list[str], body: dict[str, Any], ack: Any, kind: str
) -> None:
    if len(args) not in (1, 2):
        raise UsageError()
    async with caller.reader() as uow:
        ref, platform = await resolve_ref(uow, args[0])
        policy = await policy_in_force(uow)
    # Refuse before the modal opens: a non-moderator should not fill in a form for nothing.
    caller.actor.require(MODERATE, platform_id=platform.id)
    await open_case_modal(
        caller,
        body["trigger_id"],
        kind,
        modals.ModalContext(str(ref)),
        args[1] if len(args) == 2 else None,
        policy,
    )
    await ack()


async def warn(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    await _modal_command(caller, args, body, ack, "warn")


async def ban(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    await _modal_command(caller, args, body, ack, "ban")


async def unban(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    if not args:
        raise UsageError()
    async with caller.uow() as uow:
        ref, _ = await resolve_ref(uow, args[0])
        case = await closing.unban_user(uow, caller.actor, ref, " ".join(args[1:]))
        await uow.commit()
    await ack(ephemeral(caller.t("mod.done.unbanned", ref=str(ref), key=case.key)))


async def show_case(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    if len(args) != 1:
        raise UsageError()
    async with caller.reader() as uow:
        case = await queries.get_case(uow, caller.actor, args[0])
        assert case.id is not None
        view = await case_view(uow, case.id, uow.now())
        policy = await policy_in_force(uow)
    assert view is not None
    blocks = views.case_blocks(
        caller.t,
        view,
        policy,
        with_actions=caller.actor.can(MODERATE, platform_id=case.platform_id),
    )
    await ack(ephemeral(views.case_text(caller.t, case), blocks))


async def history(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    if len(args) != 1:
        raise UsageError()
    async with caller.reader() as uow:
        ref, _ = await resolve_ref(uow, args[0])
        found = await queries.user_history(uow, caller.actor, ref)
        now = uow.now()
        policy = await policy_in_force(uow)
    blocks = views.history_blocks(caller.t, found, now, policy)
    await ack(ephemeral(caller.t("mod.history.text", ref=str(ref)), blocks))


async def show_queue(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    if args:
        raise UsageError()
    blocks: list[dict[str, Any]] = []
    async with caller.reader() as uow:
        items = await queue.open_queue(uow, caller.actor)  # only the platforms in their scope
        for item in items[:12]:  # ephemeral messages hold at most 50 blocks
            assert item.id is not None
            parts = await item_parts(uow, item.id)
            may_act = caller.actor.can(MODERATE, platform_id=item.platform_id)
            if parts is not None:
                blocks += views.item_blocks(caller.t, *parts, with_actions=may_act)
    text = views.queue_summary(caller.t, len(items))
    await ack(ephemeral(text, [bk.section(text), *blocks]))


async def rules(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    caller.actor.require(VIEW_MODERATION)
    async with caller.reader() as uow:
        policy = await policy_in_force(uow)
    await ack(ephemeral(views.rules_text(caller.t, policy)))
