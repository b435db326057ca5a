"""What follows a change, in the change's own transaction: webhooks queued and automation
rules applied. Each path that changes a record makes one call here."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from engine import automation
from engine.hooks import HookEvent
from engine.qa import DELIVERABLE
from store import hooks
from store.automation import facts, fire, pending_changes
from store.models import Account, Campaign, Contact, Lead, Order, OrderCampaignLink

UPDATED = {Contact: automation.Trigger.CONTACT_UPDATED, Account: automation.Trigger.ACCOUNT_UPDATED}


async def record_updated(session: AsyncSession, record: Contact | Account) -> None:
    """A contact or account edited through the API, before it is flushed."""
    event = automation.Event(
        UPDATED[type(record)], record.id, facts(record), pending_changes(record)
    )
    await fire(session, event, record)


async def qa_decided(session: AsyncSession, lead: Lead, *, before: str) -> None:
    """A lead that becomes deliverable is delivered to every order its campaign is linked to."""
    event = automation.Event(
        automation.Trigger.QA_DECIDED,
        lead.id,
        {**facts(lead), "from_status": before},
        frozenset({"qa_status"}),
    )
    deliverable = {status.value for status in DELIVERABLE}
    if lead.qa_status in deliverable and before not in deliverable:
        await _deliver(session, lead)
    await fire(session, event, lead)


async def _deliver(session: AsyncSession, lead: Lead) -> None:
    query = (
        select(Order)
        .join(OrderCampaignLink, OrderCampaignLink.order_id == Order.id)
        .where(OrderCampaignLink.campaign_id == lead.campaign_id)
    )
    for order in await session.scalars(query):
        data = {
            "order_id": order.id,
            "lead_id": lead.id,
            "campaign_id": lead.campaign_id,
            "contact_id": lead.contact_id,
            "qa_status": lead.qa_status,
            "approved_at": lead.approved_at.isoformat() if lead.approved_at else None,
        }
        await hooks.enqueue(
            session, event=HookEvent.LEAD_DELIVERED, data=data, client_id=order.client_id
        )


async def order_status_changed(session: AsyncSession, order: Order, *, before: str) -> None:
    data = {
        "order_id": order.id,
        "client_id": order.client_id,
        "title": order.title,
        "from_status": before,
        "status": order.status,
    }
    if order.status == "submitted":
        await hooks.enqueue(
            session, event=HookEvent.ORDER_SUBMITTED, data=data, client_id=order.client_id
        )
    await hooks.enqueue(
        session, event=HookEvent.ORDER_STATUS_CHANGED, data=data, client_id=order.client_id
    )
    event = automation.Event(
        automation.Trigger.ORDER_STATUS_CHANGED,
        order.id,
        {**facts(order), "from_status": before},
        frozenset({"status"}),
    )
    await fire(session, event, order)


async def campaign_event(session: AsyncSession, campaign: Campaign, *, event: str) -> None:
    """A campaign started, paused, resumed or stopped (`event` is the action)."""
    await session.refresh(campaign)  # the runner (another process) has just changed it
    trigger = automation.Event(
        automation.Trigger.CAMPAIGN_EVENT, campaign.id, {**facts(campaign), "event": event}
    )
    await fire(session, trigger, campaign)
