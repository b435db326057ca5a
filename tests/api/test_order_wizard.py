"""The order wizard on both databases: audience snapshots that later segment edits don't
change, versioned questions pinned at submission, sniffed and capped assets, the review,
submission that creates no campaign, and the client's walls (409 after submit, 404 across)."""

import io
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from config.settings import Settings
from engine.roles import Role
from store.models import (
    Account,
    AuditEntry,
    Campaign,
    Contact,
    ContactList,
    DomainSet,
    ListMember,
    Segment,
)
from tests.conftest import Actors, settings_for
from tests.support.orders import ready_draft

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return settings_for(database_url, tmp_path, order_asset_max_bytes=4096)


async def _count(sessions: async_sessionmaker[AsyncSession], model: Any, **where: Any) -> int:
    async with sessions() as session:
        query = select(func.count()).select_from(model).filter_by(**where)
        return int(await session.scalar(query) or 0)


async def _people(sessions: async_sessionmaker[AsyncSession], titles: list[str]) -> None:
    async with sessions() as session, session.begin():
        for i, title in enumerate(titles):
            account = Account(name=f"Co {i}", domain=f"co{i}.com")
            session.add(account)
            await session.flush()
            session.add(Contact(account_id=account.id, email=f"p{i}@co{i}.com", job_title=title))


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _file(name: str, data: bytes) -> dict[str, Any]:
    return {"file": (name, data, "application/octet-stream")}


