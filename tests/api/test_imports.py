"""Contact imports end to end: upload → preview → run → progress → error CSV, on both
databases; dedup policies, broken files, roles and the upload size allowance."""

import asyncio
import csv
import io
import json
from typing import Any

import httpx
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.deps import Principal
from engine import imports
from engine.roles import Role
from store import imports as store
from store.models import Account, Contact, ImportError_, ImportJob
from tests.conftest import Actors

FILE = (
    "E-mail;Work Phone;First Name;Last Name;Score\r\n"
    "ada@acme.com;(212) 555-0100;Ada;Lovelace;7\r\n"
    "bad-email;2125550101;Bad;Email;1\r\n"
    'bob@other.org;12;"Bob; Jr";Smith;2\r\n'
    "ADA@acme.com;;Ada;Again;3\r\n"
    "=cmd@x.com;+1 212 555 0199;=HYPERLINK(1);Evil;x\r\n"
    "zoë@acme.com;2125550102;Zoë;Ü;4\r\n"
).encode("cp1252")


@pytest.fixture
async def ops(actors: Actors) -> dict[str, str]:
    return await actors.headers_for(Role.DATA_OPS)


async def upload(
    client: httpx.AsyncClient, headers: dict[str, str], content: bytes, **form: str
) -> httpx.Response:
    files = {"file": ("people.csv", content, "text/csv")}
    return await client.post(
        "/api/v1/imports", files=files, data={"filename": "people.csv", **form}, headers=headers
    )


async def run_to_end(
    client: httpx.AsyncClient, headers: dict[str, str], import_id: int, mapping: dict[str, Any]
) -> dict[str, Any]:
    response = await client.post(
        f"/api/v1/imports/{import_id}/run", json={"mapping": mapping}, headers=headers
    )
    assert response.status_code == 202, response.text
    for _ in range(500):
        job = (await client.get(f"/api/v1/imports/{import_id}", headers=headers)).json()
        if job["status"] not in ("uploaded", "running"):
            return dict(job)
        await asyncio.sleep(0.01)
    raise AssertionError("the import did not end")


async def add_score_field(client: httpx.AsyncClient, ops: dict[str, str]) -> None:
    field = {"entity": "contact", "key": "score", "label": "Score", "field_type": "number"}
    assert (await client.post("/api/v1/custom-fields", json=field, headers=ops)).status_code == 201


async def count(sessions: async_sessionmaker[AsyncSession], model: Any) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_upload_preview_run_and_error_file(
    client: httpx.AsyncClient,
    actors: Actors,
    ops: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_score_field(client, ops)
    account = {"name": "Acme", "domain": "acme.com"}
    assert (await client.post("/api/v1/accounts", json=account, headers=ops)).status_code == 201

    response = await upload(client, ops, FILE, region="us")
    assert response.status_code == 201, response.text
    preview = response.json()
    assert preview["encoding"] == "cp1252" and preview["delimiter"] == ";"
    assert preview["rows_total"] == 6
    assert preview["suggested_mapping"] == {
        "E-mail": "email",
        "Work Phone": "direct_phone",
        "First Name": "first_name",
        "Last Name": "last_name",
        "Score": "custom.score",
    }
    assert [r["valid"] for r in preview["rows"]] == [True, False, False, False, False, True]
    assert preview["rows"][3]["reason"] == "Duplicate of row 2 in this file."
    assert await count(sessions, Contact) == 0  # a preview writes no contacts

    job = await run_to_end(client, ops, preview["id"], preview["suggested_mapping"])
    assert job["status"] == "finished", job
    assert (job["rows_done"], job["rows_failed"], job["created"]) == (6, 4, 2)
    assert job["rows_per_s"] > 0

    async with sessions() as session:
        contacts = {c.email: c for c in await session.scalars(select(Contact))}
    ada = contacts["ada@acme.com"]
    assert ada.direct_phone_e164 == "+12125550100" and ada.phone_status == "valid"
    assert ada.full_name == "Ada Lovelace" and ada.custom_fields == {"score": 7}
    assert ada.account_id is not None
    assert contacts["zoë@acme.com"].last_name == "Ü"

    response = await client.get(f"/api/v1/imports/{preview['id']}/errors.csv", headers=ops)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["row_number"], r["field"]) for r in rows] == [
        ("3", "email"),
        ("4", "direct_phone"),
        ("5", "email"),
        ("6", "custom_fields.score"),
    ]
    evil = rows[3]
    assert evil["E-mail"] == "'=cmd@x.com" and evil["First Name"] == "'=HYPERLINK(1)"
    assert rows[1]["First Name"] == "Bob; Jr"

    admin = await actors.headers_for(Role.ADMIN)
    entries = (await client.get("/api/v1/audit?action=import.errors", headers=admin)).json()
    assert [e["target_id"] for e in entries["items"]] == [str(preview["id"])] or [
        e["target_id"] for e in entries["items"]
    ] == [preview["id"]]

    again = await client.post(
        f"/api/v1/imports/{preview['id']}/run", json={"mapping": {}}, headers=ops
    )
    assert again.status_code == 409


