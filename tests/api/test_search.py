"""The global search: each role finds only the kinds it may read; clients only their orders."""

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.roles import Role
from store.models import Account, Campaign, Contact, Order
from tests.conftest import Actors


@pytest.fixture
async def records(sessions: async_sessionmaker[AsyncSession], actors: Actors) -> dict[str, int]:
    acme, globex = await actors.client_org("Acme"), await actors.client_org("Globex")
    async with sessions() as session, session.begin():
        account = Account(name="Northwind Traders", domain="northwind.com")
        session.add(account)
        await session.flush()
        session.add_all(
            [
                Contact(
                    full_name="Nora North",
                    email="nora@northwind.com",
                    direct_phone_e164="+12125550142",
                    account_id=account.id,
                ),
                Contact(full_name="Sam South", email="sam@south.io"),
                Campaign(kind="call", name="Northwind Q3 outreach"),
                Order(client_id=acme.id, title="North America leads", kind="telemarketing"),
                Order(client_id=globex.id, title="Northern Europe leads", kind="email"),
            ]
        )
    return {"acme": acme.id, "globex": globex.id}


async def kinds(
    client: httpx.AsyncClient, headers: dict[str, str], q: str
) -> list[tuple[str, str]]:
    found = await client.get("/api/v1/search", params={"q": q}, headers=headers)
    assert found.status_code == 200, found.text
    return [(hit["kind"], hit["title"]) for hit in found.json()["hits"]]


async def test_staff_find_contacts_accounts_campaigns_and_orders(
    client: httpx.AsyncClient, actors: Actors, records: dict[str, int]
) -> None:
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    assert sorted(await kinds(client, manager, "NORTH")) == [
        ("account", "Northwind Traders"),
        ("campaign", "Northwind Q3 outreach"),
        ("contact", "Nora North"),
        ("order", "North America leads"),
        ("order", "Northern Europe leads"),
    ]
    assert await kinds(client, manager, "555-0142") == [("contact", "Nora North")]
    agent = await actors.headers_for(Role.AGENT)  # agents read contacts, not orders
    assert ("order", "North America leads") not in await kinds(client, agent, "north")


async def test_a_client_finds_only_its_own_orders(
    client: httpx.AsyncClient, actors: Actors, records: dict[str, int]
) -> None:
    buyer = await actors.headers_for(Role.CLIENT_USER, records["acme"])
    assert await kinds(client, buyer, "north") == [("order", "North America leads")]


@pytest.mark.parametrize("q", ["%", "_", "\\", "%north%"])
async def test_wildcards_are_plain_text(
    client: httpx.AsyncClient, actors: Actors, records: dict[str, int], q: str
) -> None:
    admin = await actors.headers_for(Role.ADMIN)
    found = await client.get("/api/v1/search", params={"q": q * 2}, headers=admin)
    assert found.status_code == 200 and found.json()["hits"] == []


async def test_bad_queries_are_422(client: httpx.AsyncClient, actors: Actors) -> None:
    admin = await actors.headers_for(Role.ADMIN)
    for params in ({}, {"q": "x"}, {"q": "x" * 101}, {"q": "north", "limit": 0}):
        assert (await client.get("/api/v1/search", params=params, headers=admin)).status_code == 422
    assert (await client.get("/api/v1/search", params={"q": "north"})).status_code == 401
