"""Rendering notices (domain-level "tell X about Y") into Slack messages at delivery time.

Each area contributes renderers: `template name → async render(ctx) -> Rendered…`. Rendering at
delivery time from current state means a card updated twice in a row shows the latest state once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.bootstrap import Container
from bot.i18n import Translator
from domain.events import Subject


@dataclass(frozen=True)
class RenderedMessage:
    text: str  # the notification / accessibility fallback
    blocks: list[dict[str, Any]] = field(default_factory=list)
    # Uploaded to the same channel after the message (e.g. a report's chart image).
    file: AttachedFile | None = None


@dataclass(frozen=True)
class AttachedFile:
    filename: str
    content: bytes
    title: str
    alt_text: str = ""


@dataclass(frozen=True)
class RenderedHome:
    view: dict[str, Any]


@dataclass(frozen=True)
class Skip:
    """Nothing to send any more (the subject is gone or the notice no longer applies)."""

    reason: str


Rendered = RenderedMessage | RenderedHome | Skip


@dataclass
class RenderContext:
    container: Container
    uow: Any  # a read-only unit of work
    t: Translator
    template: str
    subject: Subject | None
    params: Mapping[str, Any]
    recipient_user_id: str | None
    recipient_channel_id: str | None
    timezone: str = "UTC"


Renderer = Callable[[RenderContext], Awaitable[Rendered]]


def notice_renderers() -> dict[str, Renderer]:
    from commands import home

    renderers: dict[str, Renderer] = {"home": home.render_home, "text": render_text}
    for module in _area_modules():
        renderers.update(getattr(module, "RENDERERS", {}))
    return renderers


def _area_modules() -> list[Any]:
    # Each area's commands package exposes RENDERERS in commands/<area>/notices.py.
    from commands.incidents import notices as incidents
    from commands.inspections import notices as inspections
    from commands.moderation import notices as moderation
    from commands.reports import notices as reports
    from commands.requirements import notices as requirements

    return [requirements, inspections, moderation, incidents, reports]


async def render_text(ctx: RenderContext) -> Rendered:
    """A plain translated line: params `key` (i18n key) and its parameters."""
    params = dict(ctx.params)
    key = str(params.pop("key"))
    text = ctx.t(key, **params)
    return RenderedMessage(text, [{"type": "section", "text": {"type": "mrkdwn", "text": text}}])
