"""OpenAPI document served at /api/docs."""

from __future__ import annotations

from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="PlatOps admin API",
        version="1.0.0",
        description="Integrations for monitoring systems, the platforms, SIEM and BI.",
        path="/api/docs",
        render_plugins=[SwaggerRenderPlugin(path="/")],
        components=Components(
            security_schemes={
                "apiKey": SecurityScheme(
                    type="http",
                    scheme="bearer",
                    description="`Authorization: Bearer pok_xxxxxxxx.secret`",
                ),
            }
        ),
        security=[{"apiKey": []}],
    )