EXISTING = "email,phone,title,city\nada@acme.com,2125550100,Countess,\n"
UPDATE = "email,phone,title,city\nada@acme.com,,Engineer,London\nnew@acme.com,,CTO,Paris\n"


@pytest.mark.parametrize(
    ("policy", "title", "city", "counts"),
    [
        ("skip", "Countess", None, (1, 0, 1)),
        ("update", "Engineer", "London", (1, 1, 0)),
        ("merge", "Countess", "London", (1, 1, 0)),
    ],
)
async def test_dedup_policies_against_existing_contacts(
    client: httpx.AsyncClient,
    ops: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
    policy: str,
    title: str,
    city: str | None,
    counts: tuple[int, int, int],
) -> None:
    first = (await upload(client, ops, EXISTING.encode())).json()
    assert (await run_to_end(client, ops, first["id"], first["suggested_mapping"]))["created"] == 1
    second = (await upload(client, ops, UPDATE.encode(), dedup=policy)).json()
    job = await run_to_end(client, ops, second["id"], second["suggested_mapping"])
    assert (job["created"], job["updated"], job["skipped"]) == counts
    async with sessions() as session:
        ada = await session.scalar(select(Contact).where(Contact.email == "ada@acme.com"))
        assert ada is not None
        assert (ada.job_title, ada.city, ada.direct_phone_e164) == (title, city, "+12125550100")
    assert await count(sessions, Contact) == 2


async def test_existing_contact_matched_by_phone_and_kept_invalid_phones(
    client: httpx.AsyncClient, ops: dict[str, str], sessions: async_sessionmaker[AsyncSession]
) -> None:
    first = (await upload(client, ops, EXISTING.encode())).json()
    await run_to_end(client, ops, first["id"], first["suggested_mapping"])
    text = "email,phone\n,+1 (212) 555-0100\nx@y.com,12\n"
    second = (await upload(client, ops, text.encode(), phone_policy="keep")).json()
    job = await run_to_end(client, ops, second["id"], second["suggested_mapping"])
    assert (job["created"], job["skipped"], job["rows_failed"]) == (1, 1, 0)
    async with sessions() as session:
        kept = await session.scalar(select(Contact).where(Contact.email == "x@y.com"))
        assert kept is not None and kept.phone_status == "invalid" and kept.direct_phone == "12"


async def test_xlsx_upload_runs(
    client: httpx.AsyncClient, ops: dict[str, str], sessions: async_sessionmaker[AsyncSession]
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Email", "Mobile"])
    sheet.append(["a@x.com", 2125550100])
    buffer = io.BytesIO()
    book.save(buffer)
    files = {"file": ("people.xlsx", buffer.getvalue(), "application/octet-stream")}
    preview = (await client.post("/api/v1/imports", files=files, headers=ops)).json()
    assert preview["format"] == "xlsx" and preview["filename"] == "people.xlsx"
    job = await run_to_end(client, ops, preview["id"], preview["suggested_mapping"])
    assert job["created"] == 1
    async with sessions() as session:
        contact = await session.scalar(select(Contact))
        assert contact is not None and contact.mobile_phone_e164 == "+12125550100"


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01binary\x00\x02", b"a@x.com,2125550100\nb@x.com,2125550101\n"],
)
async def test_broken_file_imports_nothing(
    client: httpx.AsyncClient,
    ops: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
    content: bytes,
) -> None:
    response = await upload(client, ops, content)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"
    assert await count(sessions, ImportJob) == 0


