"""The admin API under /api/v1."""

from __future__ import annotations

from litestar import Router

from bot.bootstrap import Container


def api_router(container: Container) -> Router:
    from api.app import build_api_router

    return build_api_router(container)
