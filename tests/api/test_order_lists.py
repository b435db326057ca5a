"""Order lists past the old 500 cap (keyset pages, status, search and sort), the client's
organisation name on its orders, the client's audience counts before choosing (never over
another organisation's segments, lists or domain sets), and concurrent audience snapshots
of one draft, on both databases."""

import asyncio
import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.roles import Role
from store.models import Account, Contact, ContactList, DomainSet, ListMember, Order, Segment
from tests.conftest import Actors
from tests.support.orders import ready_draft

STATUSES = ["draft", "submitted", "in_progress", "completed"]


async def _orders(sessions: async_sessionmaker[AsyncSession], client_id: int, n: int) -> None:
    """`n` orders straight through the store (fast): titles `Order 0000`…, statuses in turn,
    submitted a minute apart (drafts never)."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        {
            "client_id": client_id,
            "title": f"Order {i:04d}",
            "kind": "telemarketing",
            "status": STATUSES[i % 4],
            "audience": {},
            "pacing": {},
            "submitted_at": None if i % 4 == 0 else start + timedelta(minutes=i),
        }
        for i in range(n)
    ]
    async with sessions() as session, session.begin():
        await session.execute(insert(Order), rows)


async def _all(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], **params: Any
) -> tuple[list[dict[str, Any]], int]:
    """Every item of a list, page by page; and how many pages it took."""
    items: list[dict[str, Any]] = []
    cursor, pages = None, 0
    while True:
        query = params | ({"cursor": cursor} if cursor else {})
        answer = await client.get(path, params=query, headers=headers)
        assert answer.status_code == 200, answer.text
        items += answer.json()["items"]
        pages += 1
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            return items, pages


async def test_order_lists_page_past_500_with_status_search_and_sort(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    acme = await actors.client_org("Acme Corp")
    other = await actors.client_org("Globex")
    await _orders(sessions, acme.id, 620)
    await _orders(sessions, other.id, 30)
    buyer = await actors.headers_for(Role.CLIENT_USER, acme.id)

    mine, pages = await _all(client, "/api/v1/client/orders", buyer, limit=500)
    assert pages == 2 and len(mine) == 620
    ids = [o["id"] for o in mine]
    assert ids == sorted(ids, reverse=True)  # newest first by default
    assert {o["client_name"] for o in mine} == {"Acme Corp"}

    submitted, _ = await _all(client, "/api/v1/client/orders", buyer, status="submitted")
    assert len(submitted) == 155 and {o["status"] for o in submitted} == {"submitted"}

    by_title, pages = await _all(client, "/api/v1/client/orders", buyer, sort="title", limit=200)
    assert pages == 4
    assert [o["title"] for o in by_title] == [f"Order {i:04d}" for i in range(620)]
    # the submission time, latest first, drafts (never submitted) last
    latest, _ = await _all(client, "/api/v1/client/orders", buyer, sort="-submitted", limit=100)
    assert len(latest) == 620 and len({o["id"] for o in latest}) == 620
    stamps = [o["submitted_at"] for o in latest]
    assert stamps[:465] == sorted(stamps[:465], reverse=True)
    assert stamps[465:] == [None] * 155

    found, _ = await _all(client, "/api/v1/client/orders", buyer, q="order 061")
    assert sorted(o["title"] for o in found) == [f"Order 061{i}" for i in range(10)]
    one = mine[-1]["id"]
    by_number, _ = await _all(client, "/api/v1/client/orders", buyer, q=f"#{one}")
    assert [o["id"] for o in by_number] == [one]
    literal, _ = await _all(client, "/api/v1/client/orders", buyer, q="%")
    assert literal == []
    # another client's name finds nothing of theirs for a client user
    assert (await _all(client, "/api/v1/client/orders", buyer, q="Globex"))[0] == []

    staff = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    everyone, pages = await _all(client, "/api/v1/orders", staff, limit=500)
    assert len(everyone) == 650 and pages == 2
    globex, _ = await _all(client, "/api/v1/orders", staff, q="globex", sort="created")
    assert len(globex) == 30 and [o["client_name"] for o in globex] == ["Globex"] * 30
    assert [o["id"] for o in globex] == sorted(o["id"] for o in globex)

    def forged(value: Any, naive: bool = False) -> str:
        raw = json.dumps({"v": value, "d": naive, "i": 5}).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    cursors = [forged("abc"), forged("2026-01-01T00:00:00", naive=True), forged(True)]
    wrong = [{"sort": "lead_goal", "cursor": c} for c in cursors] + [
        {"sort": "submitted", "cursor": forged("2026-01-01T00:00:00", naive=True)}
    ]
    for bad in ({"sort": "password"}, {"cursor": "not-a-cursor"}, {"q": "x" * 101}, *wrong):
        refused = await client.get("/api/v1/client/orders", params=bad, headers=buyer)
        assert refused.status_code == 422, bad


async def test_clients_see_their_organisation_name_on_an_order(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    acme = await actors.client_org("Acme Corp")
    buyer = await actors.headers_for(Role.CLIENT_USER, acme.id)
    url = await ready_draft(client, buyer)
    assert (await client.get(url, headers=buyer)).json()["client_name"] == "Acme Corp"
    renamed = await client.patch(url, json={"title": "Renamed"}, headers=buyer)
    assert renamed.json()["client_name"] == "Acme Corp"


async def _people(sessions: async_sessionmaker[AsyncSession]) -> list[int]:
    """Three contacts: two CTOs at two accounts, one intern without an account."""
    async with sessions() as session, session.begin():
        first, second = Account(name="One", domain="one.com"), Account(name="Two", domain="two.com")
        session.add_all([first, second])
        await session.flush()
        people = [
            Contact(account_id=first.id, email="a@one.com", job_title="CTO"),
            Contact(account_id=second.id, email="b@two.com", job_title="CTO"),
            Contact(email="c@else.org", job_title="Intern"),
        ]
        session.add_all(people)
        await session.flush()
        return [p.id for p in people]


CTO = {
    "op": "and",
    "conditions": [{"field": "contact.job_title", "operator": "equals", "value": "CTO"}],
}


async def test_clients_count_their_audience_before_choosing_it(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    people = await _people(sessions)
    acme = await actors.client_org("Acme")
    buyer_user = await actors.user(Role.CLIENT_USER, acme.id)
    buyer = actors.headers(buyer_user)
    count = "/api/v1/client/audience/count"

    def counted(answer: httpx.Response) -> tuple[int, int]:
        assert answer.status_code == 200, answer.text
        return answer.json()["contact_count"], answer.json()["account_count"]

    assert counted(
        await client.post(count, json={"source": "filter", "filter": CTO}, headers=buyer)
    ) == (2, 2)
    everyone = {"source": "filter", "filter": {"op": "and", "conditions": []}}
    assert counted(await client.post(count, json=everyone, headers=buyer)) == (3, 2)
    bad = {
        "source": "filter",
        "filter": {"field": "contact.nope", "operator": "equals", "value": 1},
    }
    assert (await client.post(count, json=bad, headers=buyer)).status_code == 422
    # a filter naming a person would tell whether someone is in the agency's database
    probe = {"field": "contact.email", "operator": "equals", "value": "x@one.com"}
    nested = {"op": "and", "conditions": [CTO, {"op": "or", "conditions": [probe]}]}
    refused = await client.post(count, json={"source": "filter", "filter": nested}, headers=buyer)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == [
        "filter.conditions.1.conditions.0.field"
    ]

    async with sessions() as session, session.begin():
        segment = Segment(name="CTOs", definition=CTO, owner_id=buyer_user.id)
        listed = ContactList(name="Picked", owner_id=buyer_user.id)
        domains = DomainSet(name="Targets", domains=["two.com"], owner_id=buyer_user.id)
        session.add_all([segment, listed, domains])
        await session.flush()
        session.add(ListMember(list_id=listed.id, contact_id=people[2]))
    for body, expected in (
        ({"source": "segment", "segment_id": segment.id}, (2, 2)),
        ({"source": "list", "list_id": listed.id}, (1, 0)),
        ({"source": "domain_set", "domain_set_id": domains.id}, (1, 1)),
    ):
        assert counted(await client.post(count, json=body, headers=buyer)) == expected

    # another organisation (or the agency, or nobody) owns it: not found, nothing counted
    globex = await actors.client_org("Globex")
    rival = await actors.headers_for(Role.CLIENT_USER, globex.id)
    async with sessions() as session, session.begin():
        agency = Segment(name="Agency", definition=CTO)
        session.add(agency)
    for body in (
        {"source": "segment", "segment_id": segment.id},
        {"source": "list", "list_id": listed.id},
        {"source": "domain_set", "domain_set_id": domains.id},
    ):
        refused = await client.post(count, json=body, headers=rival)
        assert refused.status_code == 404 and "count" not in refused.text, body
    for body in (
        {"source": "segment", "segment_id": agency.id},
        {"source": "list", "list_id": 999_999},
    ):
        assert (await client.post(count, json=body, headers=buyer)).status_code == 404
    staff = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    assert (await client.post(count, json=everyone, headers=staff)).status_code == 403


async def test_a_domain_list_is_counted_without_being_stored(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _people(sessions)
    acme = await actors.client_org("Acme")
    buyer = await actors.headers_for(Role.CLIENT_USER, acme.id)
    data = b"domain\none.com\nhttps://www.two.com/about\nnowhere.org\nnot a domain\n"
    answer = await client.post(
        "/api/v1/client/audience/domains/count",
        files={"file": ("targets.csv", data, "text/csv")},
        headers=buyer,
    )
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert (found["contact_count"], found["account_count"]) == (2, 2)
    assert found["stats"]["unmatched"] == ["nowhere.org"] and found["stats"]["invalid"] == 1
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(DomainSet)) == 0


async def test_concurrent_audience_snapshots_of_one_draft_take_turns(
    client: httpx.AsyncClient,
    actors: Actors,
    sessions: async_sessionmaker[AsyncSession],
    database_url: str,
) -> None:
    """Without the order's row lock, the second snapshot's INSERT met the first's members
    on the (order, contact) unique key: a 500 instead of a clean answer."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has a single writer: requests never overlap there")
    await _people(sessions)
    acme = await actors.client_org("Acme")
    buyer = await actors.headers_for(Role.CLIENT_USER, acme.id)
    url = await ready_draft(client, buyer)
    bodies = [
        {"source": "filter", "filter": CTO if i % 2 else {"op": "and", "conditions": []}}
        for i in range(6)
    ]
    answers = await asyncio.gather(
        *(client.put(f"{url}/audience", json=body, headers=buyer) for body in bodies)
    )
    assert [a.status_code for a in answers] == [200] * 6
    final = (await client.get(f"{url}/audience", headers=buyer)).json()
    staff = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    ids = (
        await client.get(f"/api/v1/orders/{url.rsplit('/', 1)[1]}/audience", headers=staff)
    ).json()
    # one snapshot whole, never a mix of two
    assert len(ids["contact_ids"]) == final["contact_count"] in (2, 3)
