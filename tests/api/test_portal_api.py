"""What the portal screens added to the API, on both databases: a client's own domain list
uploaded and snapshotted as the order's audience in one step, and the campaign search the
operations inbox links from."""

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.roles import Role
from store.models import Account, AuditEntry, Campaign, Client, Contact, DomainSet
from tests.conftest import Actors
from tests.support.orders import ready_draft, submitted_order


async def _accounts(sessions: async_sessionmaker[AsyncSession], domains: list[str]) -> None:
    async with sessions() as session, session.begin():
        for i, domain in enumerate(domains):
            account = Account(name=f"Co {i}", domain=domain)
            session.add(account)
            await session.flush()
            session.add(Contact(account_id=account.id, email=f"p{i}@{domain}"))


def _file(data: bytes, name: str = "targets.csv") -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, data, "text/csv")}


async def test_a_client_uploads_a_domain_list_as_the_audience(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _accounts(sessions, ["acme.com", "globex.com", "initech.com"])
    buyer = await actors.headers_for(Role.CLIENT_USER, (await actors.client_org("Acme")).id)
    url = await ready_draft(client, buyer)
    data = b"domain\nhttps://www.ACME.com/about\nglobex.com\nnowhere.org\nnot a domain\n"
    answer = await client.post(f"{url}/audience/domains", files=_file(data), headers=buyer)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["source"], body["contact_count"], body["account_count"]) == ("domain_set", 2, 2)
    assert body["definition"]["domains"] == ["acme.com", "globex.com", "nowhere.org"]
    assert body["stats"]["unmatched"] == ["nowhere.org"]
    assert body["stats"]["invalid"] == 1 and body["stats"]["match_rate"] == 0.6667
    assert (await client.get(f"{url}/audience", headers=buyer)).json()["contact_count"] == 2
    async with sessions() as session:
        kept = await session.get_one(DomainSet, body["domain_set_id"])
        audited = await session.scalar(
            select(func.count()).where(AuditEntry.action == "domain_set.create")
        )
    assert kept.domains == body["definition"]["domains"] and audited == 1


async def test_a_bad_domain_list_changes_nothing_and_other_clients_get_404(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _accounts(sessions, ["acme.com"])
    buyer = await actors.headers_for(Role.CLIENT_USER, (await actors.client_org("Acme")).id)
    other = await actors.headers_for(Role.CLIENT_USER, (await actors.client_org("Globex")).id)
    url = await ready_draft(client, buyer)
    before = (await client.get(f"{url}/audience", headers=buyer)).json()

    empty = await client.post(f"{url}/audience/domains", files=_file(b"x y\n"), headers=buyer)
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "file"
    theirs = await client.post(f"{url}/audience/domains", files=_file(b"acme.com"), headers=other)
    assert theirs.status_code == 404 and theirs.json()["code"] == "not_found"
    staff = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    denied = await client.post(f"{url}/audience/domains", files=_file(b"acme.com"), headers=staff)
    assert denied.status_code == 403
    assert (await client.get(f"{url}/audience", headers=buyer)).json() == before
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(DomainSet)) == 0

    order_id = await submitted_order(client, buyer, 4)
    done = f"/api/v1/client/orders/{order_id}/audience/domains"
    assert (await client.post(done, files=_file(b"acme.com"), headers=buyer)).status_code == 409


async def test_campaigns_are_searched_by_name_and_client(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as session, session.begin():
        acme = Client(name="Acme")
        session.add(acme)
        await session.flush()
        session.add_all(
            [
                Campaign(kind="call", name="Acme Q1 IT outreach", client_id=acme.id),
                Campaign(kind="email", name="Acme nurture", client_id=acme.id),
                Campaign(kind="call", name="Internal IT test"),
            ]
        )
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)

    async def names(query: str) -> list[str]:
        answer = await client.get(f"/api/v1/campaigns?{query}", headers=manager)
        assert answer.status_code == 200, answer.text
        return sorted(c["name"] for c in answer.json()["items"])

    assert await names("q=it%20") == ["Acme Q1 IT outreach", "Internal IT test"]
    assert await names(f"q=it&client_id={acme.id}") == ["Acme Q1 IT outreach"]
    assert await names("q=ACME&kind=email") == ["Acme nurture"]
    too_long = await client.get(f"/api/v1/campaigns?q={'x' * 201}", headers=manager)
    assert too_long.status_code == 422
