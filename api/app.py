"""Builds the /api/v1 router: auth, error mapping and every area's controller."""

from __future__ import annotations

from litestar import Router

from bot.bootstrap import Container


def build_api_router(container: Container) -> Router:
    return Router(path="/api/v1", route_handlers=[])
