"""Buttons on incident cards/DMs and the incident modals' submissions.

A stale or repeated click reaches the use case, which refuses it (InvalidTransition/Conflict);
commands/errors.py turns that into an ephemeral answer, so nothing changes twice.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.bootstrap import Container
from commands.framework import caller_for
from commands.incidents import handlers, modals, views
from domain.incidents import reviews, services
from domain.incidents.models import IncidentSource


def _source(metadata: str) -> IncidentSource:
    """Where a declaration came from: the modal's metadata (e.g. "inspection"), else Slack."""
    known = {source.value: source for source in IncidentSource}
    return known.get(metadata, IncidentSource.SLACK)


def _clicked(body: dict[str, Any]) -> str:
    return str(body["actions"][0]["value"])


def register(app: AsyncApp, container: Container) -> None:
    @app.action(views.ACK)
    async def acknowledge(ack: Any, body: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        async with caller.uow() as uow:
            await services.acknowledge_incident(uow, caller.actor, _clicked(body))
            await uow.commit()
        await ack()

    @app.action(views.ESCALATE)
    async def escalate(ack: Any, body: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        async with caller.uow() as uow:
            await services.escalate_incident(uow, caller.actor, _clicked(body))
            await uow.commit()
        await ack()

    @app.action(views.RESOLVE)
    async def resolve(ack: Any, body: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        async with caller.reader() as uow:
            incident, _ = await services.find_incident(uow, _clicked(body))
        handlers.check_can_resolve(caller, incident)
        await container.slack.views_open(
            trigger_id=body["trigger_id"], view=modals.resolve_modal(caller.t, incident)
        )
        await ack()

    @app.action(views.REVIEW)
    async def review(ack: Any, body: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        async with caller.reader() as uow:
            incident, _ = await services.find_incident(uow, _clicked(body))
        handlers.check_can_review(incident)
        await container.slack.views_open(
            trigger_id=body["trigger_id"], view=modals.review_modal(caller.t, incident)
        )
        await ack()

    @app.view(modals.DECLARE_MODAL)
    async def declared(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        async with caller.uow() as uow:
            outcome = await services.declare_incident(
                uow,
                caller.actor,
                title=modals.submitted(view, "title"),
                platform=modals.submitted(view, "platform"),
                severity=modals.submitted(view, "severity"),
                description=modals.submitted(view, "description"),
                source=_source(view.get("private_metadata") or ""),
            )
            platform = await uow.org.get_platform(outcome.incident.platform_id)
            await uow.commit()
        await ack(
            response_action="update",
            view=modals.declared_view(caller.t, outcome.incident, platform),
        )

    @app.view(modals.RESOLVE_MODAL)
    async def resolved(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        async with caller.uow() as uow:
            await services.resolve_incident(
                uow, caller.actor, view["private_metadata"], modals.submitted(view, "summary")
            )
            await uow.commit()
        await ack()

    @app.view(modals.REVIEW_MODAL)
    async def reviewed(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        caller = await caller_for(container, body["user"]["id"])
        async with caller.uow() as uow:
            await reviews.record_review(
                uow,
                caller.actor,
                view["private_metadata"],
                summary=modals.submitted(view, "summary"),
                root_cause=modals.submitted(view, "root_cause"),
                actions=modals.submitted(view, "actions").splitlines(),
            )
            await uow.commit()
        await ack()
