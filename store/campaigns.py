"""Campaigns: the rows campaign actors load and the API edits."""

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from engine.errors import NotFound
from store.models import Campaign


def campaigns_query(
    *, kind: str | None, status: str | None, name: str | None = None, client_id: int | None = None
) -> Select[Any]:
    """Campaigns, optionally of one kind, status or client, or whose name contains `name`."""
    query = select(Campaign)
    if name:
        query = query.where(Campaign.name.ilike(f"%{name.lower()}%"))
    if client_id:
        query = query.where(Campaign.client_id == client_id)
    if kind:
        query = query.where(Campaign.kind == kind)
    if status:
        query = query.where(Campaign.status == status)
    return query


async def get_or_raise(session: AsyncSession, *, campaign_id: int) -> Campaign:
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound("Campaign")
    return campaign
