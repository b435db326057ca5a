"""Outgoing webhooks: subscriptions, the deliveries queued in the triggering transaction,
their atomic claiming by the sender workers, and every attempt's record."""

import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from engine import hooks
from engine.errors import NotFound
from store.models import WebhookAttempt, WebhookDelivery, WebhookSubscription, utcnow


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def subscriptions_query(*, client_id: int | None) -> Select[Any]:
    query = select(WebhookSubscription)
    return query.where(WebhookSubscription.client_id == client_id) if client_id else query


async def get_subscription_or_raise(
    session: AsyncSession, *, subscription_id: int
) -> WebhookSubscription:
    found = await session.get(WebhookSubscription, subscription_id)
    if found is None:
        raise NotFound("Webhook subscription")
    return found


def deliveries_query(*, subscription_id: int, status: str | None) -> Select[Any]:
    query = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
    return query.where(WebhookDelivery.status == status) if status else query


async def attempts(session: AsyncSession, *, delivery_ids: list[int]) -> list[WebhookAttempt]:
    query = (
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id.in_(delivery_ids))
        .order_by(WebhookAttempt.delivery_id, WebhookAttempt.number)
    )
    return list(await session.scalars(query))


# --- queueing: in the caller's transaction, so a rolled-back change sends nothing ----------


def _queue(
    session: AsyncSession, subscription: WebhookSubscription, event: str, data: Mapping[str, Any]
) -> None:
    payload = {
        "id": str(uuid.uuid4()),
        "event": event,
        "created_at": utcnow().isoformat(),
        "data": dict(data),
    }
    session.add(WebhookDelivery(subscription_id=subscription.id, event=event, payload=payload))


async def enqueue(
    session: AsyncSession, *, event: hooks.HookEvent, data: Mapping[str, Any], client_id: int | None
) -> int:
    """A delivery per active subscription to `event` (global ones, and the client's own)."""
    query = select(WebhookSubscription).where(WebhookSubscription.active.is_(True))
    count = 0
    for subscription in await session.scalars(query):
        scoped = subscription.client_id is None or subscription.client_id == client_id
        if scoped and event.value in subscription.events:
            _queue(session, subscription, event.value, data)
            count += 1
    return count


async def enqueue_to(
    session: AsyncSession, *, subscription_id: int, data: Mapping[str, Any]
) -> bool:
    """An automation rule's webhook action: to the one subscription it names, if active."""
    subscription = await session.get(WebhookSubscription, subscription_id)
    if subscription is None or not subscription.active:
        return False
    _queue(session, subscription, hooks.HookEvent.AUTOMATION.value, data)
    return True


# --- sending: claimed row by row with a conditional UPDATE ---------------------------------


@dataclass(frozen=True)
class Claimed:
    delivery_id: int
    attempt: int
    url: str
    secret: str
    payload: dict[str, Any]
    subscription_id: int


async def claim_due(
    session: AsyncSession, *, now: datetime, lease: timedelta, limit: int
) -> list[Claimed]:
    """Due deliveries this worker now owns; commits. A row is claimed only by the UPDATE that
    still finds it due, so two workers never send one twice. Claiming pushes `due_at` to
    the lease's end: a worker that dies mid-send leaves the row to be claimed again."""
    waiting = WebhookDelivery.status.in_([hooks.PENDING, hooks.SENDING])
    due = (waiting, WebhookDelivery.due_at <= now)
    query = select(WebhookDelivery.id).where(*due).order_by(WebhookDelivery.due_at).limit(limit)
    claimed = []
    for delivery_id in list(await session.scalars(query)):
        result: Any = await session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id, *due)
            .values(
                status=hooks.SENDING,
                due_at=now + lease,
                attempts=WebhookDelivery.attempts + 1,
            )
        )
        if result.rowcount == 1:
            claimed.append(delivery_id)
    await session.commit()
    return [await _claimed(session, delivery_id) for delivery_id in claimed]


async def _claimed(session: AsyncSession, delivery_id: int) -> Claimed:
    delivery = await session.get_one(WebhookDelivery, delivery_id)
    subscription = await session.get_one(WebhookSubscription, delivery.subscription_id)
    return Claimed(
        delivery.id,
        delivery.attempts,
        subscription.url,
        subscription.secret,
        delivery.payload,
        subscription.id,
    )


async def record_attempt(
    session: AsyncSession,
    *,
    claimed: Claimed,
    status_code: int | None,
    error: str | None,
    duration_ms: int,
    max_attempts: int,
    backoff_base: float,
) -> str:
    """Stores the try and schedules what follows; commits. The delivery's new status."""
    now = utcnow()
    status, delay = hooks.after_attempt(
        claimed.attempt, status_code, max_attempts=max_attempts, base=backoff_base
    )
    session.add(
        WebhookAttempt(
            delivery_id=claimed.delivery_id,
            number=claimed.attempt,
            status_code=status_code,
            error=error[:500] if error else None,
            duration_ms=duration_ms,
        )
    )
    values: dict[str, Any] = {"status": status, "last_error": error[:500] if error else None}
    if delay is not None:
        values["due_at"] = now + timedelta(seconds=delay)
    if status == hooks.DELIVERED:
        values["delivered_at"] = now
    await session.execute(
        update(WebhookDelivery).where(WebhookDelivery.id == claimed.delivery_id).values(**values)
    )
    await session.commit()
    return status
