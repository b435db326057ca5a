"""Client orders (bridge model): a client sees only its own; staff see all."""

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from engine.errors import Conflict, FieldError, NotFound, ValidationFailed
from engine.qa import DELIVERABLE
from store.models import (
    Account,
    Campaign,
    Contact,
    Lead,
    Order,
    OrderCampaignLink,
    QualificationQuestion,
)


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


# --- the bridge: campaigns linked to an order by operations staff -------------------------


async def links(
    session: AsyncSession, *, order_id: int
) -> list[tuple[OrderCampaignLink, Campaign]]:
    query = (
        select(OrderCampaignLink, Campaign)
        .join(Campaign, Campaign.id == OrderCampaignLink.campaign_id)
        .where(OrderCampaignLink.order_id == order_id)
        .order_by(OrderCampaignLink.id)
    )
    return [(link, campaign) for link, campaign in (await session.execute(query)).all()]


async def link(
    session: AsyncSession, *, order: Order, campaign_id: int, linked_by_id: int | None
) -> tuple[OrderCampaignLink, bool]:
    """Links an existing campaign (never creates one); the link and whether it is new."""
    if order.status == "draft":
        raise Conflict("A draft order cannot be linked: the client has not submitted it.")
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None:
        raise ValidationFailed([FieldError("campaign_id", "No such campaign.")])
    if campaign.client_id is not None and campaign.client_id != order.client_id:
        raise ValidationFailed(
            [FieldError("campaign_id", "The campaign belongs to another client.")]
        )
    existing = await _link(session, order.id, campaign_id)
    if existing is not None:
        return existing, False
    new = OrderCampaignLink(order_id=order.id, campaign_id=campaign_id, linked_by_id=linked_by_id)
    try:
        async with session.begin_nested():
            session.add(new)
            await session.flush()
    except IntegrityError:
        # Linked by someone else a moment ago: the same outcome.
        return await _link_or_raise(session, order.id, campaign_id), False
    return new, True


async def unlink(session: AsyncSession, *, order_id: int, campaign_id: int) -> None:
    await session.delete(await _link_or_raise(session, order_id, campaign_id))


async def _link(session: AsyncSession, order_id: int, campaign_id: int) -> OrderCampaignLink | None:
    return await session.scalar(
        select(OrderCampaignLink).where(
            OrderCampaignLink.order_id == order_id, OrderCampaignLink.campaign_id == campaign_id
        )
    )


async def _link_or_raise(
    session: AsyncSession, order_id: int, campaign_id: int
) -> OrderCampaignLink:
    found = await _link(session, order_id, campaign_id)
    if found is None:
        raise NotFound("Campaign link")
    return found


# --- what a client sees of its order: linked campaigns only -----------------------------


async def answer_keys(session: AsyncSession, *, order_id: int) -> list[str]:
    """The qualification question keys of the linked campaigns, in form order."""
    query = (
        select(QualificationQuestion.key)
        .join(
            OrderCampaignLink,
            OrderCampaignLink.campaign_id == QualificationQuestion.campaign_id,
        )
        .where(OrderCampaignLink.order_id == order_id)
        .order_by(QualificationQuestion.campaign_id, QualificationQuestion.position)
    )
    return list(dict.fromkeys(await session.scalars(query)))


def deliverable_leads_query(*, order_id: int) -> Select[Lead, Contact, str, str | None]:
    """Approved (and published) leads of the linked campaigns, with their contact and account."""
    return (
        select(Lead, Contact, Account.name, Account.domain)
        .join(OrderCampaignLink, OrderCampaignLink.campaign_id == Lead.campaign_id)
        .join(Contact, Contact.id == Lead.contact_id)
        .outerjoin(Account, Account.id == Contact.account_id)
        .where(
            OrderCampaignLink.order_id == order_id,
            Lead.qa_status.in_([status.value for status in DELIVERABLE]),
        )
        .order_by(Lead.id)
    )
