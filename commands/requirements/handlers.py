"""`/req` subcommands: parse words → call the use case → answer ephemerally or open a modal."""

from __future__ import annotations

from datetime import date
from typing import Any

from commands import blocks as bk
from commands.framework import Caller, SlashCommand, UsageError, ephemeral, mention_to_user_id
from commands.requirements import modals, views
from commands.requirements.notices import card_data
from domain.access import Role
from domain.requirements import delegation, queries, services, stages


def attach(command: SlashCommand) -> None:
    command.sub("new", "req.usage.new", services.SUBMIT)(new)
    command.sub("list", "req.usage.list", services.VIEW)(list_)
    command.sub("show", "req.usage.show", services.VIEW)(show)
    command.sub("withdraw", "req.usage.withdraw", services.SUBMIT)(withdraw)
    command.sub("assign", "req.usage.assign", stages.BUILD)(assign)
    command.sub("move", "req.usage.move", stages.BUILD)(move)
    command.sub("delegate", "req.usage.delegate", services.VOTE)(delegate)


async def new(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    async with caller.reader() as uow:
        departments = [
            d
            for d in await uow.org.list_departments()
            if caller.actor.has_role(Role.MEMBER, department_id=d.id)
        ]
        platforms = await uow.org.list_platforms()
        admins = sorted(set(await uow.people.holders_of(Role.ADMIN)))
    if not departments:
        who = ", ".join(bk.user(a) for a in admins) or caller.t("req.new.an_admin")
        await ack(
            ephemeral(caller.t("req.new.not_member", admins=who, user=bk.user(caller.user_id)))
        )
        return
    await ack()
    view = modals.requirement_modal(caller.t, departments, platforms)
    await caller.container.slack.views_open(trigger_id=body["trigger_id"], view=view)


async def list_(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    scope, department, stage = parse_list_args(args)
    blocks = await list_page(caller, scope, department, stage, None)
    await ack(ephemeral(caller.t("req.list.title_" + scope), blocks))


def parse_list_args(args: list[str]) -> tuple[str, str | None, str | None]:
    scope, department, stage = "all", None, None
    for word in args:
        lowered = word.lower()
        if lowered in ("mine", "pending", "all"):
            scope = lowered
        elif lowered.startswith("dept:") and len(word) > 5:
            department = word[5:]
        elif lowered.startswith("stage:") and len(word) > 6:
            stage = word[6:]
        else:
            raise UsageError("req.errors.list_word", word=word)
    return scope, department, stage


async def list_page(
    caller: Caller, scope: str, department: str | None, stage: str | None, cursor: int | None
) -> list[dict[str, Any]]:
    async with caller.reader() as uow:
        page = await queries.list_requirements(
            uow,
            caller.actor,
            queries.Scope(scope),
            department=department,
            stage=stage,
            cursor=cursor,
        )
    next_value = (
        views.page_value(scope, department, stage, page.next_cursor) if page.next_cursor else None
    )
    return views.list_blocks(caller.t, page.items, caller.t("req.list.title_" + scope), next_value)


async def show(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    if len(args) != 1:
        raise UsageError()
    async with caller.reader() as uow:
        requirement = await services.get_requirement(uow, caller.actor, args[0])
        data = await card_data(uow, requirement)
    await ack(
        ephemeral(
            f"{requirement.key} · {requirement.title}",
            views.card_blocks(caller.t, data, with_actions=False),
        )
    )


async def withdraw(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    if not args:
        raise UsageError()
    async with caller.uow() as uow:
        requirement = await services.withdraw_requirement(
            uow, caller.actor, args[0], " ".join(args[1:]) or None
        )
        await uow.commit()
    await ack(ephemeral(caller.t("req.withdrawn", key=requirement.key)))


async def assign(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    if len(args) != 2:
        raise UsageError()
    owner = mention_to_user_id(args[1])
    if owner is None:
        raise UsageError("req.errors.mention", word=args[1])
    async with caller.uow() as uow:
        requirement = await stages.assign_owner(uow, caller.actor, args[0], owner)
        await uow.commit()
    await ack(ephemeral(caller.t("req.assigned.done", key=requirement.key, user=bk.user(owner))))


async def move(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    if len(args) < 2:
        raise UsageError()
    target = stages.parse_stage(args[1])
    async with caller.uow() as uow:
        requirement = await stages.move_requirement(
            uow, caller.actor, args[0], target, " ".join(args[2:]) or None
        )
        await uow.commit()
    await ack(
        ephemeral(
            caller.t(
                "req.moved",
                key=requirement.key,
                stage=views.stage_label(caller.t, requirement.stage),
            )
        )
    )


async def delegate(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    if len(args) == 1 and args[0].lower() in ("off", "end", "cancel"):
        async with caller.uow() as uow:
            ended = await delegation.end_delegation(uow, caller.actor)
            await uow.commit()
        await ack(ephemeral(caller.t("req.delegate.ended", user=bk.user(ended.delegate_id))))
        return
    if len(args) != 3 or args[1].lower() != "until":
        raise UsageError()
    delegate_id = mention_to_user_id(args[0])
    if delegate_id is None:
        raise UsageError("req.errors.mention", word=args[0])
    try:
        until = date.fromisoformat(args[2])
    except ValueError:
        raise UsageError("req.errors.date", word=args[2]) from None
    async with caller.uow() as uow:
        created = await delegation.delegate_approvals(uow, caller.actor, delegate_id, until)
        await uow.commit()
    await ack(
        ephemeral(
            caller.t(
                "req.delegate.done",
                user=bk.user(delegate_id),
                until=bk.slack_date(created.until, "%Y-%m-%d %H:%M UTC"),
            )
        )
    )
