"""The demo data command fills an empty database once and is a no-op after that."""

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.roles import Role
from store import email as email_store
from store.demo import DEMO_LOGINS, DEMO_PASSWORD, seed
from store.models import Campaign, Contact, Order, OrderCampaignLink, Suppression, User


async def _count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_demo_seed_is_idempotent_and_complete(
    sessions: async_sessionmaker[AsyncSession], client: httpx.AsyncClient
) -> None:
    async with sessions() as session, session.begin():
        assert await seed(session) is True
    async with sessions() as session, session.begin():
        assert await seed(session) is False
    async with sessions() as session:
        roles = set(await session.scalars(select(User.role)))
        assert roles == {r.value for r in Role}
        assert await _count(session, Contact) == 100
        assert await _count(session, Suppression) == 3
        kinds = set(await session.scalars(select(Campaign.kind)))
        assert kinds == {"call", "email"}
        assert await _count(session, Order) >= 1
        assert await _count(session, OrderCampaignLink) == 0
        email_campaign = await session.scalar(select(Campaign.id).where(Campaign.kind == "email"))
        assert email_campaign is not None
        ready = await email_store.load_campaign(session, email_campaign)
        assert email_store.readiness(ready) == []  # the demo email campaign can start as is
    for login in DEMO_LOGINS:
        response = await client.post(
            "/api/v1/auth/login", json={"email": login.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200, (login, response.text)
