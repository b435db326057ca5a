"""Outgoing webhook subscriptions and their delivery log (admin and campaign managers)."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import AnyHttpUrl, Field

from api.deps import PageDep, Principal, SessionDep, SettingsDep, require
from api.hook_sender import check_target
from api.schemas import Page, ReadModel, RowId, Strict
from engine.errors import FieldError, ValidationFailed
from engine.hooks import HookEvent
from store import audit, hooks
from store.models import Client, WebhookDelivery, WebhookSubscription
from store.pagination import paginate

router = APIRouter(tags=["webhooks"])

Reader = Annotated[Principal, Depends(require("webhooks", "read"))]
Writer = Annotated[Principal, Depends(require("webhooks", "write"))]
Events = Annotated[list[HookEvent], Field(min_length=1, max_length=10)]


class SubscriptionCreate(Strict):
    url: AnyHttpUrl
    events: Events
    client_id: RowId | None = None  # only this client's orders and leads; unset: all


class SubscriptionUpdate(Strict):
    url: AnyHttpUrl | None = None
    events: Events | None = None
    active: bool | None = None


class SubscriptionRead(ReadModel):
    id: int
    url: str
    events: list[str]
    client_id: int | None
    active: bool
    created_at: datetime


class SubscriptionCreated(SubscriptionRead):
    secret: str  # shown this once: receivers verify `Pivotal-Signature` with it


@router.get("/webhook-subscriptions")
async def list_subscriptions(
    _: Reader, session: SessionDep, page: PageDep, client_id: RowId | None = None
) -> Page[SubscriptionRead]:
    query = hooks.subscriptions_query(client_id=client_id)
    result = await paginate(
        session, query, WebhookSubscription.id, limit=page.limit, cursor=page.cursor
    )
    return Page[SubscriptionRead](
        items=[SubscriptionRead.model_validate(s) for s in result.items],
        next_cursor=result.next_cursor,
    )


@router.post("/webhook-subscriptions", status_code=201)
async def create_subscription(
    body: SubscriptionCreate, principal: Writer, session: SessionDep, settings: SettingsDep
) -> SubscriptionCreated:
    await check_target(str(body.url), allow_private=settings.webhook_allow_private)
    if body.client_id is not None and await session.get(Client, body.client_id) is None:
        raise ValidationFailed([FieldError("client_id", "No such client.")])
    subscription = WebhookSubscription(
        url=str(body.url),
        events=[e.value for e in dict.fromkeys(body.events)],
        client_id=body.client_id,
        secret=hooks.new_secret(),
    )
    session.add(subscription)
    await session.flush()
    audit.record(
        session,
        action="webhook.subscribe",
        target_type="webhook_subscription",
        target_id=subscription.id,
        data={"url": subscription.url, "events": subscription.events},
        by=principal.audit(),
    )
    await session.commit()
    read = SubscriptionRead.model_validate(subscription)
    return SubscriptionCreated(**read.model_dump(), secret=subscription.secret)


@router.get("/webhook-subscriptions/{subscription_id}")
async def get_subscription(
    subscription_id: RowId, _: Reader, session: SessionDep
) -> SubscriptionRead:
    return SubscriptionRead.model_validate(
        await hooks.get_subscription_or_raise(session, subscription_id=subscription_id)
    )


@router.patch("/webhook-subscriptions/{subscription_id}")
async def update_subscription(
    subscription_id: RowId,
    body: SubscriptionUpdate,
    principal: Writer,
    session: SessionDep,
    settings: SettingsDep,
) -> SubscriptionRead:
    if body.url is not None:
        await check_target(str(body.url), allow_private=settings.webhook_allow_private)
    subscription = await hooks.get_subscription_or_raise(session, subscription_id=subscription_id)
    values = body.model_dump(exclude_unset=True, mode="json")
    for key, value in values.items():
        if value is not None:
            setattr(subscription, key, value)
    audit.record(
        session,
        action="webhook.update",
        target_type="webhook_subscription",
        target_id=subscription.id,
        data=values,
        by=principal.audit(),
    )
    await session.commit()
    return SubscriptionRead.model_validate(subscription)


class AttemptRead(ReadModel):
    number: int
    status_code: int | None
    error: str | None
    duration_ms: int
    created_at: datetime


class DeliveryRead(ReadModel):
    id: int
    event: str
    status: str
    attempts: int
    last_error: str | None
    due_at: datetime
    delivered_at: datetime | None
    created_at: datetime
    payload: dict[str, Any]
    tries: list[AttemptRead] = []


@router.get("/webhook-subscriptions/{subscription_id}/deliveries")
async def list_deliveries(
    subscription_id: RowId,
    _: Reader,
    session: SessionDep,
    page: PageDep,
    status: Annotated[str | None, Query(max_length=20)] = None,
) -> Page[DeliveryRead]:
    """The delivery log: each delivery with every attempt (status code, error, duration)."""
    await hooks.get_subscription_or_raise(session, subscription_id=subscription_id)
    query = hooks.deliveries_query(subscription_id=subscription_id, status=status)
    result = await paginate(
        session, query, WebhookDelivery.id, limit=page.limit, cursor=page.cursor
    )
    tries = await hooks.attempts(session, delivery_ids=[d.id for d in result.items])
    reads = []
    for delivery in result.items:
        read = DeliveryRead.model_validate(delivery)
        read.tries = [AttemptRead.model_validate(t) for t in tries if t.delivery_id == delivery.id]
        reads.append(read)
    return Page[DeliveryRead](items=reads, next_cursor=result.next_cursor)
