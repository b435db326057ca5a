"""The reporting API on both databases: exact KPI numbers from calls, leads and emails made
through the dialer's and pacer's repositories; local days across a daylight-saving change;
CSV/XLSX downloads neutralised and audited; who may read reports."""

import csv
import io
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.roles import Role
from store.models import AuditEntry
from tests.api.activity import Activity, at
from tests.conftest import Actors

SHAPE = {"status", "code", "message", "errors"}


@dataclass
class World:
    laptops: int
    servers: int
    mailing: int
    agent1: int
    agent2: int
    acme: list[int]
    beta: list[int]


@pytest.fixture
async def world(sessions: async_sessionmaker[AsyncSession], actors: Actors) -> World:
    """Acme (4 contacts, one never targeted), Beta (1 contact, named like a formula), Gamma
    (never targeted); two call campaigns and one email campaign.

    Paris is UTC+1 until 2026-03-29 01:00 UTC, then UTC+2."""
    act = Activity(sessions)
    acme = await act.account("Acme", "acme.com", 4)
    beta = await act.account('=HYPERLINK("http://evil")', "beta.com", 1)
    await act.account("Gamma", "gamma.com", 2)
    agent1 = (await actors.user(Role.AGENT)).id
    agent2 = (await actors.user(Role.AGENT)).id
    laptops = await act.campaign("Laptops")
    servers = await act.campaign("Servers")
    mailing = await act.campaign("Mailing", kind="email")
    # Paris 2026-03-28 23:30, UTC 28th
    await act.call(
        laptops,
        acme[0],
        agent1,
        at("2026-03-28T22:30"),
        talk=60,
        disposition="qualified",
        lead=True,
    )
    # Paris 2026-03-29 00:30, UTC 28th
    await act.call(laptops, acme[1], agent1, at("2026-03-28T23:30"))
    # Paris 2026-03-30 00:30 (summer time), UTC 29th
    await act.call(
        laptops, beta[0], agent2, at("2026-03-29T22:30"), talk=30, disposition="not_interested"
    )
    await act.call(
        servers,
        acme[2],
        agent2,
        at("2026-03-30T10:00"),
        talk=90,
        disposition="qualified",
        lead=True,
    )
    await act.emails(
        mailing,
        {acme[0]: "sent", acme[1]: "sent", beta[0]: "bounced"},
        [
            (acme[0], "open"),
            (acme[0], "open"),
            (acme[0], "click"),
            (acme[0], "unsubscribe"),
            (acme[1], "open"),
            (acme[1], "complaint"),
        ],
        at("2026-03-30T09:00"),
    )
    return World(laptops, servers, mailing, agent1, agent2, acme, beta)


@pytest.fixture
async def manager(actors: Actors) -> dict[str, str]:
    return await actors.headers_for(Role.CAMPAIGN_MANAGER)


