"""The App Home tab: the person's roles and their queue, one section per area."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.bootstrap import Container
from commands import blocks as bk
from commands.notices import RenderContext, Rendered, RenderedHome
from domain.events import home_refresh
from domain.people.services import describe_grant

# An area's home section: (ctx, actor) → blocks (empty when the person has nothing there).
HomeSection = Callable[[RenderContext, Any], Awaitable[list[dict[str, Any]]]]


def home_sections() -> list[HomeSection]:
    # Each area's commands package exposes HOME_SECTION in commands/<area>/home.py.
    from commands.incidents.home import HOME_SECTION as incidents
    from commands.inspections.home import HOME_SECTION as inspections
    from commands.moderation.home import HOME_SECTION as moderation
    from commands.requirements.home import HOME_SECTION as requirements

    return [requirements, inspections, moderation, incidents]


async def render_home(ctx: RenderContext) -> Rendered:
    user_id = ctx.recipient_user_id
    assert user_id is not None
    t = ctx.t
    actor = await ctx.uow.actor_for(user_id)
    roles = [
        await describe_grant(ctx.uow, grant)
        for grant in sorted(
            actor.grants, key=lambda g: (g.role.value, g.department_id or 0, g.platform_id or 0)
        )
    ]
    blocks: list[dict[str, Any]] = [
        bk.header(t("home.title")),
        bk.section(
            t("home.roles", roles=", ".join(f"`{r}`" for r in roles))
            if roles
            else t("home.no_roles")
        ),
    ]
    for section in home_sections():
        part = await section(ctx, actor)
        if part:
            blocks.append(bk.divider())
            blocks.extend(part)
    blocks.append(bk.divider())
    blocks.append(bk.context(t("home.footer")))
    return RenderedHome({"type": "home", "blocks": blocks[:100]})


def register(app: AsyncApp, container: Container) -> None:
    @app.event("app_home_opened")
    async def home_opened(event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        async with container.uow() as uow:
            uow.notify(home_refresh(event["user"]))
            await uow.commit()
