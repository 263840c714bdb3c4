"""`/inspect` subcommands: parse words → use case → ephemeral answer or a modal."""

from __future__ import annotations

from typing import Any

from commands import blocks as bk
from commands.framework import Caller, SlashCommand, UsageError, ephemeral
from commands.inspections import views
from domain.inspections import runs as run_cases
from domain.inspections import services as plans
from domain.inspections.models import RunState


def attach(command: SlashCommand) -> None:
    command.sub("plans", "inspect.usage.plans", plans.VIEW_INSPECTIONS)(list_plans)
    command.sub("plan", "inspect.usage.plan", plans.MANAGE_PLANS)(plan)
    command.sub("due", "inspect.usage.due")(due)
    command.sub("start", "inspect.usage.start")(start)
    command.sub("history", "inspect.usage.history", plans.VIEW_INSPECTIONS)(history)


async def _platform_names(uow: Any) -> dict[int, str]:
    return {p.id: p.key for p in await uow.org.list_platforms()}


async def list_plans(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    if len(args) > 1:
        raise UsageError()
    async with caller.reader() as uow:
        found = await plans.list_plans(uow, caller.actor, args[0] if args else None)
        names = await _platform_names(uow)
    await ack(ephemeral(views.plans_text(caller.t, found, names)))


async def plan(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    verb = args[0].lower() if args else "new"
    if verb == "new" and len(args) <= 2:
        await _open_plan_modal(caller, body, ack, platform_key=args[1] if len(args) == 2 else None)
        return
    if len(args) < 2:
        raise UsageError()
    ref = " ".join(args[1:])
    if verb == "edit":
        await _open_plan_modal(caller, body, ack, plan_ref=ref)
        return
    actions = {"pause": plans.pause_plan, "resume": plans.resume_plan, "delete": plans.delete_plan}
    action = actions.get(verb)
    if action is None:
        raise UsageError()
    async with caller.uow() as uow:
        changed = await action(uow, caller.actor, ref)
        await uow.commit()
    next_run = bk.slack_date(changed.next_due_at) if changed.next_due_at else "—"
    await ack(
        ephemeral(
            caller.t(f"inspect.plan.{verb}d", plan=changed.name, key=changed.key, next=next_run)
        )
    )


async def _open_plan_modal(
    caller: Caller,
    body: dict[str, Any],
    ack: Any,
    *,
    platform_key: str | None = None,
    plan_ref: str | None = None,
) -> None:
    async with caller.reader() as uow:
        platforms = await uow.org.list_platforms()
        existing = None
        if plan_ref is not None:
            existing = await plans.get_plan(uow, plan_ref)
            caller.actor.require(plans.MANAGE_PLANS, platform_id=existing.platform_id)
            platform_key = next((p.key for p in platforms if p.id == existing.platform_id), None)
        else:
            caller.actor.require(plans.MANAGE_PLANS)
    if not platforms:
        await ack(ephemeral(caller.t("inspect.plan.no_platforms")))
        return
    if platform_key is None and len(platforms) == 1:
        platform_key = platforms[0].key
    view = views.plan_modal(caller.t, platforms, caller.timezone, existing, platform_key)
    await caller.container.slack.views_open(trigger_id=body["trigger_id"], view=view)
    await ack()


async def due(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    if args:
        raise UsageError()
    async with caller.reader() as uow:
        found = await run_cases.list_due_runs(uow, caller.actor)
        names = {p.id: p.name for p in await uow.inspections.list_plans(include_deleted=True)}
    text = views.runs_text(caller.t, found, names, "inspect.due.empty")
    if found:
        text = caller.t("inspect.due.title", count=len(found)) + "\n" + text
    await ack(ephemeral(text))


async def start(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    if len(args) != 1:
        raise UsageError()
    await open_checklist(caller, args[0], body["trigger_id"])
    await ack()


async def open_checklist(caller: Caller, run_key: str, trigger_id: str) -> None:
    """Shared by `/inspect start RUN-n` and the reminder's **Start inspection** button."""
    async with caller.reader() as uow:
        run = await run_cases.start_run(uow, caller.actor, run_key)
        plan_ = await uow.inspections.get_plan(run.plan_id)
    view = views.checklist_modal(caller.t, run, plan_.name if plan_ else run.key)
    await caller.container.slack.views_open(trigger_id=trigger_id, view=view)


async def history(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    async with caller.reader() as uow:
        found = await run_cases.run_history(uow, caller.actor, " ".join(args) or None, limit=20)
        names = {p.id: p.name for p in await uow.inspections.list_plans(include_deleted=True)}
    text = views.runs_text(caller.t, found, names, "inspect.history.empty")
    if found:
        done = sum(1 for r in found if r.state is RunState.COMPLETED)
        text = caller.t("inspect.history.title", count=len(found), done=done) + "\n" + text
    await ack(ephemeral(text))
