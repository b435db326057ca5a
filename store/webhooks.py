"""Webhooks received from providers: each event stored once, with what became of it."""

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import dialect_insert
from store.models import WebhookEvent, utcnow

RECEIVED, DELIVERED, IGNORED = "received", "delivered", "ignored"


async def receive(
    session: AsyncSession, *, provider: str, event_id: str, event_type: str, payload: Any
) -> WebhookEvent:
    """The stored event, stored now if it is new. Commits. A redelivery gets the first
    copy back, with its status: `received` means it still has to be handled."""
    query = select(WebhookEvent).where(
        WebhookEvent.provider == provider, WebhookEvent.event_id == event_id
    )
    known = await session.scalar(query)
    if known is not None:
        return known
    event = WebhookEvent(
        provider=provider,
        event_id=event_id,
        event_type=event_type,
        payload=payload if isinstance(payload, dict) else {"body": payload},
    )
    session.add(event)
    try:
        await session.commit()
    except IntegrityError:  # the same event, delivered twice at once: the other copy won
        await session.rollback()
        return (await session.execute(query)).scalar_one()
    return event


async def mark(session: AsyncSession, *, event_pk: int, status: str) -> None:
    """Records what became of the event. Commits."""
    await session.execute(
        update(WebhookEvent)
        .where(WebhookEvent.id == event_pk)
        .values(status=status, handled_at=utcnow())
    )
    await session.commit()


async def claim(
    session: AsyncSession,
    *,
    provider: str,
    event_id: str,
    event_type: str,
    payload: Any,
    status: str = DELIVERED,
) -> bool:
    """Stores the event in the caller's transaction, already handled (`status`); False if
    it was stored before (nothing to do). For events handled in that same transaction:
    a rollback forgets both the event and what it did."""
    statement = dialect_insert(session, WebhookEvent).on_conflict_do_nothing(
        index_elements=["provider", "event_id"]
    )
    result = await session.execute(
        statement.values(
            provider=provider,
            event_id=event_id,
            event_type=event_type,
            status=status,
            payload=payload if isinstance(payload, dict) else {"body": payload},
            received_at=utcnow(),
            handled_at=utcnow(),
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
