"""Client orders: the client portal's own orders, and the operations view of all orders."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import Field

from api.deps import PageDep, Principal, SessionDep, require
from api.schemas import Page, ReadModel, Strict
from engine.errors import FieldError, IllegalTransition, ValidationFailed
from store import audit, orders
from store.models import Order
from store.pagination import paginate

router = APIRouter(tags=["orders"])

ClientUser = Annotated[Principal, Depends(require("client_orders", "read"))]
ClientWriter = Annotated[Principal, Depends(require("client_orders", "write"))]
Staff = Annotated[Principal, Depends(require("orders", "read"))]


class OrderCreate(Strict):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    kind: Literal["email", "telemarketing", "combo"]
    audience: dict[str, Any] = {}
    lead_goal: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    pacing: dict[str, Any] = {}
    notes: Annotated[str, Field(max_length=5000)] | None = None


class OrderUpdate(Strict):
    title: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    kind: Literal["email", "telemarketing", "combo"] | None = None
    audience: dict[str, Any] | None = None
    lead_goal: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    pacing: dict[str, Any] | None = None
    notes: Annotated[str, Field(max_length=5000)] | None = None
    compliance_confirmed: bool | None = None


class OrderRead(ReadModel):
    id: int
    client_id: int
    title: str
    kind: str
    status: str
    audience: dict[str, Any]
    lead_goal: int | None
    pacing: dict[str, Any]
    compliance_confirmed: bool
    notes: str | None
    submitted_at: datetime | None
    created_at: datetime


StatusFilter = Annotated[str | None, Query(max_length=20)]


async def _page(
    session: SessionDep, page: PageDep, client_id: int | None, status: str | None
) -> Page[OrderRead]:
    query = orders.orders_query(client_id=client_id, status=status)
    result = await paginate(session, query, Order.id, limit=page.limit, cursor=page.cursor)
    return Page[OrderRead](
        items=[OrderRead.model_validate(o) for o in result.items], next_cursor=result.next_cursor
    )


@router.get("/client/orders")
async def list_my_orders(
    principal: ClientUser, session: SessionDep, page: PageDep, status: StatusFilter = None
) -> Page[OrderRead]:
    return await _page(session, page, principal.own_client, status)


@router.post("/client/orders", status_code=201)
async def create_order(
    body: OrderCreate, principal: ClientWriter, session: SessionDep
) -> OrderRead:
    if principal.client_id is None:
        raise ValidationFailed([FieldError("client_id", "Your login belongs to no client.")])
    order = Order(
        client_id=principal.client_id, created_by_id=principal.user_id, **body.model_dump()
    )
    session.add(order)
    await session.flush()
    audit.record(
        session,
        action="order.create",
        target_type="order",
        target_id=order.id,
        by=principal.audit(),
    )
    await session.commit()
    return OrderRead.model_validate(order)


@router.get("/client/orders/{order_id}")
async def get_my_order(order_id: int, principal: ClientUser, session: SessionDep) -> OrderRead:
    order = await orders.get_or_raise(session, order_id=order_id, client_id=principal.own_client)
    return OrderRead.model_validate(order)


@router.patch("/client/orders/{order_id}")
async def update_my_order(
    order_id: int, body: OrderUpdate, principal: ClientWriter, session: SessionDep
) -> OrderRead:
    order = await orders.get_or_raise(session, order_id=order_id, client_id=principal.own_client)
    if order.status != "draft":
        raise IllegalTransition("A submitted order", order.status, "edited")
    for key, value in body.model_dump(exclude_unset=True).items():
        setattr(order, key, value)
    await session.commit()
    return OrderRead.model_validate(order)


@router.post("/client/orders/{order_id}/submit")
async def submit_my_order(order_id: int, principal: ClientWriter, session: SessionDep) -> OrderRead:
    order = await orders.get_or_raise(session, order_id=order_id, client_id=principal.own_client)
    if order.status != "draft":
        raise IllegalTransition("Order", order.status, "submitted")
    if not order.compliance_confirmed:
        raise ValidationFailed(
            [FieldError("compliance_confirmed", "Confirm the compliance terms before submitting.")]
        )
    order.status, order.submitted_at = "submitted", datetime.now(UTC)
    audit.record(
        session,
        action="order.submit",
        target_type="order",
        target_id=order.id,
        by=principal.audit(),
    )
    await session.commit()
    return OrderRead.model_validate(order)


@router.get("/orders")
async def list_orders(
    _: Staff, session: SessionDep, page: PageDep, status: StatusFilter = None
) -> Page[OrderRead]:
    return await _page(session, page, None, status)


@router.get("/orders/{order_id}")
async def get_order(order_id: int, _: Staff, session: SessionDep) -> OrderRead:
    return OrderRead.model_validate(
        await orders.get_or_raise(session, order_id=order_id, client_id=None)
    )
