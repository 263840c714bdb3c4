"""Delivers the outbox after commit: Slack notices and signed webhooks.

At-least-once with order per lane (a channel, a person's DM, a webhook subscription): a lane's
next row waits until the previous one is delivered. Retries back off; Slack's Retry-After is
honoured; errors that cannot heal (channel_not_found, invalid_blocks…) park the row at once,
others park after MAX_ATTEMPTS. Rows survive restarts; rows caught mid-flight by a crash are
retried on start.
"""

from bot.outbox.admin import list_outbox, retry_parked
from bot.outbox.dispatcher import OutboxDispatcher
from bot.outbox.failures import MAX_ATTEMPTS
from bot.outbox.webhooks import sign_webhook

__all__ = ["MAX_ATTEMPTS", "OutboxDispatcher", "list_outbox", "retry_parked", "sign_webhook"]
