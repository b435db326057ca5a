"""Suppressions over HTTP: normalised, idempotent, all-or-nothing files, checks, removal."""

from collections.abc import Sequence
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.gateway import DialerGateway
from engine.roles import Role
from store.models import AuditEntry, Suppression
from tests.conftest import Actors

SHAPE = {"status", "code", "message", "errors"}
URL = "/api/v1/suppressions"


class RecordingDialer(DialerGateway):
    """A real gateway that remembers what it was told, in order."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    async def numbers_suppressed(self, numbers: Sequence[str]) -> None:
        self.batches.append(list(numbers))


@pytest.fixture
def dialer(app: FastAPI) -> RecordingDialer:
    app.state.dialer = RecordingDialer()
    return app.state.dialer


@pytest.fixture
async def ops(actors: Actors) -> dict[str, str]:
    return await actors.headers_for(Role.DATA_OPS)


async def _rows(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[Any, ...]]:
    async with sessions() as session:
        query = select(Suppression.kind, Suppression.value, Suppression.client_id)
        return [tuple(r) for r in (await session.execute(query.order_by(Suppression.id))).all()]


def _csv(text: str, **form: str) -> dict[str, Any]:
    return {"files": {"file": ("dnc.csv", text.encode(), "text/csv")}, "data": form}


async def test_a_dnc_request_is_stored_in_e164_and_reaches_the_dialer_once(
    client: httpx.AsyncClient, actors: Actors, dialer: RecordingDialer
) -> None:
    agent = await actors.headers_for(Role.AGENT)
    body = {
        "kind": "phone",
        "value": "(212) 555-0100",
        "reason": "asked on the call",
        "consent_basis": "dnc_request",
        "source": "agent_console",
    }
    created = await client.post(URL, json=body, headers=agent)
    assert created.status_code == 201, created.text
    row = created.json()
    assert (row["value"], row["client_id"], row["source"]) == (
        "+12125550100",
        None,
        "agent_console",
    )
    assert row["consent_basis"] == "dnc_request" and row["created_at"]
    again = await client.post(URL, json=body | {"value": "+1 212 555 0100"}, headers=agent)
    assert again.status_code == 200
    assert again.json()["id"] == row["id"]
    assert dialer.batches == [["+12125550100"]]


@pytest.mark.parametrize(
    ("kind", "raw", "stored"),
    [
        ("email", "Ada.Lovelace@ACME.com", "ada.lovelace@acme.com"),
        ("domain", "https://WWW.Globex.com/contact", "globex.com"),
        ("phone", "020 7946 0958", "+442079460958"),
    ],
)
async def test_values_are_normalised(
    client: httpx.AsyncClient, ops: dict[str, str], kind: str, raw: str, stored: str
) -> None:
    body = {"kind": kind, "value": raw} | ({"phone_region": "GB"} if kind == "phone" else {})
    response = await client.post(URL, json=body, headers=ops)
    assert response.status_code == 201, response.text
    assert response.json()["value"] == stored


async def test_global_and_client_entries_are_separate_records(
    client: httpx.AsyncClient, ops: dict[str, str], actors: Actors
) -> None:
    org = await actors.client_org("Acme")
    body = {"kind": "email", "value": "a@b.com"}
    first = await client.post(URL, json=body, headers=ops)
    scoped = await client.post(URL, json=body | {"client_id": org.id}, headers=ops)
    assert (first.status_code, scoped.status_code) == (201, 201)
    repeat = await client.post(URL, json=body | {"client_id": org.id}, headers=ops)
    assert (repeat.status_code, repeat.json()["id"]) == (200, scoped.json()["id"])


async def test_check_finds_phone_email_and_domain_entries_in_scope(
    client: httpx.AsyncClient, ops: dict[str, str], actors: Actors
) -> None:
    acme, globex = await actors.client_org("Acme"), await actors.client_org("Globex")
    await client.post(URL, json={"kind": "phone", "value": "+12125550100"}, headers=ops)
    await client.post(URL, json={"kind": "domain", "value": "initech.com"}, headers=ops)
    scoped = {"kind": "email", "value": "bob@hooli.com", "client_id": acme.id}
    await client.post(URL, json=scoped, headers=ops)

    async def check(query: str) -> dict[str, Any]:
        response = await client.get(f"{URL}/check?{query}", headers=ops)
        assert response.status_code == 200, response.text
        return response.json()

    hit = await check("phone=212-555-0100")
    assert hit["suppressed"] and hit["matches"][0]["value"] == "+12125550100"
    by_domain = await check("email=Peter@Sales.Initech.com")
    assert [m["value"] for m in by_domain["matches"]] == ["initech.com"]
    assert (await check("domain=https://initech.com/about"))["suppressed"]
    assert not (await check("email=bob@hooli.com"))["suppressed"]
    assert (await check(f"email=bob@hooli.com&client_id={acme.id}"))["suppressed"]
    assert not (await check(f"email=bob@hooli.com&client_id={globex.id}"))["suppressed"]
    assert not (await check("phone=+12125550199&email=x@y.com"))["suppressed"]


async def test_a_csv_file_is_added_with_duplicates_counted_once(
    client: httpx.AsyncClient,
    ops: dict[str, str],
    actors: Actors,
    dialer: RecordingDialer,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    org = await actors.client_org("Acme")
    await client.post(URL, json={"kind": "phone", "value": "+12125550100"}, headers=ops)
    dialer.batches.clear()
    text = (
        "\ufeffKind,Value,Reason,Consent_Basis,Client_Id\n"
        "phone,(212) 555-0100,already there,,\n"
        "phone,212 555 0101,,dnc_request,\n"
        "PHONE,+1 212 555 0101,dup in file,,\n"
        "email,Eve@Evil.com,,unsubscribe," + str(org.id) + "\n"
        "domain,spam.example,,,\n"
    )
    response = await client.post(f"{URL}/bulk", **_csv(text, source="tps-2025-06"), headers=ops)
    assert response.status_code == 200, response.text
    assert response.json() == {"rows": 5, "created": 3, "already_present": 2}
    assert await _rows(sessions) == [
        ("phone", "+12125550100", None),
        ("phone", "+12125550101", None),
        ("email", "eve@evil.com", org.id),
        ("domain", "spam.example", None),
    ]
    assert dialer.batches == [["+12125550101"]]
    listed = (await client.get(f"{URL}?kind=phone", headers=ops)).json()["items"]
    assert {r["source"] for r in listed[1:]} == {"tps-2025-06"}
    async with sessions() as session:
        action = await session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc()))
    assert action == "suppression.import"


async def test_a_file_with_bad_rows_is_refused_whole_with_every_error(
    client: httpx.AsyncClient,
    ops: dict[str, str],
    dialer: RecordingDialer,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    text = (
        "kind,value,consent_basis\n"
        "phone,+12125550100,\n"
        "phone,12,\n"
        "fax,+12125550102,\n"
        "email,not-an-email,vibes\n"
        "domain,,\n"
        "email,a@b.com,,surplus\n"
    )
    response = await client.post(f"{URL}/bulk", **_csv(text), headers=ops)
    assert response.status_code == 422
    body = response.json()
    assert set(body) == SHAPE
    assert body["message"] == "5 of 6 rows have errors; nothing was imported."
    assert [e["field"] for e in body["errors"]] == [
        "rows.3.value",
        "rows.4.kind",
        "rows.5.consent_basis",
        "rows.5.value",
        "rows.6.value",
        "rows.7",
    ]
    assert await _rows(sessions) == []
    assert dialer.batches == []


@pytest.mark.parametrize(
    ("content", "form", "field"),
    [
        (b"value\n+12125550100\n", {}, "file"),
        (b"kind,value,colour\nphone,+12125550100,red\n", {}, "file"),
        (b"kind,value\n", {}, "file"),
        (b"", {}, "file"),
        (b"kind,value\nemail,\xff@x.com\n", {}, "file"),
        (b"kind,value,client_id\nemail,a@b.com,987654\n", {}, "client_id"),
        (b"kind,value,client_id\nemail,a@b.com,99999999999999999999\n", {}, "rows.2.client_id"),
        (b"kind,value,client_id\nemail,a@b.com,\xc2\xb2\n", {}, "rows.2.client_id"),
        (b"kind,value\nemail,a@b.com\n", {"phone_region": "usa"}, "phone_region"),
        (b"kind,value\nemail,a@b.com\n", {"source": "x" * 101}, "source"),
    ],
)
async def test_unreadable_files_are_refused(
    client: httpx.AsyncClient,
    ops: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
    content: bytes,
    form: dict[str, str],
    field: str,
) -> None:
    files = {"file": ("dnc.csv", content, "text/csv")}
    response = await client.post(f"{URL}/bulk", files=files, data=form, headers=ops)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert await _rows(sessions) == []


async def test_only_admins_remove_and_removal_is_audited(
    client: httpx.AsyncClient,
    actors: Actors,
    ops: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    row = (await client.post(URL, json={"kind": "email", "value": "a@b.com"}, headers=ops)).json()
    for role in (Role.CAMPAIGN_MANAGER, Role.DATA_OPS, Role.AGENT, Role.QA_ANALYST):
        headers = await actors.headers_for(role)
        assert (await client.delete(f"{URL}/{row['id']}", headers=headers)).status_code == 403
    admin = await actors.headers_for(Role.ADMIN)
    assert (await client.delete(f"{URL}/{row['id']}", headers=admin)).status_code == 204
    assert await _rows(sessions) == []
    missing = await client.delete(f"{URL}/{row['id']}", headers=admin)
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    async with sessions() as session:
        entry = await session.scalar(
            select(AuditEntry).where(AuditEntry.action == "suppression.delete")
        )
    assert entry is not None
    assert (entry.target_id, entry.data["value"]) == (str(row["id"]), "a@b.com")


async def test_who_may_read_and_write(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    org = await actors.client_org("Acme")
    writers = {Role.ADMIN, Role.CAMPAIGN_MANAGER, Role.DATA_OPS, Role.AGENT}
    readers = {Role.ADMIN, Role.CAMPAIGN_MANAGER, Role.DATA_OPS, Role.QA_ANALYST}
    importers = {Role.ADMIN, Role.CAMPAIGN_MANAGER, Role.DATA_OPS}
    for n, role in enumerate(Role):
        headers = await actors.headers_for(role, org.id if role is Role.CLIENT_USER else None)
        body = {"kind": "email", "value": f"p{n}@x.com"}
        added = await client.post(URL, json=body, headers=headers)
        listed = await client.get(URL, headers=headers)
        checked = await client.get(f"{URL}/check?email=a@b.com", headers=headers)
        imported = await client.post(
            f"{URL}/bulk", **_csv(f"kind,value\nemail,f{n}@x.com\n"), headers=headers
        )
        assert (added.status_code == 201) == (role in writers), role
        assert (listed.status_code == 200) == (checked.status_code == 200) == (role in readers)
        assert (imported.status_code == 200) == (role in importers), role
        refused = [r for r in (added, listed, checked, imported) if r.status_code >= 400]
        assert {r.status_code for r in refused} <= {403}
    assert len(await _rows(sessions)) == len(writers) + len(importers)


async def test_list_filters_and_pages(
    client: httpx.AsyncClient, ops: dict[str, str], actors: Actors
) -> None:
    org = await actors.client_org("Acme")
    for value in ("a@x.com", "b@x.com", "c@y.com"):
        await client.post(URL, json={"kind": "email", "value": value}, headers=ops)
    await client.post(
        URL, json={"kind": "domain", "value": "z.com", "client_id": org.id}, headers=ops
    )

    async def values(query: str) -> list[str]:
        response = await client.get(f"{URL}?{query}", headers=ops)
        assert response.status_code == 200, response.text
        return [r["value"] for r in response.json()["items"]]

    assert await values("kind=domain") == ["z.com"]
    assert await values(f"client_id={org.id}") == ["z.com"]
    assert await values("global_only=true") == ["a@x.com", "b@x.com", "c@y.com"]
    assert await values("q=X.COM") == ["a@x.com", "b@x.com"]
    assert await values("q=%25") == []
    page = (await client.get(f"{URL}?limit=3", headers=ops)).json()
    rest = await values(f"cursor={page['next_cursor']}")
    assert len(page["items"]) == 3 and rest == ["z.com"]


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("POST", URL, {"kind": "fax", "value": "+12125550100"}),
        ("POST", URL, {"kind": "phone", "value": "12"}),
        ("POST", URL, {"kind": "phone", "value": "+12125550100", "phone_region": "usa"}),
        ("POST", URL, {"kind": "email", "value": "nobody"}),
        ("POST", URL, {"kind": "domain", "value": "localhost"}),
        ("POST", URL, {"kind": "domain", "value": ("a" * 60 + ".") * 5 + "com"}),
        ("POST", URL, {"kind": "email", "value": "a@b.com", "consent_basis": "vibes"}),
        ("POST", URL, {"kind": "email", "value": "a@b.com", "client_id": 987654}),
        ("POST", URL, {"kind": "email", "value": "a@b.com", "hacker": True}),
        ("POST", URL, {"kind": "email", "value": ""}),
        ("POST", URL, {"kind": "email", "value": "a@b.com", "reason": "x" * 201}),
        ("POST", URL, ["kind", "email"]),
        ("POST", f"{URL}/bulk", {"kind": "email", "value": "a@b.com"}),
        ("GET", f"{URL}/check", None),
        ("GET", f"{URL}/check?phone=12", None),
        ("GET", f"{URL}/check?email=nope", None),
        ("GET", f"{URL}/check?domain=nodots", None),
        ("GET", f"{URL}/check?email=a@b.com&client_id=987654", None),
        ("GET", f"{URL}?kind=fax", None),
        ("GET", f"{URL}?limit=0", None),
        ("GET", f"{URL}?cursor=%%%", None),
        ("DELETE", f"{URL}/987654", None),
        ("DELETE", f"{URL}/abc", None),
        ("DELETE", f"{URL}/99999999999999999999", None),
        ("POST", URL, {"kind": "email", "value": "a@b.com", "client_id": 10**20}),
        ("GET", f"{URL}/check?email=a@b.com&client_id=99999999999999999999", None),
    ],
)
async def test_bad_input_gets_the_error_shape_and_changes_nothing(
    client: httpx.AsyncClient,
    actors: Actors,
    sessions: async_sessionmaker[AsyncSession],
    dialer: RecordingDialer,
    method: str,
    path: str,
    payload: object,
) -> None:
    admin = await actors.headers_for(Role.ADMIN)
    await client.post(URL, json={"kind": "email", "value": "kept@x.com"}, headers=admin)
    before = await _rows(sessions)
    response = await client.request(method, path, json=payload, headers=admin)
    assert 400 <= response.status_code < 500, response.text
    assert set(response.json()) == SHAPE
    assert response.json()["status"] == response.status_code
    assert await _rows(sessions) == before
    async with sessions() as session:
        audits = await session.scalar(select(func.count()).select_from(AuditEntry))
    assert audits == 0
