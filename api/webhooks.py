"""`/api/v1/webhooks` (scope `admin`): subscriptions, their delivery log, and test pings.

Deliveries are POSTs signed `X-PlatOps-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret,
"<t>." + body)>`, sent by the outbox dispatcher with retries and backoff; the secret is shown
only in the answer to the subscription.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, delete, get, post
from litestar.params import JSONBody, PathParameter
from litestar.status_codes import HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT
from pydantic import BaseModel, Field

from api.auth import require_scope
from api.dependencies import AppContainer, PageParams, Principal
from api.pagination import Page, page_of
from api.schemas import problems
from domain.webhooks import services as webhooks
from domain.webhooks.models import WebhookDelivery, WebhookSubscription


class WebhookIn(BaseModel):
    url: str = Field(max_length=2000, examples=["https://siem.example.com/platops"])
    event_types: list[str] = Field(
        max_length=50, examples=[["incident.*", "moderation.ban.*"]], description="Types or `*`."
    )
    secret: str | None = Field(
        default=None,
        max_length=200,
        description="At least 16 characters; generated when omitted. Returned once.",
    )
    description: str = Field(default="", max_length=400)


class WebhookOut(BaseModel):
    id: int
    url: str
    event_types: list[str]
    description: str
    active: bool
    created_at: datetime
    created_by: str


class WebhookCreated(WebhookOut):
    secret: str = Field(description="Signs every delivery. Shown only now: store it.")


class DeliveryOut(BaseModel):
    id: int
    subscription_id: int
    event_id: int | None
    event_type: str
    state: str = Field(description="pending, sending, done or parked (gave up)")
    attempts: int
    response_status: int | None
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None


class TestQueued(BaseModel):
    subscription_id: int
    event_type: str = "webhook.test"
    queued: bool = True


def webhook_out(subscription: WebhookSubscription) -> WebhookOut:
    assert subscription.id is not None
    return WebhookOut(
        id=subscription.id,
        url=subscription.url,
        event_types=list(subscription.event_types),
        description=subscription.description,
        active=subscription.active,
        created_at=subscription.created_at,
        created_by=subscription.created_by,
    )


def delivery_out(delivery: WebhookDelivery) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.id,
        subscription_id=delivery.subscription_id,
        event_id=delivery.event_id,
        event_type=delivery.event_type,
        state=delivery.state,
        attempts=delivery.attempts,
        response_status=delivery.response_status,
        last_error=delivery.last_error,
        created_at=delivery.created_at,
        next_attempt_at=delivery.next_attempt_at,
        sent_at=delivery.sent_at,
    )


SubscriptionId = Annotated[int, PathParameter(ge=1, description="Subscription id")]


class WebhooksController(Controller):
    path = "/webhooks"
    tags = ["webhooks"]  # noqa: RUF012  # Litestar reads it as a class attribute
    guards = [require_scope("admin")]  # noqa: RUF012

    @post("/", responses=problems(403, 409, 413, 422), summary="Subscribe a URL to events")
    async def subscribe(
        self, container: AppContainer, principal: Principal, data: JSONBody[WebhookIn]
    ) -> WebhookCreated:
        async with container.uow() as uow:
            subscription = await webhooks.subscribe_webhook(
                uow, principal.actor, data.url, data.event_types, data.secret, data.description
            )
            await uow.commit()
        return WebhookCreated(**webhook_out(subscription).model_dump(), secret=subscription.secret)

    @get("/", responses=problems(403, 422), summary="List subscriptions (inactive ones too)")
    async def list_subscriptions(
        self, container: AppContainer, principal: Principal, page: PageParams
    ) -> Page[WebhookOut]:
        after = page.after_id()
        async with container.reader() as uow:
            subscriptions = await webhooks.list_webhooks(uow, principal.actor)
        # Subscriptions are few: paginate the ordered list rather than the table.
        rows = [s for s in subscriptions if after is None or (s.id or 0) > after]
        return page_of(rows[: page.limit + 1], page.limit, lambda s: s.id or 0, webhook_out)

    @get("/{subscription_id:int}", responses=problems(403, 404), summary="One subscription")
    async def get_subscription(
        self, container: AppContainer, principal: Principal, subscription_id: SubscriptionId
    ) -> WebhookOut:
        async with container.reader() as uow:
            subscription = await webhooks.get_webhook(uow, principal.actor, subscription_id)
        return webhook_out(subscription)

    @delete(
        "/{subscription_id:int}",
        status_code=HTTP_204_NO_CONTENT,
        responses=problems(403, 404, 409),
        summary="Unsubscribe (pending deliveries are dropped)",
    )
    async def unsubscribe(
        self, container: AppContainer, principal: Principal, subscription_id: SubscriptionId
    ) -> None:
        async with container.uow() as uow:
            await webhooks.unsubscribe_webhook(uow, principal.actor, subscription_id)
            await uow.commit()

    @get(
        "/{subscription_id:int}/deliveries",
        responses=problems(403, 404, 422),
        summary="The delivery log, newest first",
    )
    async def deliveries(
        self,
        container: AppContainer,
        principal: Principal,
        subscription_id: SubscriptionId,
        page: PageParams,
    ) -> Page[DeliveryOut]:
        before = page.after_id()  # newest first: the cursor holds the last id shown
        async with container.reader() as uow:
            rows = await webhooks.list_deliveries(
                uow, principal.actor, subscription_id, before, page.limit + 1
            )
        return page.of(rows, lambda d: d.id, delivery_out)

    @post(
        "/{subscription_id:int}/test",
        status_code=HTTP_202_ACCEPTED,
        responses=problems(403, 404, 409),
        summary="Queue a signed `webhook.test` ping to this subscription",
    )
    async def send_test(
        self, container: AppContainer, principal: Principal, subscription_id: SubscriptionId
    ) -> TestQueued:
        async with container.uow() as uow:
            await webhooks.send_test_webhook(uow, principal.actor, subscription_id)
            await uow.commit()
        return TestQueued(subscription_id=subscription_id)
