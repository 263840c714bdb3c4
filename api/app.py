"""Builds the /api/v1 router: auth, limits, idempotency, error mapping and every controller.

Request path through the router's middleware, outermost first: `ApiKeyAuth` (401) → `RateLimit`
(429) → `Idempotency` (POST replays) → the handler with its scope guard (403). Handlers get the
`container`, the calling `principal` and (for lists) `page` as dependencies.
"""

from __future__ import annotations

from litestar import Router

from api.auth import ApiKeyAuth
from api.dependencies import router_dependencies
from api.errors import API_PREFIX, exception_handlers
from api.events import EventsController
from api.idempotency import Idempotency
from api.incident_integrations import IncidentIntegrationsController
from api.incidents import IncidentsController
from api.inspections import InspectionsController
from api.keys import KeysController, MeController
from api.moderation import ModerationController, PlatformUsersController
from api.moderation_queue import ModerationQueueController
from api.ratelimit import RateLimit, TokenBuckets
from api.reports import ReportsController
from api.requirements import RequirementsController
from api.webhooks import WebhooksController
from bot.bootstrap import Container


def build_api_router(container: Container) -> Router:
    return Router(
        path=API_PREFIX,
        route_handlers=[
            MeController,
            KeysController,
            EventsController,
            WebhooksController,
            # Product areas: one controller module each (api/<area>.py).
            IncidentsController,
            IncidentIntegrationsController,
            PlatformUsersController,
            ModerationController,
            ModerationQueueController,
            InspectionsController,
            ReportsController,
            RequirementsController,
        ],
        middleware=[
            ApiKeyAuth(container),
            RateLimit(TokenBuckets(container.clock)),
            Idempotency(container),
        ],
        dependencies=router_dependencies(container),
        exception_handlers=exception_handlers(),
    )
