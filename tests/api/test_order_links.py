"""The bridge model: ops link existing campaigns to a submitted order; the client sees the
linked campaigns' progress and downloads their approved leads, and nothing of anyone else's."""

import csv
import io
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.roles import Role
from store.models import (
    Account,
    AuditEntry,
    Campaign,
    Contact,
    Lead,
    OrderCampaignLink,
    QualificationQuestion,
)
from tests.conftest import Actors
from tests.support.orders import submitted_order

SHAPE = {"status", "code", "message", "errors"}


class Floor:
    """Two clients, campaigns and leads written straight to the database."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self.n = 0

    async def campaign(self, name: str, client_id: int | None = None) -> int:
        async with self.sessions() as session, session.begin():
            campaign = Campaign(kind="call", name=name, client_id=client_id)
            session.add(campaign)
            await session.flush()
            session.add(
                QualificationQuestion(
                    campaign_id=campaign.id, key="budget", label="Budget", answer_type="text"
                )
            )
            return campaign.id

    async def lead(self, campaign_id: int, status: str, **contact: Any) -> int:
        self.n += 1
        async with self.sessions() as session, session.begin():
            account = Account(name=f"Co {self.n}", domain=f"co{self.n}.com")
            session.add(account)
            await session.flush()
            person = Contact(
                account_id=account.id,
                full_name=f"Person {self.n}",
                email=f"p{self.n}@co{self.n}.com",
                direct_phone_e164="+12125550100",
                **contact,
            )
            session.add(person)
            await session.flush()
            lead = Lead(
                campaign_id=campaign_id,
                contact_id=person.id,
                qa_status=status,
                answers={"budget": '=HYPERLINK("http://evil")'},
            )
            session.add(lead)
            await session.flush()
            return lead.id


@pytest.fixture
def floor(sessions: async_sessionmaker[AsyncSession]) -> Floor:
    return Floor(sessions)


@pytest.fixture
async def manager(actors: Actors) -> dict[str, str]:
    return await actors.headers_for(Role.CAMPAIGN_MANAGER)


async def _submitted_order(
    client: httpx.AsyncClient, headers: dict[str, str], lead_goal: int = 4
) -> int:
    return await submitted_order(client, headers, lead_goal)


async def _count(sessions: async_sessionmaker[AsyncSession], model: Any, **where: Any) -> int:
    async with sessions() as session:
        query = select(func.count()).select_from(model).filter_by(**where)
        return int(await session.scalar(query) or 0)


def _table(response: httpx.Response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.text)))


async def test_the_bridge_path_from_order_to_download(
    client: httpx.AsyncClient,
    actors: Actors,
    manager: dict[str, str],
    floor: Floor,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    acme = await actors.client_org("Acme")
    buyer = await actors.headers_for(Role.CLIENT_USER, acme.id)
    order_id = await _submitted_order(client, buyer)
    assert await _count(sessions, Campaign) == 0  # submitting never creates a campaign

    linked = await floor.campaign("Acme calls", acme.id)
    unlinked = await floor.campaign("Someone else's calls")
    approved = await floor.lead(linked, "approved", first_name="-2+3", job_title="@cmd")
    published = await floor.lead(linked, "published")
    for status in ("new", "under_review", "rejected"):
        await floor.lead(linked, status)
    await floor.lead(unlinked, "approved")

    url = f"/api/v1/orders/{order_id}/campaign-links"
    created = await client.post(url, json={"campaign_id": linked}, headers=manager)
    assert created.status_code == 201, created.text
    again = await client.post(url, json={"campaign_id": linked}, headers=manager)
    assert again.status_code == 200
    listed = (await client.get(url, headers=manager)).json()
    assert [(x["campaign_id"], x["campaign_name"]) for x in listed] == [(linked, "Acme calls")]
    assert await _count(sessions, Campaign) == 2
    assert await _count(sessions, AuditEntry, action="order.link_campaign") == 1

    report = await client.get(f"/api/v1/client/orders/{order_id}/report", headers=buyer)
    assert report.status_code == 200, report.text
    body = report.json()
    assert (body["lead_goal"], body["approved"], body["remaining"]) == (4, 2, 2)
    assert body["leads_by_status"] == {
        "new": 1,
        "under_review": 1,
        "approved": 1,
        "rejected": 1,
        "returned": 0,
        "published": 1,
    }
    assert [(c["campaign_id"], c["approved"]) for c in body["campaigns"]] == [(linked, 2)]

    download = await client.get(f"/api/v1/client/orders/{order_id}/leads.csv", headers=buyer)
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    rows = _table(download)
    assert [int(r["lead_id"]) for r in rows] == [approved, published]
    assert rows[0]["first_name"] == "'-2+3"
    assert rows[0]["job_title"] == "'@cmd"
    assert rows[0]["phone"] == "'+12125550100"
    assert rows[0]["answer_budget"].startswith("'=HYPERLINK")
    assert rows[0]["company"].startswith("Co ") and rows[0]["email"].startswith("p")
    assert await _count(sessions, AuditEntry, action="order.leads_download") == 1

    unlink = await client.delete(f"{url}/{linked}", headers=manager)
    assert unlink.status_code == 204
    assert await _count(sessions, AuditEntry, action="order.unlink_campaign") == 1
    after = (await client.get(f"/api/v1/client/orders/{order_id}/report", headers=buyer)).json()
    assert (after["approved"], after["campaigns"]) == (0, [])
    empty = await client.get(f"/api/v1/client/orders/{order_id}/leads.csv", headers=buyer)
    assert _table(empty) == []
    assert await _count(sessions, Campaign) == 2  # unlinking deletes no campaign either


async def test_an_approval_shows_in_the_download_at_once(
    client: httpx.AsyncClient, actors: Actors, manager: dict[str, str], floor: Floor
) -> None:
    acme = await actors.client_org("Acme")
    buyer = await actors.headers_for(Role.CLIENT_USER, acme.id)
    order_id = await _submitted_order(client, buyer)
    campaign = await floor.campaign("Acme calls")
    await client.post(
        f"/api/v1/orders/{order_id}/campaign-links", json={"campaign_id": campaign}, headers=manager
    )
    lead_id = await floor.lead(campaign, "under_review")
    leads_url = f"/api/v1/client/orders/{order_id}/leads.csv"
    assert _table(await client.get(leads_url, headers=buyer)) == []
    qa = await actors.headers_for(Role.QA_ANALYST)
    ticks = {"icp_match": True, "consent_captured": True}
    decided = await client.post(
        f"/api/v1/leads/{lead_id}/transition",
        json={"to": "approved", "checklist": ticks},
        headers=qa,
    )
    assert decided.status_code == 200, decided.text
    assert [int(r["lead_id"]) for r in _table(await client.get(leads_url, headers=buyer))] == [
        lead_id
    ]


async def test_another_client_gets_404_exactly_like_a_missing_order(
    client: httpx.AsyncClient,
    actors: Actors,
    manager: dict[str, str],
    floor: Floor,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    acme, globex = await actors.client_org("Acme"), await actors.client_org("Globex")
    buyer = await actors.headers_for(Role.CLIENT_USER, acme.id)
    rival = await actors.headers_for(Role.CLIENT_USER, globex.id)
    order_id = await _submitted_order(client, buyer)
    campaign = await floor.campaign("Acme calls", acme.id)
    await floor.lead(campaign, "approved")
    await client.post(
        f"/api/v1/orders/{order_id}/campaign-links", json={"campaign_id": campaign}, headers=manager
    )
    for suffix in ("report", "leads.csv", "leads.xlsx"):
        theirs = await client.get(f"/api/v1/client/orders/{order_id}/{suffix}", headers=rival)
        missing = await client.get(f"/api/v1/client/orders/987654/{suffix}", headers=rival)
        assert theirs.status_code == missing.status_code == 404
        assert theirs.json() == missing.json()
        assert set(theirs.json()) == SHAPE
    assert await _count(sessions, AuditEntry, action="order.leads_download") == 0
    for method in ("GET", "POST"):
        staff_only = await client.request(
            method,
            f"/api/v1/orders/{order_id}/campaign-links",
            json={"campaign_id": campaign} if method == "POST" else None,
            headers=buyer,
        )
        assert staff_only.status_code == 403


async def test_who_may_link(
    client: httpx.AsyncClient,
    actors: Actors,
    floor: Floor,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    acme = await actors.client_org("Acme")
    order_id = await _submitted_order(client, await actors.headers_for(Role.CLIENT_USER, acme.id))
    campaign = await floor.campaign("Calls")
    url = f"/api/v1/orders/{order_id}/campaign-links"
    for role in (Role.DATA_OPS, Role.QA_ANALYST, Role.AGENT):
        headers = await actors.headers_for(role)
        assert (await client.get(url, headers=headers)).status_code == 403
        posted = await client.post(url, json={"campaign_id": campaign}, headers=headers)
        assert posted.status_code == 403
        assert (await client.delete(f"{url}/{campaign}", headers=headers)).status_code == 403
    assert await _count(sessions, OrderCampaignLink) == 0
    admin = await actors.headers_for(Role.ADMIN)
    assert (
        await client.post(url, json={"campaign_id": campaign}, headers=admin)
    ).status_code == 201


@pytest.mark.parametrize(
    ("method", "suffix", "payload", "status"),
    [
        ("POST", "", {"campaign_id": "x"}, 422),
        ("POST", "", {"campaign_id": 1, "extra": True}, 422),
        ("POST", "", {}, 422),
        ("POST", "", {"campaign_id": 987654}, 422),
        ("POST", "", {"campaign_id": 10**20}, 422),
        ("DELETE", "/99999999999999999999", None, 422),
        ("POST", "", {"campaign_id": "{globex_campaign}"}, 422),
        ("DELETE", "/{campaign}", None, 404),
        ("DELETE", "/abc", None, 422),
        ("POST", "@draft", {"campaign_id": "{campaign}"}, 409),
        ("GET", "@missing", None, 404),
        ("POST", "@missing", {"campaign_id": "{campaign}"}, 404),
    ],
)
async def test_bad_links_get_the_error_shape_and_change_nothing(
    client: httpx.AsyncClient,
    actors: Actors,
    manager: dict[str, str],
    floor: Floor,
    sessions: async_sessionmaker[AsyncSession],
    method: str,
    suffix: str,
    payload: dict[str, Any] | None,
    status: int,
) -> None:
    acme, globex = await actors.client_org("Acme"), await actors.client_org("Globex")
    buyer = await actors.headers_for(Role.CLIENT_USER, acme.id)
    order_id = await _submitted_order(client, buyer)
    draft = (
        await client.post(
            "/api/v1/client/orders", json={"title": "D", "kind": "email"}, headers=buyer
        )
    ).json()["id"]
    ids = {
        "campaign": await floor.campaign("Calls"),
        "globex_campaign": await floor.campaign("Globex calls", globex.id),
    }
    target = {"@draft": draft, "@missing": 987654}.get(suffix, order_id)
    path = suffix if not suffix.startswith("@") else ""
    url = f"/api/v1/orders/{target}/campaign-links{path.format(**ids)}"
    if payload is not None:
        payload = {
            k: int(v.format(**ids)) if isinstance(v, str) and "{" in v else v
            for k, v in payload.items()
        }
    audits = await _count(sessions, AuditEntry)
    response = await client.request(method, url, json=payload, headers=manager)
    assert response.status_code == status, response.text
    assert set(response.json()) == SHAPE
    assert await _count(sessions, OrderCampaignLink) == 0
    assert await _count(sessions, AuditEntry) == audits
