"""The demo data command fills an empty database once and is a no-op after that."""

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.roles import Role
from store import email as email_store
from store.demo import DEMO_LOGINS, DEMO_PASSWORD, seed
from store.models import (
    Campaign,
    CampaignLead,
    Contact,
    Order,
    OrderCampaignLink,
    Suppression,
    User,
)


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


async def test_the_run_commands_samples_put_three_scored_leads_in_qa_and_a_domain_set(
    app: FastAPI, sessions: async_sessionmaker[AsyncSession], client: httpx.AsyncClient
) -> None:
    async with sessions() as session, session.begin():
        assert await seed(session, samples=app.state.blobs) is True
    qa = await _login(client, Role.QA_ANALYST)
    listed = (await client.get("/api/v1/leads?qa_status=new", headers=qa)).json()["items"]
    assert len(listed) == 3
    # the qualifying options tell them apart: no budget and a late decision disqualify
    assert sorted(lead["ai_score"] for lead in listed) == [40, 77, 88]
    assert {lead["agent_name"] for lead in listed} == {"Agent2"}
    lead = (await client.get(f"/api/v1/leads/{listed[0]['id']}", headers=qa)).json()
    assert lead["transcript"]["utterances"][0]["text"].startswith("Hi ")
    audio = await client.get(f"/api/v1/recordings/{lead['recording']['id']}/audio", headers=qa)
    assert audio.status_code == 200 and audio.content[:4] == b"RIFF"
    ops = await _login(client, Role.DATA_OPS)
    (domain_set,) = (await client.get("/api/v1/domain-sets", headers=ops)).json()["items"]
    assert domain_set["stats"]["matched"] == 3
    assert domain_set["stats"]["unmatched"] == ["not-a-customer.example"]
    async with sessions() as session:
        hopper = await session.scalars(select(CampaignLead.status).where(CampaignLead.attempts > 0))
        assert list(hopper) == ["closed"] * 3  # the dialer will not call them again


async def _login(client: httpx.AsyncClient, role: Role) -> dict[str, str]:
    email = next(login.email for login in DEMO_LOGINS if login.role is role)
    response = await client.post(
        "/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD}
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
