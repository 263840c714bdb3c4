"""`/incident` subcommands: parse words → call the use case → answer ephemerally or open a modal."""

from __future__ import annotations

from typing import Any

from commands.framework import Caller, SlashCommand, UsageError, ephemeral, mention_to_user_id
from commands.incidents import modals, views
from domain.errors import Conflict, InvalidTransition
from domain.incidents import oncall, services, settings
from domain.incidents.models import Incident, IncidentStatus, Severity
from domain.incidents.ports import IncidentFilter
from domain.incidents.queries import VIEW, get_incident, list_incidents

LIST_SCOPES = ("open", "mine", "all")


def attach(command: SlashCommand) -> None:
    command.sub("declare", "inc.usage.declare", services.DECLARE, aliases=("new",))(declare)
    command.sub("list", "inc.usage.list", VIEW)(list_)
    command.sub("show", "inc.usage.show", VIEW)(show)
    command.sub("ack", "inc.usage.ack", services.RESPOND, aliases=("acknowledge",))(ack)
    command.sub("unack", "inc.usage.unack", services.RESPOND)(unack)
    command.sub("resolve", "inc.usage.resolve", services.RESPOND)(resolve)
    command.sub("reopen", "inc.usage.reopen", services.RESPOND)(reopen)
    command.sub("note", "inc.usage.note", services.NOTE)(note)
    command.sub("sev", "inc.usage.sev", services.RESPOND, aliases=("severity",))(sev)
    command.sub("escalate", "inc.usage.escalate", services.RESPOND)(escalate)
    command.sub("review", "inc.usage.review", VIEW)(review)
    command.sub("oncall", "inc.usage.oncall", VIEW)(oncall_)
    command.sub("sla", "inc.usage.sla", services.CONFIGURE)(sla)


async def open_declare(caller: Caller, trigger_id: str, draft: modals.Draft) -> None:
    """Open the declare modal (also used by other areas, e.g. a failed inspection item)."""
    caller.actor.require(services.DECLARE)
    async with caller.reader() as uow:
        platforms = await uow.org.list_platforms()
    view = modals.declare_modal(caller.t, platforms, draft)
    await caller.container.slack.views_open(trigger_id=trigger_id, view=view)


