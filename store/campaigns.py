"""Campaigns: the rows campaign actors load and the API edits."""

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from engine.errors import NotFound
from store.models import Campaign


def campaigns_query(*, kind: str | None, status: str | None) -> Select[Any]:
    query = select(Campaign)
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