async def test_bad_mapping_is_refused_and_nothing_runs(
    client: httpx.AsyncClient, ops: dict[str, str], sessions: async_sessionmaker[AsyncSession]
) -> None:
    bad_region = await upload(client, ops, EXISTING.encode(), region="ZZ")
    assert bad_region.status_code == 422
    assert bad_region.json()["errors"][0]["field"] == "region"
    assert await count(sessions, ImportJob) == 0
    preview = (await upload(client, ops, EXISTING.encode())).json()
    for mapping in ({"email": "emial"}, {"nope": "email"}, {"city": "city"}):
        response = await client.post(
            f"/api/v1/imports/{preview['id']}/run", json={"mapping": mapping}, headers=ops
        )
        assert response.status_code == 422, mapping
    job = (await client.get(f"/api/v1/imports/{preview['id']}", headers=ops)).json()
    assert job["status"] == "uploaded"
    assert await count(sessions, Contact) == 0
    assert await count(sessions, ImportError_) == 0


async def test_roles_and_upload_size(
    client: httpx.AsyncClient, actors: Actors, ops: dict[str, str]
) -> None:
    for role, status in (
        (Role.CAMPAIGN_MANAGER, 201),
        (Role.ADMIN, 201),
        (Role.QA_ANALYST, 403),
        (Role.AGENT, 403),
    ):
        headers = await actors.headers_for(role)
        assert (await upload(client, headers, EXISTING.encode())).status_code == status, role
    agent = await actors.headers_for(Role.AGENT)
    assert (await client.get("/api/v1/imports/1", headers=agent)).status_code == 403
    assert (await client.get("/api/v1/imports", headers=ops)).json()["items"]
    # Larger than the API's body limit (1 MiB) but allowed on the import route.
    big = EXISTING + "".join(f"p{i}@acme.com,,Title {i},City\n" for i in range(40_000))
    assert len(big) > 1_048_576
    response = await upload(client, ops, big.encode())
    assert response.status_code == 201, response.text
    assert response.json()["rows_total"] == 40_001
    other = await client.post(
        "/api/v1/accounts", content=b"x" * 1_100_000, headers=ops | {"content-type": "x/y"}
    )
    assert other.status_code == 413


async def test_progress_events_on_the_live_stream(
    app: Any, client: httpx.AsyncClient, ops: dict[str, str]
) -> None:
    preview = (await upload(client, ops, EXISTING.encode())).json()
    with app.state.fanout.subscribe(Principal(Role.CAMPAIGN_MANAGER, None, None)) as watcher:
        await run_to_end(client, ops, preview["id"], preview["suggested_mapping"])
        events: list[dict[str, Any]] = []
        while not events or events[-1]["status"] != "finished":  # the outbox sends it soon
            events += json.loads(await asyncio.wait_for(watcher.queue.get(), 5))
    progress = [e for e in events if e["type"] == "import.progress"]
    assert [e["status"] for e in progress] == ["running", "finished"]
    assert progress[-1] | {"status": "x"} == {
        "type": "import.progress",
        "import_id": preview["id"],
        "status": "x",
        "rows_total": 1,
        "rows_done": 1,
        "rows_failed": 0,
    }


async def test_a_failing_chunk_marks_the_import_failed(
    client: httpx.AsyncClient, ops: dict[str, str], sessions: async_sessionmaker[AsyncSession]
) -> None:
    """PostgreSQL refuses a NUL character in text (files with one never get this far: the
    reader refuses them); here it stands for any write that fails mid-import."""
    async with sessions() as session:
        if session.get_bind().dialect.name != "postgresql":
            pytest.skip("SQLite stores NUL characters")
    preview = (await upload(client, ops, EXISTING.encode())).json()
    mapping = {"email": "email", "title": "job_title"}
    good = [[f"p{i}@x.com", "", "ok", ""] for i in range(3)]
    table = imports.Table(
        ["email", "phone", "title", "city"], [*good, ["z@x.com", "", "a\x00b", ""]], "csv"
    )
    async with sessions() as session:
        job = await store.get_or_raise(session, import_id=preview["id"])
        await store.mark_running(session, job=job, mapping=mapping)
        await session.commit()
    await store.run(
        sessions,
        import_id=preview["id"],
        table=table,
        mapping=mapping,
        specs=[],
        options=imports.Options(),
        chunk_rows=3,
    )
    job_read = (await client.get(f"/api/v1/imports/{preview['id']}", headers=ops)).json()
    assert job_read["status"] == "failed"
    assert job_read["failure"].startswith("Stopped at row 5:")
    assert (job_read["rows_done"], job_read["created"]) == (3, 3)  # the first chunk stays
    assert await count(sessions, Contact) == 3


