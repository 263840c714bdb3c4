"""Subscribing other systems to PlatOps events."""

from __future__ import annotations

import secrets
from urllib.parse import urlparse

from domain.access import Actor, Permission, Role
from domain.errors import Conflict, FieldErrors, NotFound
from domain.events import DomainEvent, Subject
from domain.ports import UnitOfWork
from domain.webhooks.models import WebhookDelivery, WebhookSubscription

MANAGE_WEBHOOKS = Permission("webhook.manage", roles=(Role.ADMIN,), scope="admin")


async def subscribe_webhook(
    uow: UnitOfWork,
    actor: Actor,
    url: str,
    event_types: list[str],
    secret: str | None = None,
    description: str = "",
) -> WebhookSubscription:
    actor.require(MANAGE_WEBHOOKS)
    errors = FieldErrors()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        errors.add("url", "errors.webhook.url")
    if not event_types or any(not t.strip() for t in event_types):
        errors.add("event_types", "errors.webhook.event_types")
    if secret is not None and len(secret) < 16:
        errors.add("secret", "errors.webhook.secret")
    errors.raise_if_any()
    subscription = await uow.webhooks.add(
        WebhookSubscription(
            id=None,
            url=url,
            event_types=tuple(t.strip() for t in event_types),
            secret=secret or secrets.token_urlsafe(32),
            created_by=actor.id_for_audit,
            created_at=uow.now(),
            description=description,
        )
    )
    assert subscription.id is not None
    uow.record(
        actor,
        DomainEvent(
            "webhook.subscribed",
            Subject("webhook", subscription.id),
            {"url": url, "event_types": list(subscription.event_types)},
            webhook=False,
        ),
    )
    return subscription


async def unsubscribe_webhook(
    uow: UnitOfWork, actor: Actor, subscription_id: int
) -> WebhookSubscription:
    actor.require(MANAGE_WEBHOOKS)
    subscription = await uow.webhooks.get(subscription_id)
    if subscription is None:
        raise NotFound("errors.webhook.not_found", id=subscription_id)
    if not subscription.active:
        raise Conflict("errors.webhook.inactive", id=subscription_id)
    subscription.active = False
    await uow.webhooks.save(subscription)
    uow.record(
        actor,
        DomainEvent(
            "webhook.unsubscribed",
            Subject("webhook", subscription_id),
            {"url": subscription.url},
            webhook=False,
        ),
    )
    return subscription


async def list_webhooks(uow: UnitOfWork, actor: Actor) -> list[WebhookSubscription]:
    """Every subscription, inactive ones too (their delivery logs stay readable)."""
    actor.require(MANAGE_WEBHOOKS)
    return await uow.webhooks.list(include_inactive=True)


async def get_webhook(uow: UnitOfWork, actor: Actor, subscription_id: int) -> WebhookSubscription:
    actor.require(MANAGE_WEBHOOKS)
    subscription = await uow.webhooks.get(subscription_id)
    if subscription is None:
        raise NotFound("errors.webhook.not_found", id=subscription_id)
    return subscription


async def send_test_webhook(
    uow: UnitOfWork, actor: Actor, subscription_id: int
) -> WebhookSubscription:
    """Queue a `webhook.test` ping to this one subscription, whatever event types it wants."""
    subscription = await get_webhook(uow, actor, subscription_id)
    if not subscription.active:
        raise Conflict("errors.webhook.inactive", id=subscription_id)
    uow.record(
        actor,
        DomainEvent(
            "webhook.test",
            Subject("webhook", subscription_id),
            {"url": subscription.url},
            webhook_to=subscription_id,
        ),
    )
    return subscription


async def list_deliveries(
    uow: UnitOfWork, actor: Actor, subscription_id: int, before_id: int | None, limit: int
) -> list[WebhookDelivery]:
    """The delivery log, newest first: what was sent, what failed and why, what is parked."""
    await get_webhook(uow, actor, subscription_id)
    return list(await uow.webhooks.deliveries(subscription_id, before_id, limit))
