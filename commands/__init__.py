"""The Slack surface. `register_listeners` wires every area's commands, actions and views."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.bootstrap import Container


def register_listeners(app: AsyncApp, container: Container) -> None:
    from commands import admin, deadlines, errors, home

    errors.register_error_handler(app, container)
    home.register(app, container)
    admin.register(app, container)
    deadlines.register(app, container)
    # Product areas: one `register(app, container)` per package.
    from commands import incidents

    incidents.register(app, container)
    from commands import requirements

    requirements.register(app, container)
    from commands import inspections

    inspections.register(app, container)
    from commands import reports

    reports.register(app, container)
    from commands import moderation

    moderation.register(app, container)