ACCOUNTS = (
    "Company,Website,Industry,Employees,Tier\n"
    "Acme Corp,https://www.acme.com,Manufacturing,500,1\n"
    "Globex,globex.io,Energy,1 200,2\n"
    "Globex Dup,www.globex.io/about,,,\n"
    ",nameless.com,,,\n"
    "Initech,initech.com,Software,lots,3\n"
)


@pytest.mark.parametrize(
    ("policy", "acme", "counts"),
    [
        ("skip", ("Acme", None, None), (1, 0, 1)),
        ("update", ("Acme Corp", "Manufacturing", 500), (1, 1, 0)),
        ("merge", ("Acme", "Manufacturing", 500), (1, 1, 0)),
    ],
)
async def test_account_import_dedups_by_domain(
    client: httpx.AsyncClient,
    ops: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
    policy: str,
    acme: tuple[Any, ...],
    counts: tuple[int, int, int],
) -> None:
    field = {"entity": "account", "key": "tier", "label": "Tier", "field_type": "number"}
    assert (await client.post("/api/v1/custom-fields", json=field, headers=ops)).status_code == 201
    existing = {"name": "Acme", "domain": "acme.com"}
    assert (await client.post("/api/v1/accounts", json=existing, headers=ops)).status_code == 201

    response = await upload(client, ops, ACCOUNTS.encode(), entity="account", dedup=policy)
    assert response.status_code == 201, response.text
    preview = response.json()
    assert preview["suggested_mapping"] == {
        "Company": "name",
        "Website": "domain",
        "Industry": "industry",
        "Employees": "staff_count",
        "Tier": "custom.tier",
    }
    assert "hq_country" in preview["targets"] and "email" not in preview["targets"]
    job = await run_to_end(client, ops, preview["id"], preview["suggested_mapping"])
    assert (job["entity"], job["status"], job["rows_failed"]) == ("account", "finished", 3)
    assert (job["created"], job["updated"], job["skipped"]) == counts

    async with sessions() as session:
        accounts = {a.domain: a for a in await session.scalars(select(Account))}
    assert sorted(accounts) == ["acme.com", "globex.io"]
    found = accounts["acme.com"]
    assert (found.name, found.industry, found.staff_count) == acme
    globex = accounts["globex.io"]
    assert (globex.staff_count, globex.custom_fields) == (1200, {"tier": 2})

    errors = await client.get(f"/api/v1/imports/{preview['id']}/errors.csv", headers=ops)
    rows = list(csv.DictReader(io.StringIO(errors.text)))
    assert [(r["row_number"], r["field"]) for r in rows] == [
        ("4", "domain"),
        ("5", "name"),
        ("6", "staff_count"),
    ]

    contacts = (await upload(client, ops, b"email\nbob@globex.io\n")).json()
    await run_to_end(client, ops, contacts["id"], contacts["suggested_mapping"])
    async with sessions() as session:
        bob = await session.scalar(select(Contact).where(Contact.email == "bob@globex.io"))
    assert bob is not None and bob.account_id == globex.id


async def test_account_import_needs_a_name_column_and_a_known_entity(
    client: httpx.AsyncClient, ops: dict[str, str]
) -> None:
    unknown = await upload(client, ops, ACCOUNTS.encode(), entity="lead")
    assert unknown.status_code == 422
    preview = (await upload(client, ops, ACCOUNTS.encode(), entity="account")).json()
    response = await client.post(
        f"/api/v1/imports/{preview['id']}/run",
        json={"mapping": {"Website": "domain", "Company": "email"}},
        headers=ops,
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"mapping.Company"}
    response = await client.post(
        f"/api/v1/imports/{preview['id']}/run", json={"mapping": {"Website": "domain"}}, headers=ops
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "Map the account name column."


async def test_the_import_list_pages_newest_first_without_repeating_a_job(
    client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], ops: dict[str, str]
) -> None:
    async with sessions() as session, session.begin():
        jobs = [ImportJob(entity="contact", filename=f"f{n}.csv") for n in range(5)]
        session.add_all(jobs)
    seen: list[int] = []
    cursor = ""
    while True:
        page = await client.get(f"/api/v1/imports?limit=2{cursor}", headers=ops)
        assert page.status_code == 200, page.text
        seen += [job["id"] for job in page.json()["items"]]
        if not page.json()["next_cursor"]:
            break
        cursor = f"&cursor={page.json()['next_cursor']}"
    assert seen == sorted((job.id for job in jobs), reverse=True)
