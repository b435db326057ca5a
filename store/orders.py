"""Client orders (bridge model): a client sees only its own; staff see all."""

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from engine.errors import NotFound
from store.models import Order


def orders_query(*, client_id: int | None, status: str | None) -> Select[Any]:
    query = select(Order)
    if client_id is not None:
        query = query.where(Order.client_id == client_id)
    if status:
        query = query.where(Order.status == status)
    return query


async def get_or_raise(session: AsyncSession, *, order_id: int, client_id: int | None) -> Order:
    """`client_id` scopes the lookup: another client's order is simply not found (no leak)."""
    order = await session.get(Order, order_id)
    if order is None or (client_id is not None and order.client_id != client_id):
        raise NotFound("Order")
    return order