async def _get(client: httpx.AsyncClient, headers: dict[str, str], path: str, **params: Any) -> Any:
    response = await client.get(f"/api/v1/reports/{path}", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _calls(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["key"], row["attempts"], row["connects"], row["talk_seconds"], row["leads"])


async def test_telemarketing_kpis_by_campaign_agent_and_domain(
    client: httpx.AsyncClient, world: World, manager: dict[str, str]
) -> None:
    report = await _get(client, manager, "telemarketing", group_by="campaign")
    first, second = report["rows"]
    assert (first["key"], first["label"]) == (world.laptops, "Laptops")
    assert _calls(first) == (world.laptops, 3, 2, 90.0, 1)
    assert first["dispositions"] == {"qualified": 1, "no_answer": 1, "not_interested": 1}
    assert first["leads_by_status"] == {"new": 1}
    assert (first["connect_rate"], first["avg_talk_seconds"]) == (0.6667, 45.0)
    assert first["conversion_rate"] == 0.5
    assert _calls(second) == (world.servers, 1, 1, 90.0, 1)
    assert _calls(report["total"]) == (None, 4, 3, 180.0, 2)
    assert report["total"]["dispositions"] == {"qualified": 2, "no_answer": 1, "not_interested": 1}

    by_agent = await _get(client, manager, "telemarketing", group_by="agent")
    assert [_calls(r) for r in by_agent["rows"]] == [
        (world.agent1, 2, 1, 60.0, 1),
        (world.agent2, 2, 2, 120.0, 1),
    ]
    assert by_agent["rows"][0]["label"].startswith("agent ")

    by_domain = await _get(client, manager, "telemarketing", group_by="domain")
    assert [_calls(r) for r in by_domain["rows"]] == [
        ("acme.com", 3, 2, 150.0, 2),
        ("beta.com", 1, 1, 30.0, 0),
    ]

    only_servers = await _get(client, manager, "telemarketing", campaign_id=world.servers)
    assert [_calls(r) for r in only_servers["rows"]] == [(world.servers, 1, 1, 90.0, 1)]


async def test_days_are_local_days_of_the_time_zone_across_daylight_saving(
    client: httpx.AsyncClient, world: World, manager: dict[str, str]
) -> None:
    def days(report: dict[str, Any]) -> list[tuple[str, int, int, int]]:
        return [(r["key"], r["attempts"], r["connects"], r["leads"]) for r in report["rows"]]

    utc = await _get(client, manager, "telemarketing", group_by="day")
    assert days(utc) == [
        ("2026-03-28", 2, 1, 1),
        ("2026-03-29", 1, 1, 0),
        ("2026-03-30", 1, 1, 1),
    ]
    paris = await _get(client, manager, "telemarketing", group_by="day", tz="Europe/Paris")
    assert days(paris) == [
        ("2026-03-28", 1, 1, 1),
        ("2026-03-29", 1, 0, 0),
        ("2026-03-30", 2, 2, 1),
    ]
    one_day = await _get(
        client,
        manager,
        "telemarketing",
        group_by="day",
        tz="Europe/Paris",
        date_from="2026-03-29",
        date_to="2026-03-29",
    )
    assert days(one_day) == [("2026-03-29", 1, 0, 0)]


async def test_email_kpis_and_rates(
    client: httpx.AsyncClient, world: World, manager: dict[str, str]
) -> None:
    report = await _get(client, manager, "email", group_by="campaign")
    (row,) = report["rows"]
    counts = {k: row[k] for k in ("sent", "delivered", "opens", "unique_opens", "clicks")}
    assert counts == {"sent": 3, "delivered": 2, "opens": 3, "unique_opens": 2, "clicks": 1}
    assert (row["bounces"], row["complaints"], row["unsubscribes"]) == (1, 1, 1)
    assert (row["delivery_rate"], row["open_rate"], row["ctr"]) == (0.6667, 1.0, 0.5)
    assert (row["bounce_rate"], row["complaint_rate"]) == (0.3333, 0.5)
    assert report["total"]["sent"] == 3

    by_domain = await _get(client, manager, "email", group_by="domain")
    assert [(r["key"], r["sent"], r["delivered"], r["bounces"]) for r in by_domain["rows"]] == [
        ("acme.com", 2, 2, 0),
        ("beta.com", 1, 0, 1),
    ]
    by_day = await _get(client, manager, "email", group_by="day", tz="America/New_York")
    assert [(r["key"], r["sent"]) for r in by_day["rows"]] == [("2026-03-30", 3)]
    none = await _get(client, manager, "email", campaign_id=world.laptops)
    assert none["rows"] == [] and none["total"]["ctr"] is None

    refused = await client.get(
        "/api/v1/reports/email", headers=manager, params={"group_by": "agent"}
    )
    assert refused.status_code == 422
    assert set(refused.json()) == SHAPE


async def test_abm_coverage_and_contact_penetration(
    client: httpx.AsyncClient, world: World, manager: dict[str, str]
) -> None:
    coverage = await _get(client, manager, "abm/coverage")
    assert [
        (r["key"], r["accounts_targeted"], r["accounts_reached"], r["coverage"]) for r in coverage
    ] == [
        (world.laptops, 2, 2, 1.0),
        (world.servers, 1, 1, 1.0),
        (world.mailing, 2, 1, 0.5),
    ]
    page = await _get(client, manager, "abm/penetration")
    assert [
        (r["domain"], r["contacts"], r["contacts_targeted"], r["contacts_reached"])
        for r in page["items"]
    ] == [("acme.com", 4, 3, 3), ("beta.com", 1, 1, 1)]
    assert page["items"][0]["penetration"] == 0.75

    laptops = await _get(client, manager, "abm/penetration", campaign_id=world.laptops, limit=1)
    (acme,) = laptops["items"]
    assert (acme["contacts_targeted"], acme["contacts_reached"], acme["penetration"]) == (
        2,
        1,
        0.25,
    )
    rest = await _get(
        client, manager, "abm/penetration", campaign_id=world.laptops, cursor=laptops["next_cursor"]
    )
    assert [(r["domain"], r["penetration"]) for r in rest["items"]] == [("beta.com", 1.0)]
    assert rest["next_cursor"] is None


async def test_coverage_of_a_segment(
    client: httpx.AsyncClient, world: World, manager: dict[str, str]
) -> None:
    created = await client.post(
        "/api/v1/segments",
        headers=manager,
        json={
            "name": "Acme and Gamma",
            "filter": {
                "op": "or",
                "conditions": [
                    {"field": "account.domain", "operator": "equals", "value": "acme.com"},
                    {"field": "account.domain", "operator": "equals", "value": "gamma.com"},
                ],
            },
        },
    )
    assert created.status_code == 201, created.text
    segment_id = created.json()["id"]
    (row,) = await _get(client, manager, "abm/coverage", by="segment", segment_id=segment_id)
    assert (row["label"], row["accounts_targeted"], row["accounts_reached"]) == (
        "Acme and Gamma",
        2,
        1,
    )
    missing = await client.get(
        "/api/v1/reports/abm/coverage", headers=manager, params={"by": "segment"}
    )
    assert missing.status_code == 422


async def test_downloads_are_neutralised_and_audited(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    world: World,
    manager: dict[str, str],
) -> None:
    response = await client.get(
        "/api/v1/reports/telemarketing.csv", headers=manager, params={"group_by": "domain"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == (
        'attachment; filename="telemarketing-report.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["key"], r["label"], r["attempts"]) for r in rows] == [
        ("acme.com", "Acme", "3"),
        ("beta.com", '\'=HYPERLINK("http://evil")', "1"),
    ]
    assert rows[0]["dispositions.qualified"] == "2"
    assert rows[0]["leads_by_status.new"] == "2"

    xlsx = await client.get(
        "/api/v1/reports/abm/penetration.xlsx", headers=manager, params={"tz": "Europe/Paris"}
    )
    assert xlsx.status_code == 200, xlsx.text
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][:4] == ["account_id", "account_name", "domain", "contacts"]
    assert [v[1:6] for v in values[1:]] == [
        ["Acme", "acme.com", 4, 3, 3],
        ['\'=HYPERLINK("http://evil")', "beta.com", 1, 1, 1],
    ]

    email = await client.get("/api/v1/reports/email.xlsx", headers=manager)
    assert email.status_code == 200
    async with sessions() as session:
        entries = (
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "report.export")
                .order_by(AuditEntry.id)
            )
        ).all()
    assert [(e.target_id, e.data["format"]) for e in entries] == [
        ("telemarketing", "csv"),
        ("penetration", "xlsx"),
        ("email", "xlsx"),
    ]
    assert entries[0].data["group_by"] == "domain"
    assert entries[1].data["tz"] == "Europe/Paris"


async def test_who_may_read_reports_and_bad_filters(
    client: httpx.AsyncClient, actors: Actors, manager: dict[str, str]
) -> None:
    qa = await actors.headers_for(Role.QA_ANALYST)
    assert (await client.get("/api/v1/reports/telemarketing", headers=qa)).status_code == 200
    for role in (Role.AGENT, Role.DATA_OPS):
        headers = await actors.headers_for(role)
        assert (await client.get("/api/v1/reports/email", headers=headers)).status_code == 403
    org = await actors.client_org("Client Co")
    portal = await actors.headers_for(Role.CLIENT_USER, org.id)
    refused = await client.get("/api/v1/reports/telemarketing.csv", headers=portal)
    assert refused.status_code == 403
    for params in (
        {"tz": "Mars/Olympus"},
        {"date_from": "2026-03-02", "date_to": "2026-03-01"},
        {"group_by": "planet"},
        {"campaign_id": "0"},
    ):
        bad = await client.get("/api/v1/reports/telemarketing", headers=manager, params=params)
        assert bad.status_code == 422, params
        assert set(bad.json()) == SHAPE
