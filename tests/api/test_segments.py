"""Count previews, segments, static lists and domain sets through the API."""

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.roles import Role
from store import segments
from store.models import Campaign
from tests.conftest import Actors


@pytest.fixture
async def ops(actors: Actors) -> dict[str, str]:
    return await actors.headers_for(Role.DATA_OPS)


async def post(client: httpx.AsyncClient, url: str, body: Any, headers: dict[str, str]) -> Any:
    response = await client.post(url, json=body, headers=headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


@pytest.fixture
async def audience(client: httpx.AsyncClient, ops: dict[str, str]) -> dict[str, int]:
    """Two accounts, five contacts (four at accounts), one custom number field."""
    field = {"entity": "contact", "key": "seats", "label": "Seats", "field_type": "number"}
    await post(client, "/api/v1/custom-fields", field, ops)
    ids: dict[str, int] = {}
    for name, domain, industry in [
        ("Acme", "acme.com", "Software"),
        ("Globex", "globex.io", "Retail"),
    ]:
        ids[domain] = (
            await post(
                client,
                "/api/v1/accounts",
                {"name": name, "domain": domain, "industry": industry},
                ops,
            )
        )["id"]
    people = [
        ("ada@acme.com", "CTO", 10),
        ("al@acme.com", "Engineer", 2),
        ("bob@globex.io", "CTO", 50),
        ("bo@globex.io", "Buyer", 1),
        ("cy@free.org", "CTO", None),
    ]
    for email, title, seats in people:
        custom = {"seats": seats} if seats is not None else {}
        body = {"email": email, "job_title": title, "custom_fields": custom}
        ids[email] = (await post(client, "/api/v1/contacts", body, ops))["id"]
    return ids


CTO = {"field": "contact.job_title", "operator": "equals", "value": "CTO"}


async def test_count_preview_answers_for_any_valid_filter(
    client: httpx.AsyncClient, ops: dict[str, str], audience: dict[str, int]
) -> None:
    count = lambda f: post(client, "/api/v1/audience/count", {"filter": f}, ops)  # noqa: E731
    assert await count({"op": "and", "conditions": []}) == {"count": 5}
    assert await count(CTO) == {"count": 3}
    software_or_many_seats = {
        "op": "or",
        "conditions": [
            {"field": "account.industry", "operator": "equals", "value": "Software"},
            {"field": "contact.custom.seats", "operator": "gt", "value": 20},
        ],
    }
    assert await count(software_or_many_seats) == {"count": 3}


async def test_count_preview_reports_field_paths(
    client: httpx.AsyncClient, ops: dict[str, str]
) -> None:
    bad = {
        "op": "and",
        "conditions": [
            {"field": "contact.job_title", "operator": "gt", "value": 3},
            {"field": "contact.custom.nope", "operator": "equals", "value": "x"},
            {"field": "contact.created_at", "operator": "before", "value": "yesterday"},
        ],
    }
    response = await client.post("/api/v1/audience/count", json={"filter": bad}, headers=ops)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {
        "filter.conditions.0.operator",
        "filter.conditions.1.field",
        "filter.conditions.2.value",
    }


async def test_segment_crud_contacts_and_count(
    client: httpx.AsyncClient, actors: Actors, ops: dict[str, str], audience: dict[str, int]
) -> None:
    segment = await post(client, "/api/v1/segments", {"name": "CTOs", "filter": CTO}, ops)
    assert segment["filter"] == {"op": "and", "conditions": [CTO]}
    url = f"/api/v1/segments/{segment['id']}"
    assert (await client.get(f"{url}/count", headers=ops)).json() == {"count": 3}
    first = (await client.get(f"{url}/contacts?limit=2", headers=ops)).json()
    rest = (
        await client.get(f"{url}/contacts?limit=2&cursor={first['next_cursor']}", headers=ops)
    ).json()
    emails = [c["email"] for c in first["items"] + rest["items"]]
    assert emails == ["ada@acme.com", "bob@globex.io", "cy@free.org"]
    assert rest["next_cursor"] is None

    at_acme = {"field": "account.domain", "operator": "equals", "value": "ACME.com"}
    patched = await client.patch(
        url, json={"filter": {"op": "and", "conditions": [CTO, at_acme]}}, headers=ops
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["filter"]["conditions"][1]["value"] == "acme.com"
    assert (await client.get(f"{url}/count", headers=ops)).json() == {"count": 1}
    assert (
        await client.patch(url, json={"filter": {"op": "nand"}}, headers=ops)
    ).status_code == 422

    assert (await client.get("/api/v1/segments", headers=ops)).json()["items"][0]["name"] == "CTOs"
    assert (await client.delete(url, headers=ops)).status_code == 204
    assert (await client.get(url, headers=ops)).status_code == 404
    admin = await actors.headers_for(Role.ADMIN)
    actions = [
        e["action"]
        for e in (await client.get("/api/v1/audit?limit=100", headers=admin)).json()["items"]
    ]
    assert {"segment.create", "segment.update", "segment.delete"} <= set(actions)


async def test_lists_add_remove_and_snapshot(
    client: httpx.AsyncClient, ops: dict[str, str], audience: dict[str, int]
) -> None:
    created = await post(client, "/api/v1/lists", {"name": "Call first"}, ops)
    url = f"/api/v1/lists/{created['id']}"
    ada, bo = audience["ada@acme.com"], audience["bo@globex.io"]
    assert await post(client, f"{url}/members", {"contact_ids": [ada, bo, ada]}, ops) == {
        "changed": 2,
        "size": 2,
    }
    assert await post(client, f"{url}/members", {"contact_ids": [ada]}, ops) == {
        "changed": 0,
        "size": 2,
    }
    unknown = await client.post(f"{url}/members", json={"contact_ids": [ada, 999_999]}, headers=ops)
    assert unknown.status_code == 422
    assert "999999" in unknown.json()["errors"][0]["message"]

    segment = await post(client, "/api/v1/segments", {"name": "CTOs", "filter": CTO}, ops)
    snap = await post(client, f"{url}/snapshot", {"segment_id": segment["id"]}, ops)
    assert snap == {"changed": 2, "size": 4}  # ada was already in
    assert (await client.get(url, headers=ops)).json()["source_segment_id"] == segment["id"]

    # the list is static: a new CTO joins the segment, not the list
    await post(client, "/api/v1/contacts", {"email": "new@acme.com", "job_title": "CTO"}, ops)
    assert (await client.get(f"{url}/count", headers=ops)).json() == {"count": 4}
    assert (await client.get(f"/api/v1/segments/{segment['id']}/count", headers=ops)).json() == {
        "count": 4
    }

    removed = await post(client, f"{url}/members/remove", {"contact_ids": [ada, 12345]}, ops)
    assert removed == {"changed": 1, "size": 3}
    members = (await client.get(f"{url}/members", headers=ops)).json()["items"]
    assert [m["email"] for m in members] == ["bob@globex.io", "bo@globex.io", "cy@free.org"]
    assert (
        await client.post(f"{url}/snapshot", json={"segment_id": 424242}, headers=ops)
    ).status_code == 404
    assert (await client.delete(url, headers=ops)).status_code == 204
    assert (await client.get(f"{url}/members", headers=ops)).status_code == 404


DOMAINS_CSV = (
    "Company,Website\n"
    "Acme,https://WWW.Acme.com/about\n"
    "Acme again,acme.com\n"
    "Globex,globex.io\n"
    "Nobody,unknown-co.net\n"
    "Broken,not a domain\n"
    "Empty,\n"
    "IDN,bücher.example\n"
)


async def test_domain_set_upload_match_and_segment(
    client: httpx.AsyncClient, ops: dict[str, str], audience: dict[str, int]
) -> None:
    files = {"file": ("targets.csv", DOMAINS_CSV.encode("utf-8-sig"), "text/csv")}
    response = await client.post("/api/v1/domain-sets", files=files, headers=ops)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["name"] == "targets.csv"
    assert body["domains"] == ["acme.com", "globex.io", "unknown-co.net", "xn--bcher-kva.example"]
    stats = body["stats"]
    assert {
        k: stats[k] for k in ("total", "valid", "invalid", "unique", "duplicates", "matched")
    } == {
        "total": 6,
        "valid": 5,
        "invalid": 1,
        "unique": 4,
        "duplicates": 1,
        "matched": 2,
    }
    assert stats["match_rate"] == 0.5
    assert stats["contacts"] == 4
    assert stats["unmatched"] == ["unknown-co.net", "xn--bcher-kva.example"]
    assert stats["invalid_lines"][0]["line"] == 6
    url = f"/api/v1/domain-sets/{body['id']}"
    assert (await client.get(url, headers=ops)).json()["stats"] == stats

    segment = await post(client, f"{url}/to-segment", {"name": "ABM"}, ops)
    assert segment["filter"]["conditions"][0]["field"] == "account.domain"
    count = (await client.get(f"/api/v1/segments/{segment['id']}/count", headers=ops)).json()
    assert count == {"count": 4}


async def test_domain_set_plain_text_named_and_empty(
    client: httpx.AsyncClient, ops: dict[str, str]
) -> None:
    text = "# targets\nglobex.io\n\nnope\n".encode("utf-16")
    files = {"file": ("t.txt", text, "text/plain")}
    response = await client.post(
        "/api/v1/domain-sets", files=files, data={"name": "Q3"}, headers=ops
    )
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "Q3"
    assert response.json()["stats"]["match_rate"] == 0.0
    empty = await client.post(
        "/api/v1/domain-sets", files={"file": ("e.txt", b"nope\n")}, headers=ops
    )
    to_segment = await client.post(
        f"/api/v1/domain-sets/{empty.json()['id']}/to-segment", json={}, headers=ops
    )
    assert to_segment.status_code == 422
    missing = await client.post("/api/v1/domain-sets", data={"name": "x"}, headers=ops)
    assert missing.status_code == 422


@pytest.mark.parametrize(
    ("role", "reads", "writes"),
    [
        (Role.ADMIN, True, True),
        (Role.DATA_OPS, True, True),
        (Role.CAMPAIGN_MANAGER, True, True),
        (Role.QA_ANALYST, True, False),
        (Role.AGENT, True, False),
        (Role.CLIENT_USER, False, False),
    ],
)
async def test_roles(
    client: httpx.AsyncClient, actors: Actors, role: Role, reads: bool, writes: bool
) -> None:
    org = await actors.client_org(f"Org {role}")
    headers = await actors.headers_for(role, org.id if role is Role.CLIENT_USER else None)
    count = await client.post("/api/v1/audience/count", json={"filter": CTO}, headers=headers)
    assert (count.status_code == 200) is reads
    assert ((await client.get("/api/v1/segments", headers=headers)).status_code == 200) is reads
    create = await client.post("/api/v1/lists", json={"name": "L"}, headers=headers)
    assert (create.status_code == 201) is writes
    if not writes:
        assert create.status_code == 403


async def test_domain_set_assigned_as_a_campaign_audience(
    client: httpx.AsyncClient,
    actors: Actors,
    ops: dict[str, str],
    audience: dict[str, int],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    files = {"file": ("targets.csv", DOMAINS_CSV.encode(), "text/csv")}
    domain_set = (await client.post("/api/v1/domain-sets", files=files, headers=ops)).json()
    campaign = await post(client, "/api/v1/campaigns", {"kind": "email", "name": "ABM"}, manager)
    url = f"/api/v1/domain-sets/{domain_set['id']}/assign"

    assigned = await post(client, url, {"campaign_id": campaign["id"]}, manager)
    assert assigned["audience"] == {"domain_set_id": domain_set["id"]}
    async with sessions() as session:
        ids = await segments.audience_ids(session, assigned["audience"])
        assert len(list(await session.scalars(ids))) == 4  # the matched accounts' contacts

    denied = await client.post(url, json={"campaign_id": campaign["id"]}, headers=ops)
    assert denied.status_code == 403  # data ops do not edit campaigns
    missing = await client.post(url, json={"campaign_id": 999_999}, headers=manager)
    assert missing.status_code == 404
    bad = await client.post(url, json={"campaign_id": "x"}, headers=manager)
    assert bad.status_code == 422
    async with sessions() as session, session.begin():
        (await session.get(Campaign, campaign["id"])).status = "running"  # type: ignore[union-attr]
    running = await client.post(url, json={"campaign_id": campaign["id"]}, headers=manager)
    assert running.status_code == 409 and running.json()["code"] == "conflict"
    empty = (
        await client.post("/api/v1/domain-sets", files={"file": ("e.txt", b"nope\n")}, headers=ops)
    ).json()
    empty_url = f"/api/v1/domain-sets/{empty['id']}/assign"
    refused = await client.post(empty_url, json={"campaign_id": campaign["id"]}, headers=manager)
    assert refused.status_code == 422


async def test_field_list_gives_types_operators_and_custom_fields(
    client: httpx.AsyncClient, ops: dict[str, str], audience: dict[str, int]
) -> None:
    response = await client.get("/api/v1/audience/fields", headers=ops)
    assert response.status_code == 200, response.text
    fields = {f["name"]: f for f in response.json()}
    assert fields["account.annual_revenue"] == {
        "name": "account.annual_revenue",
        "entity": "account",
        "type": "number",
        "operators": [
            "equals", "not_equals", "in", "not_in", "is_empty", "has_value", "gt", "lt", "between"
        ],
        "options": [],
    }  # fmt: skip
    assert fields["contact.phone_status"]["options"] == ["valid", "invalid", "missing"]
    assert fields["contact.custom.seats"]["type"] == "number"
    assert "contains" not in fields["contact.created_at"]["operators"]
    other = await client.get("/api/v1/audience/fields", headers={"Authorization": "Bearer x"})
    assert other.status_code == 401