async def declare(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    await open_declare(caller, body["trigger_id"], modals.Draft(title=" ".join(args)))
    await ack()


async def list_(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    scope = args[0].lower() if args else "open"
    if scope not in LIST_SCOPES or len(args) > 1:
        raise UsageError("inc.errors.list_scope", scopes=" | ".join(LIST_SCOPES))
    query = IncidentFilter(
        statuses=(IncidentStatus.TRIGGERED, IncidentStatus.ACKNOWLEDGED) if scope == "open" else (),
        involving=caller.user_id if scope == "mine" else None,
        limit=30,
    )
    async with caller.reader() as uow:
        incidents = await list_incidents(uow, caller.actor, query)
        platforms = {p.id: p for p in await uow.org.list_platforms() if p.id is not None}
    await ack(ephemeral(views.list_text(caller.t, incidents, platforms, scope)))


def _key(args: list[str], count: int = 1, *, more: bool = False) -> str:
    if len(args) < count or (not more and len(args) > count):
        raise UsageError()
    return args[0]


async def show(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    async with caller.reader() as uow:
        incident, platform, entries = await get_incident(uow, caller.actor, _key(args))
        on_call = await oncall.on_call_now(uow, incident.platform_id)
    blocks = views.show_blocks(caller.t, incident, platform, on_call, entries)
    await ack(ephemeral(views.title_line(incident), blocks))


async def ack(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    async with caller.uow() as uow:
        incident = await services.acknowledge_incident(uow, caller.actor, _key(args))
        await uow.commit()
    await ack(ephemeral(caller.t("inc.done.acknowledged", key=incident.key)))


async def unack(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    async with caller.uow() as uow:
        incident = await services.unacknowledge_incident(uow, caller.actor, _key(args))
        await uow.commit()
    await ack(ephemeral(caller.t("inc.done.unacknowledged", key=incident.key)))


async def resolve(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    key = _key(args, more=True)
    if len(args) > 1:  # a summary given inline: no modal needed
        async with caller.uow() as uow:
            incident = await services.resolve_incident(uow, caller.actor, key, " ".join(args[1:]))
            await uow.commit()
        await ack(ephemeral(caller.t("inc.done.resolved", key=incident.key)))
        return
    async with caller.reader() as uow:
        incident, _ = await services.find_incident(uow, key)
    check_can_resolve(caller, incident)
    await caller.container.slack.views_open(
        trigger_id=body["trigger_id"], view=modals.resolve_modal(caller.t, incident)
    )
    await ack()


def check_can_resolve(caller: Caller, incident: Incident) -> None:
    """Refuse before opening the modal, so a stale click never shows a form that cannot work."""
    caller.actor.require(services.RESPOND, platform_id=incident.platform_id)
    if not incident.is_open:
        raise InvalidTransition("inc.errors.already_resolved", key=incident.key)


async def reopen(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    key = _key(args, more=True)
    async with caller.uow() as uow:
        incident = await services.reopen_incident(uow, caller.actor, key, " ".join(args[1:]))
        await uow.commit()
    await ack(ephemeral(caller.t("inc.done.reopened", key=incident.key)))


async def note(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    key = _key(args, 2, more=True)
    async with caller.uow() as uow:
        incident = await services.add_note(uow, caller.actor, key, " ".join(args[1:]))
        await uow.commit()
    await ack(ephemeral(caller.t("inc.done.noted", key=incident.key)))


async def sev(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    key = _key(args, 2)
    async with caller.uow() as uow:
        incident = await services.change_severity(uow, caller.actor, key, args[1])
        await uow.commit()
    await ack(
        ephemeral(caller.t("inc.done.severity", key=incident.key, severity=incident.severity.value))
    )


async def escalate(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    async with caller.uow() as uow:
        level = await services.escalate_incident(uow, caller.actor, _key(args))
        await uow.commit()
    await ack(ephemeral(caller.t(f"inc.done.escalated.{level}", key=args[0].upper())))


async def review(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    async with caller.reader() as uow:
        incident, _ = await services.find_incident(uow, _key(args))
    check_can_review(incident)
    await caller.container.slack.views_open(
        trigger_id=body["trigger_id"], view=modals.review_modal(caller.t, incident)
    )
    await ack()


def check_can_review(incident: Incident) -> None:
    if incident.review_due_at is None:
        raise Conflict("inc.errors.no_review", key=incident.key)
    if incident.review is not None:
        raise Conflict("inc.errors.review_recorded", key=incident.key)


async def oncall_(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    if args and args[0].lower() == "set":
        if len(args) < 3:
            raise UsageError()
        members = [mention_to_user_id(word) for word in args[2:]]
        bad = [word for word, member in zip(args[2:], members, strict=True) if member is None]
        if bad:
            raise UsageError("inc.errors.mention", word=bad[0])
        async with caller.uow() as uow:
            rotation = await oncall.set_rotation(
                uow, caller.actor, args[1], [m for m in members if m]
            )
            await uow.commit()
        text = caller.t(
            "inc.oncall.set",
            platform=args[1].lower(),
            timezone=rotation.timezone,
            people=" → ".join(f"<@{m}>" for m in rotation.members),
        )
        await ack(ephemeral(text))
        return
    caller.actor.require(VIEW)
    async with caller.reader() as uow:
        keys = [args[0]] if args else [p.key for p in await uow.org.list_platforms()]
        answers = [await oncall.who_is_on_call(uow, key) for key in keys]
    await ack(ephemeral(views.oncall_text(caller.t, answers)))


async def sla(caller: Caller, args: list[str], body: dict[str, Any], ack: Any) -> None:
    platform = None
    minutes: dict[Severity, int] = {}
    for word in args:
        name, sep, value = word.partition("=")
        if not sep:
            platform = word
            continue
        if not value.isdigit():
            raise UsageError()
        minutes[Severity.parse(name)] = int(value)
    async with caller.uow() as uow:
        policy = await settings.configure_incident_policy(
            uow, caller.actor, platform, ack_minutes=minutes
        )
        await uow.commit()
    text = ", ".join(f"{s.value} {policy.ack_minutes[s]} min" for s in Severity)
    await ack(ephemeral(caller.t("inc.sla.set", scope=platform or "*", sla=text)))
