"""Exports: CSV and XLSX, formula cells neutralised, chunked reads, every export audited."""

import csv
import io
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.roles import Role
from store.models import Contact
from tests.conftest import Actors

EVIL = {
    "first_name": '=HYPERLINK("http://evil","x")',
    "last_name": "+1+2",
    "job_title": "-2+3",
    "department": "@SUM(A1)",
    "state": "\x01=1+1",
}


@pytest.fixture
async def ops(actors: Actors) -> dict[str, str]:
    return await actors.headers_for(Role.DATA_OPS)


@pytest.fixture
async def contacts(client: httpx.AsyncClient, ops: dict[str, str]) -> list[dict[str, Any]]:
    field = {"entity": "contact", "key": "note", "label": "Note", "field_type": "text"}
    assert (await client.post("/api/v1/custom-fields", json=field, headers=ops)).status_code == 201
    account = {"name": "Acme", "domain": "acme.com"}
    assert (await client.post("/api/v1/accounts", json=account, headers=ops)).status_code == 201
    made = []
    for body in (
        {"email": "evil@acme.com", **EVIL, "custom_fields": {"note": "=cmd|' /C calc'!A0"}},
        {"email": "plain@other.org", "first_name": "Ada", "direct_phone": "+12125550100"},
    ):
        response = await client.post("/api/v1/contacts", json=body, headers=ops)
        assert response.status_code == 201, response.text
        made.append(response.json())
    return made


def read_csv(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.text)))


ALL = {"filter": {"op": "and", "conditions": []}}


async def test_csv_export_neutralises_formulas_and_is_audited(
    client: httpx.AsyncClient, actors: Actors, ops: dict[str, str], contacts: Any
) -> None:
    rows = read_csv(await client.post("/api/v1/exports/contacts.csv", json=ALL, headers=ops))
    assert [r["email"] for r in rows] == ["evil@acme.com", "plain@other.org"]
    evil, plain = rows
    for column, value in EVIL.items():
        assert evil[column] == "'" + value, column
    assert evil["custom.note"] == "'=cmd|' /C calc'!A0"
    assert evil["account_name"] == "Acme" and evil["account_domain"] == "acme.com"
    assert plain["direct_phone_e164"] == "'+12125550100"
    assert plain["first_name"] == "Ada" and plain["account_domain"] == ""

    admin = await actors.headers_for(Role.ADMIN)
    entries = (await client.get("/api/v1/audit?action=export.contacts", headers=admin)).json()
    (entry,) = entries["items"]
    assert entry["target_type"] == "filter"
    assert entry["data"]["format"] == "csv"


async def test_xlsx_export_has_no_formula_cells(
    client: httpx.AsyncClient, ops: dict[str, str], contacts: Any
) -> None:
    response = await client.post("/api/v1/exports/contacts.xlsx", json=ALL, headers=ops)
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    header, evil, _plain = values
    row = dict(zip(header, evil, strict=True))
    assert row["first_name"] == "'" + EVIL["first_name"]
    assert row["state"] == "'=1+1"  # the control character is dropped, the quote stays
    assert row["id"] == contacts[0]["id"]
    assert all(c.data_type != "f" for line in sheet.iter_rows() for c in line)


async def test_segment_and_list_exports(
    client: httpx.AsyncClient, ops: dict[str, str], contacts: Any
) -> None:
    at_acme = {"field": "account.domain", "operator": "equals", "value": "acme.com"}
    segment = (
        await client.post("/api/v1/segments", json={"name": "A", "filter": at_acme}, headers=ops)
    ).json()
    rows = read_csv(
        await client.get(f"/api/v1/exports/contacts.csv?segment_id={segment['id']}", headers=ops)
    )
    assert [r["email"] for r in rows] == ["evil@acme.com"]

    listed = (await client.post("/api/v1/lists", json={"name": "L"}, headers=ops)).json()
    members = {"contact_ids": [contacts[1]["id"]]}
    await client.post(f"/api/v1/lists/{listed['id']}/members", json=members, headers=ops)
    rows = read_csv(
        await client.get(f"/api/v1/exports/contacts.csv?list_id={listed['id']}", headers=ops)
    )
    assert [r["email"] for r in rows] == ["plain@other.org"]

    for query in ("", f"?segment_id={segment['id']}&list_id={listed['id']}"):
        response = await client.get(f"/api/v1/exports/contacts.csv{query}", headers=ops)
        assert response.status_code == 422
    assert (
        await client.get("/api/v1/exports/contacts.csv?list_id=98765", headers=ops)
    ).status_code == 404
    assert (
        await client.get("/api/v1/exports/contacts.pdf?list_id=1", headers=ops)
    ).status_code in (
        404,
        422,
    )


async def test_large_exports_are_read_in_keyset_chunks(
    client: httpx.AsyncClient, ops: dict[str, str], sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as session, session.begin():
        rows = [
            {"email": f"p{i}@bulk.test", "job_title": "CTO" if i % 2 else "VP"}
            for i in range(2_500)
        ]
        await session.execute(insert(Contact), rows)
    body = {"filter": {"field": "contact.job_title", "operator": "equals", "value": "CTO"}}
    exported = read_csv(await client.post("/api/v1/exports/contacts.csv", json=body, headers=ops))
    assert len(exported) == 1_250
    ids = [int(r["id"]) for r in exported]
    assert ids == sorted(ids) and len(set(ids)) == 1_250


async def test_exports_need_an_export_role(
    client: httpx.AsyncClient, actors: Actors, contacts: Any
) -> None:
    for role in (Role.AGENT, Role.QA_ANALYST):
        headers = await actors.headers_for(role)
        response = await client.post("/api/v1/exports/contacts.csv", json=ALL, headers=headers)
        assert response.status_code == 403
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    assert (
        await client.post("/api/v1/exports/contacts.csv", json=ALL, headers=manager)
    ).status_code == 200
