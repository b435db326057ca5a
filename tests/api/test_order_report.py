"""The client's order report counts the KPIs of its linked campaigns only, with the
reporting queries; approved leads download as XLSX beside CSV from one row source."""

import io

import httpx
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.roles import Role
from store.models import AuditEntry, Lead
from tests.api.activity import Activity, at
from tests.conftest import Actors
from tests.support.orders import submitted_order


async def _approve(client: httpx.AsyncClient, qa: dict[str, str], lead_id: int) -> None:
    for step in (
        {"to": "under_review"},
        {"to": "approved", "checklist": {"icp_match": True, "consent_captured": True}},
    ):
        moved = await client.post(f"/api/v1/leads/{lead_id}/transition", json=step, headers=qa)
        assert moved.status_code == 200, moved.text


async def test_the_report_counts_linked_campaigns_only_and_leads_download_as_xlsx(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    acme, globex = await actors.client_org("Acme"), await actors.client_org("Globex")
    buyer = await actors.headers_for(Role.CLIENT_USER, acme.id)
    rival = await actors.headers_for(Role.CLIENT_USER, globex.id)
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    qa = await actors.headers_for(Role.QA_ANALYST)
    agent = (await actors.user(Role.AGENT)).id
    act = Activity(sessions)
    people = await act.account("=Target Co", "target.com", 4)
    linked = await act.campaign("Acme calls", client_id=acme.id)
    mailing = await act.campaign("Acme mails", kind="email", client_id=acme.id)
    unlinked = await act.campaign("Not in the order", client_id=acme.id)
    day = at("2026-05-04T14:00")
    await act.call(linked, people[0], agent, day, talk=40, disposition="qualified", lead=True)
    await act.call(linked, people[1], agent, day, talk=20, disposition="qualified", lead=True)
    await act.call(linked, people[2], agent, day)
    await act.call(unlinked, people[0], agent, day, talk=300, disposition="qualified", lead=True)
    await act.emails(
        mailing,
        {people[0]: "sent", people[1]: "bounced"},
        [(people[0], "open"), (people[0], "click")],
        day,
    )
    other_mailing = await act.campaign("Mails not in the order", kind="email", client_id=acme.id)
    await act.emails(other_mailing, {people[3]: "sent"}, [(people[3], "open")], day)

    order_id = await submitted_order(client, buyer, lead_goal=4)
    for campaign in (linked, mailing):
        linked_now = await client.post(
            f"/api/v1/orders/{order_id}/campaign-links",
            json={"campaign_id": campaign},
            headers=manager,
        )
        assert linked_now.status_code == 201, linked_now.text
    async with sessions() as session:
        leads = {
            campaign: lead_id
            for lead_id, campaign in (
                await session.execute(select(Lead.id, Lead.campaign_id).order_by(Lead.id))
            ).all()
        }
    await _approve(client, qa, leads[linked])  # the first lead of the linked campaign
    await _approve(client, qa, leads[unlinked])

    report = (await client.get(f"/api/v1/client/orders/{order_id}/report", headers=buyer)).json()
    calls = report["telemarketing"]
    assert (calls["attempts"], calls["connects"], calls["talk_seconds"]) == (3, 2, 60.0)
    assert (report["approved"], report["remaining"], report["progress"]) == (1, 3, 0.25)
    assert report["leads_by_status"]["approved"] == 1 and report["leads_by_status"]["new"] == 1
    mails = report["email"]
    assert (
        mails["sent"],
        mails["delivered"],
        mails["unique_opens"],
        mails["unique_clicks"],
        mails["bounces"],
    ) == (2, 1, 1, 1, 1)
    assert mails["ctr"] == 1.0
    by_campaign = {c["campaign_id"]: c for c in report["campaigns"]}
    assert set(by_campaign) == {linked, mailing}
    assert by_campaign[linked]["telemarketing"]["attempts"] == 3
    assert by_campaign[linked]["email"]["sent"] == 0
    assert by_campaign[mailing]["email"]["sent"] == 2
    assert by_campaign[mailing]["telemarketing"]["label"] == "Acme mails"

    xlsx = await client.get(f"/api/v1/client/orders/{order_id}/leads.xlsx", headers=buyer)
    assert xlsx.status_code == 200, xlsx.text
    assert (
        xlsx.headers["content-disposition"] == f'attachment; filename="order-{order_id}-leads.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    head, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert head[:3] == ["lead_id", "campaign_id", "approved_at"]
    assert [(r[0], r[head.index("company")]) for r in rows] == [(leads[linked], "'=Target Co")]
    csv_body = await client.get(f"/api/v1/client/orders/{order_id}/leads.csv", headers=buyer)
    assert csv_body.text.splitlines()[0].split(",") == head
    async with sessions() as session:
        formats = list(
            await session.scalars(
                select(AuditEntry.data)
                .where(AuditEntry.action == "order.leads_download")
                .order_by(AuditEntry.id)
            )
        )
    assert formats == [{"format": "xlsx"}, {"format": "csv"}]

    assert (
        await client.get(f"/api/v1/client/orders/{order_id}/report", headers=rival)
    ).status_code == 404
    assert (
        await client.get(f"/api/v1/client/orders/{order_id}/leads.xlsx", headers=rival)
    ).status_code == 404
    bad = await client.get(f"/api/v1/client/orders/{order_id}/leads.pdf", headers=buyer)
    assert bad.status_code == 422