async def test_audience_is_a_snapshot_that_segment_edits_do_not_change(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _people(sessions, ["CTO", "CTO", "Intern"])
    cto = {
        "op": "and",
        "conditions": [{"field": "contact.job_title", "operator": "equals", "value": "CTO"}],
    }
    acme = await actors.client_org("Acme")
    buyer_user = await actors.user(Role.CLIENT_USER, acme.id)
    buyer = actors.headers(buyer_user)
    async with sessions() as session, session.begin():
        segment = Segment(name="CTOs", definition=cto, owner_id=buyer_user.id)
        agency = Segment(name="Agency list", definition=cto)  # not the client's
        session.add_all([segment, agency])
    url = await ready_draft(client, buyer)
    theirs = {"source": "segment", "segment_id": agency.id}
    assert (await client.put(f"{url}/audience", json=theirs, headers=buyer)).status_code == 404
    body = {"source": "segment", "segment_id": segment.id}
    snap = await client.put(f"{url}/audience", json=body, headers=buyer)
    assert snap.status_code == 200, snap.text
    assert snap.json()["contact_count"] == 2 and snap.json()["account_count"] == 2
    assert snap.json()["definition"]["filter"] == cto

    async with sessions() as session, session.begin():
        await session.execute(update(Segment).values(definition={"op": "and", "conditions": []}))
    assert (await client.get(f"{url}/audience", headers=buyer)).json()["contact_count"] == 2
    staff = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    order_id = url.rsplit("/", 1)[1]
    ids = (await client.get(f"/api/v1/orders/{order_id}/audience", headers=staff)).json()
    assert len(ids["contact_ids"]) == 2 and len(ids["account_ids"]) == 2

    async with sessions() as session, session.begin():
        people = list(await session.scalars(select(Contact).order_by(Contact.id)))
        targets = ContactList(name="Picked", owner_id=buyer_user.id)
        accounts = DomainSet(
            name="Targets", domains=["co2.com", "nowhere.org"], owner_id=buyer_user.id
        )
        session.add_all([targets, accounts])
        await session.flush()
        session.add(ListMember(list_id=targets.id, contact_id=people[0].id))
    for body, count in (
        ({"source": "list", "list_id": targets.id}, 1),
        ({"source": "domain_set", "domain_set_id": accounts.id}, 1),
    ):
        snap = await client.put(f"{url}/audience", json=body, headers=buyer)
        assert snap.json()["contact_count"] == count, snap.text
    assert snap.json()["definition"]["domains"] == ["co2.com", "nowhere.org"]
    ids = (await client.get(f"/api/v1/orders/{order_id}/audience", headers=staff)).json()
    assert ids["contact_ids"] == [people[2].id]  # the snapshot was replaced, not added to

    both = {"source": "segment", "segment_id": segment.id, "list_id": 1}
    assert (await client.put(f"{url}/audience", json=both, headers=buyer)).status_code == 422
    bad = {
        "source": "filter",
        "filter": {"field": "contact.nope", "operator": "equals", "value": 1},
    }
    assert (await client.put(f"{url}/audience", json=bad, headers=buyer)).status_code == 422
    missing = {"source": "list", "list_id": 999}
    assert (await client.put(f"{url}/audience", json=missing, headers=buyer)).status_code == 404


async def test_the_wizard_from_draft_to_submission(
    client: httpx.AsyncClient,
    actors: Actors,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    files = Path(settings.storage_path)
    acme = await actors.client_org("Acme")
    buyer_user = await actors.user(Role.CLIENT_USER, acme.id)
    buyer = actors.headers(buyer_user)
    created = await client.post(
        "/api/v1/client/orders", json={"title": "Q4", "kind": "combo"}, headers=buyer
    )
    url = f"/api/v1/client/orders/{created.json()['id']}"
    review = (await client.get(f"{url}/review", headers=buyer)).json()
    assert review["ready"] is False
    assert [m["field"] for m in review["missing"]] == [
        "audience",
        "lead_goal",
        "pacing",
        "questions",
        "assets",
        "compliance_confirmed",
    ]
    refused = await client.post(f"{url}/submit", headers=buyer)
    assert refused.status_code == 422 and len(refused.json()["errors"]) == 6

    # pacing is checked: dates in order, not in the past, no more per week than the goal
    past = {"pacing": {"start_date": "2020-01-01", "end_date": "2020-02-01"}, "lead_goal": 5}
    assert (await client.patch(url, json=past, headers=buyer)).status_code == 422
    backwards = {"pacing": {"start_date": "2999-02-01", "end_date": "2999-01-01"}}
    assert (await client.patch(url, json=backwards, headers=buyer)).status_code == 422
    fast = {"lead_goal": 5, "pacing": {"leads_per_week": 6}}
    assert (await client.patch(url, json=fast, headers=buyer)).status_code == 422

    url = await ready_draft(client, buyer, kind="combo")
    # questions: each save is a new version; old ones stay readable
    pick = {"question": "Pick", "answer_type": "radio", "options": ["a", "b"]}
    bad = {"questions": [pick | {"qualifying_options": ["c"]}]}
    refused = await client.put(f"{url}/questions", json=bad, headers=buyer)
    assert refused.json()["errors"][0]["field"] == "questions.0.qualifying_options"
    team = {"question": "Team size?", "answer_type": "number", "qualifying_min": 50}
    v2 = {"questions": [team, pick | {"qualifying_options": ["b"]}]}
    saved = (await client.put(f"{url}/questions", json=v2, headers=buyer)).json()
    assert saved["version"] == 2 and saved["questions"][0]["question"] == "Team size?"
    assert [q["qualifying_options"] for q in saved["questions"]] == [[], ["b"]]
    assert [q["qualifying_min"] for q in saved["questions"]] == [50, None]
    v1 = (await client.get(f"{url}/questions?version=1", headers=buyer)).json()
    assert v1["questions"][0]["options"] == ["yes", "no"] and v1["latest_version"] == 2
    one_option = {"questions": [{"question": "Pick", "answer_type": "radio", "options": ["a"]}]}
    assert (await client.put(f"{url}/questions", json=one_option, headers=buyer)).status_code == 422

    # assets: the bytes decide the type; renamed files, unknown types and big files refused
    pdf = await client.post(f"{url}/assets", files=_file("brief.pdf", PDF), headers=buyer)
    assert pdf.status_code == 201, pdf.text
    assert pdf.json()["kind"] == "pdf" and pdf.json()["content_type"] == "application/pdf"
    docx = await client.post(f"{url}/assets", files=_file("script.docx", _docx()), headers=buyer)
    assert docx.json()["kind"] == "docx"
    renamed = await client.post(f"{url}/assets", files=_file("photo.pdf", PNG), headers=buyer)
    assert renamed.status_code == 422 and renamed.json()["errors"][0]["field"] == "file"
    exe = await client.post(f"{url}/assets", files=_file("run.exe", b"MZ\x90"), headers=buyer)
    assert exe.status_code == 422
    big = await client.post(f"{url}/assets", files=_file("big.txt", b"a" * 5000), headers=buyer)
    assert big.status_code == 413 and big.json()["code"] == "payload_too_large"
    listed = (await client.get(f"{url}/assets", headers=buyer)).json()
    assert [a["filename"] for a in listed] == ["brief.pdf", "script.docx"]
    got = await client.get(f"{url}/assets/{pdf.json()['id']}", headers=buyer)
    assert got.content == PDF and got.headers["content-type"] == "application/pdf"
    named = await client.post(f"{url}/assets", files=_file("план v2.txt", b"hi"), headers=buyer)
    assert named.json()["filename"] == "план v2.txt"
    text = await client.get(f"{url}/assets/{named.json()['id']}", headers=buyer)
    assert text.status_code == 200 and "filename*=UTF-8''" in text.headers["content-disposition"]
    await client.delete(f"{url}/assets/{named.json()['id']}", headers=buyer)
    assert await _count(sessions, AuditEntry, action="order.asset_download") == 2
    gone = await client.delete(f"{url}/assets/{docx.json()['id']}", headers=buyer)
    assert gone.status_code == 204
    assert len(list((files / "orders").rglob("*.docx"))) == 0  # the stored file went too
    assert (await client.get(f"{url}/assets/{docx.json()['id']}", headers=buyer)).status_code == 404

    # another client sees none of it
    globex = await actors.headers_for(Role.CLIENT_USER, (await actors.client_org("Globex")).id)
    for path in (
        "",
        "/assets",
        "/questions",
        "/audience",
        "/review",
        f"/assets/{pdf.json()['id']}",
    ):
        assert (await client.get(f"{url}{path}", headers=globex)).status_code == 404
    assert (await client.post(f"{url}/submit", headers=globex)).status_code == 404

    assert (await client.get(f"{url}/review", headers=buyer)).json() == {
        "ready": True,
        "missing": [],
    }
    submitted = await client.post(f"{url}/submit", headers=buyer)
    assert submitted.status_code == 200
    order = submitted.json()
    assert order["status"] == "submitted" and order["question_version"] == 2
    assert order["compliance_confirmed_by_id"] == buyer_user.id
    assert order["compliance_confirmed_at"] is not None
    assert await _count(sessions, Campaign) == 0  # submission never creates a campaign

    # submitted: the client can no longer change anything
    for response in (
        await client.patch(url, json={"title": "late"}, headers=buyer),
        await client.put(f"{url}/questions", json=v2, headers=buyer),
        await client.post(f"{url}/assets", files=_file("b.pdf", PDF), headers=buyer),
        await client.delete(f"{url}/assets/{pdf.json()['id']}", headers=buyer),
        await client.post(f"{url}/submit", headers=buyer),
    ):
        assert response.status_code == 409, response.text
        assert response.json()["code"] == "illegal_transition"
    staff = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    order_url = f"/api/v1/orders/{order['id']}"
    [asset] = (await client.get(f"{order_url}/assets", headers=staff)).json()
    assert (await client.get(f"{order_url}/assets/{asset['id']}", headers=staff)).content == PDF
    staff_v1 = (await client.get(f"{order_url}/questions?version=1", headers=staff)).json()
    assert staff_v1["version"] == 1
    # a later question version (none can be made now) would not move the pinned one
    assert (await client.get(f"{url}/questions?version=3", headers=buyer)).status_code == 404
