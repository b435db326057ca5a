"""End to end in a real browser against a real uvicorn (the dialer on real Ray with the
simulated carrier): a client builds and submits an order through the wizard and no campaign
appears; operations link a campaign from the orders inbox; leads of that campaign are
approved; the client sees them in the report and downloads them; operations copy the order's
questions into the campaign; another client's order URL
is the not-found page. Every screen is screenshotted and checked with axe-core."""

import asyncio
import contextlib
import csv
import io
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import openpyxl
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.runtime import RayDialer
from api.app import create_app
from config.settings import Settings
from store import demo
from store.models import (
    Campaign,
    Client,
    Contact,
    Lead,
    Order,
    OrderCampaignLink,
    QualificationQuestion,
)
from tests.support.server import serve
from tests.ui.browser import (
    check_accessibility,
    chromium,
    needs_built_ui,
    new_page,
    screenshot,
    sign_in,
)

pytestmark = needs_built_ui

BUYER = demo.DEMO_LOGINS[6].email
MANAGER = demo.DEMO_LOGINS[1].email
QA = demo.DEMO_LOGINS[3].email
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


async def _seeded(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, int]:
    """The demo data; the Acme call campaign and the other client's (Globex) order."""
    async with sessions() as session, session.begin():
        await demo.seed(session)
    async with sessions() as session:
        campaign = await session.scalar(select(Campaign.id).where(Campaign.kind == "call"))
        theirs = await session.scalar(
            select(Order.id).join(Client).where(Client.name == "Globex Demo Inc")
        )
    return int(campaign or 0), int(theirs or 0)


async def _count(sessions: async_sessionmaker[AsyncSession], model: Any) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def _sheet_rows(path: Path) -> list[dict[str, Any]]:
    rows = list(openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


async def _check(page: Any, name: str) -> None:
    await screenshot(page, name)
    await check_accessibility(page, name)


async def _approve_leads(
    sessions: async_sessionmaker[AsyncSession], base: str, campaign_id: int
) -> list[int]:
    """Three qualified leads of the campaign; a QA analyst approves two through the API."""
    async with sessions() as session, session.begin():
        people = (await session.scalars(select(Contact).order_by(Contact.id).limit(3))).all()
        leads = [
            Lead(
                campaign_id=campaign_id,
                contact_id=p.id,
                answers={"budget": "Yes", "timeline": "Q2"},
            )
            for p in people
        ]
        session.add_all(leads)
    async with httpx.AsyncClient(base_url=f"{base}api/v1") as http:
        login = await http.post("/auth/login", json={"email": QA, "password": demo.DEMO_PASSWORD})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        ticks = {"icp_match": True, "consent_captured": True}
        for lead in leads:
            moved = await http.post(
                f"/leads/{lead.id}/transition", json={"to": "under_review"}, headers=headers
            )
            assert moved.status_code == 200, moved.text
        for lead in leads[:2]:
            body = {"to": "approved", "checklist": ticks}
            moved = await http.post(f"/leads/{lead.id}/transition", json=body, headers=headers)
            assert moved.status_code == 200, moved.text
    return [lead.id for lead in leads[:2]]


@contextlib.asynccontextmanager
async def _slow_uploads(page: Any) -> AsyncIterator[None]:
    """Uploads throttled to 200 kB/s (Chromium's network emulation) so progress is visible."""
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("Network.enable")
    slow = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 200_000}
    await cdp.send("Network.emulateNetworkConditions", slow)
    try:
        yield
    finally:
        await cdp.send("Network.emulateNetworkConditions", slow | {"uploadThroughput": -1})
        await cdp.detach()


async def _wizard(page: Any, tmp_path: Path) -> int:
    """The client's whole wizard, from "New order" to submission; the new order's id."""
    from playwright.async_api import expect

    await page.get_by_role("button", name="New order").click()
    await page.get_by_label("Order title").fill("Q3 IT leads")
    await page.get_by_role("radio", name="Telemarketing", exact=True).check()
    await _check(page, "portal-wizard-basics")
    await page.get_by_role("button", name="Create draft and continue").click()

    await expect(page.get_by_role("heading", name="Audience")).to_be_visible()
    # The live count follows the fields as they are typed, before anything is chosen.
    await page.get_by_role("radio", name="All contacts matching a few fields").check()
    count = page.get_by_test_id("audience-count")
    await expect(count).to_have_text(
        re.compile(r"^[\d,]+ contacts at [\d,]+ accounts match now\.$")
    )
    everyone = await count.text_content()
    await page.get_by_label("Job title contains").fill("Head of IT")
    await expect(count).not_to_have_text(everyone or "")
    await expect(count).to_have_text(re.compile(r"contacts? at [\d,]+ accounts? match now\.$"))
    await page.get_by_role("radio", name="Upload a domain list").check()
    domains = tmp_path / "targets.csv"
    domains.write_text("website\nhttps://www.company00-demo.com\ncompany01-demo.com\nunknown.org\n")
    await page.get_by_label("Domain list (CSV or TXT").set_input_files(domains)
    # what the list matches shows before it is uploaded
    await expect(count).to_have_text("10 contacts at 2 accounts match now.")
    await expect(page.get_by_test_id("match-stats")).to_contain_text("3 domains, 2 matched (67%)")
    await page.get_by_role("button", name="Upload and use as audience").click()
    await expect(page.get_by_test_id("match-stats")).to_contain_text("3 domains, 2 matched (67%)")
    await expect(page.get_by_test_id("audience-summary")).to_contain_text("10 contacts at 2")
    await _check(page, "portal-wizard-audience")

    await page.get_by_role("button", name="Next step").click()
    brief = tmp_path / "brief.pdf"
    brief.write_bytes(PDF + b"%" * 400_000)
    await page.get_by_label("File to upload").set_input_files(brief)
    async with _slow_uploads(page):
        await page.get_by_role("button", name="Upload", exact=True).click()
        # The bar moves while the bytes go out (XMLHttpRequest upload progress).
        await page.wait_for_function(
            "(() => { const bar = document.querySelector('[data-testid=upload-progress]');"
            " return bar && bar.value > 0 && bar.value < 100; })()"
        )
    await expect(page.get_by_role("list", name="Uploaded assets")).to_contain_text("brief.pdf")
    await expect(page.get_by_test_id("upload-progress")).to_have_count(0)
    await _check(page, "portal-wizard-assets")

    await page.get_by_role("button", name="Next step").click()
    start = datetime.now(UTC).date() + timedelta(days=1)
    await page.get_by_label("Lead goal", exact=True).fill("2")
    await page.get_by_label("Leads per week (optional)").fill("1")
    await page.get_by_label("Start date").fill(str(start))
    await page.get_by_label("End date").fill(str(start + timedelta(days=60)))
    await _check(page, "portal-wizard-goal")
    await page.get_by_role("button", name="Save and continue").click()

    await page.get_by_label("Question 1", exact=True).fill("Is there budget this year?")
    await page.get_by_label("Answer type").select_option("radio")
    await page.get_by_label("Options for question 1, one a line").fill("Yes\nNo")
    qualifying = page.get_by_role("group", name="Qualifying answers for question 1")
    await qualifying.get_by_role("checkbox", name="Yes").check()
    await _check(page, "portal-wizard-questions")
    await page.get_by_role("button", name="Save questions and continue").click()

    await page.get_by_label("I confirm the compliance terms above").check()
    await _check(page, "portal-wizard-compliance")
    await page.get_by_role("button", name="Save and continue").click()

    await expect(page.get_by_text("Everything is in place.")).to_be_visible()
    await _check(page, "portal-wizard-review")
    await page.get_by_role("button", name="Submit the order").click()
    await expect(page.get_by_role("heading", name="Q3 IT leads")).to_be_visible()
    return int(page.url.rsplit("/", 1)[1])


async def test_a_client_orders_operations_link_and_the_client_downloads_approved_leads(
    dialer: RayDialer,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    from playwright.async_api import expect

    campaign_id, theirs = await _seeded(sessions)
    app = create_app(settings, dialer=dialer)
    async with serve(app) as host, chromium() as browser:
        base = f"http://localhost:{host.rsplit(':', 1)[1]}/"
        client = await new_page(browser)
        await sign_in(client, base, BUYER)
        await expect(client.get_by_role("heading", name="Your orders")).to_be_visible()
        await expect(client.get_by_test_id("order-status").first).to_be_visible()
        await _check(client, "portal-orders")

        campaigns_before = await _count(sessions, Campaign)
        order_id = await _wizard(client, tmp_path)
        await expect(client.get_by_test_id("progress-text")).to_contain_text(
            "has not started a campaign"
        )
        async with sessions() as session:
            order = await session.get_one(Order, order_id)
        assert order.status == "submitted" and order.audience["contact_count"] == 10
        assert await _count(sessions, Campaign) == campaigns_before  # no campaign appeared

        # Operations find the order in the inbox and link the campaign, after confirming.
        ops = await new_page(browser)
        await sign_in(ops, base, MANAGER)
        await expect(ops.get_by_role("heading", name="Supervisor wallboard")).to_be_visible()
        await ops.get_by_role("link", name="Orders inbox").click()
        await expect(ops.get_by_test_id(f"inbox-order-{order_id}")).to_contain_text(
            "Acme Demo Corp"
        )
        await ops.get_by_test_id(f"inbox-order-{order_id}").click()
        await expect(ops.get_by_test_id("no-links")).to_be_visible()
        await ops.get_by_label("Search campaigns by name").fill("Q1 IT")
        link = ops.get_by_role("button", name="Link Acme Q1 IT outreach")
        await expect(link).to_be_enabled()
        await link.click()
        dialog = ops.get_by_role("dialog", name="Link campaign")
        await _check(ops, "inbox-link-confirm")
        await dialog.get_by_role("button", name="Link", exact=True).click()
        await expect(ops.get_by_test_id(f"link-{campaign_id}")).to_contain_text("draft")
        assert f"order={order_id}" in ops.url and "q=Q1" in ops.url  # a link reopens the view
        await _check(ops, "inbox")
        async with sessions() as session:
            links = (await session.scalars(select(OrderCampaignLink))).all()
        assert [(x.order_id, x.campaign_id) for x in links] == [(order_id, campaign_id)]

        # QA approves two of three leads; the client's report and download show those two.
        approved = await _approve_leads(sessions, base, campaign_id)
        await client.reload()
        await expect(client.get_by_test_id("progress-text")).to_contain_text(
            "2 approved leads of 2 (100%)"
        )
        await expect(client.get_by_test_id(f"campaign-approved-{campaign_id}")).to_have_text("2")
        await _check(client, "portal-report")
        async with client.expect_download() as info:
            await client.get_by_role("button", name="Download approved leads (CSV)").click()
        saved = Path(await (await info.value).path())
        rows = list(csv.DictReader(io.StringIO(await asyncio.to_thread(saved.read_text))))
        assert sorted(int(r["lead_id"]) for r in rows) == sorted(approved)
        assert {r["answer_budget"] for r in rows} == {"Yes"}
        async with client.expect_download() as info:
            await client.get_by_role("button", name="Download approved leads (XLSX)").click()
        xlsx = await info.value
        assert xlsx.suggested_filename == f"order-{order_id}-leads.xlsx"
        await xlsx.save_as(tmp_path / xlsx.suggested_filename)  # openpyxl goes by the suffix
        sheet = await asyncio.to_thread(_sheet_rows, tmp_path / xlsx.suggested_filename)
        assert sorted(int(row["lead_id"]) for row in sheet) == sorted(approved)

        # Operations give the campaign the order's questions and qualifying answers, so
        # leads are scored against the client's rules (after the downloads: keys change).
        await expect(ops.get_by_test_id("order-questions")).to_contain_text("✓ Yes (qualifies)")
        copy = "Copy the order\u2019s questions into Acme Q1 IT outreach"
        await ops.get_by_role("button", name=copy).click()
        dialog = ops.get_by_role("dialog", name="Copy questions")
        await expect(dialog).to_contain_text("current questions will be replaced")
        await _check(ops, "inbox-copy-questions-confirm")
        await dialog.get_by_role("button", name="Replace questions").click()
        await expect(ops.get_by_role("status").filter(has_text="now asks")).to_have_text(
            "\u201cAcme Q1 IT outreach\u201d now asks this order\u2019s 1 question,"
            " with its qualifying answers."
        )
        async with sessions() as session:
            asked = await session.scalars(
                select(QualificationQuestion).where(
                    QualificationQuestion.campaign_id == campaign_id
                )
            )
            copied = [(q.label, q.options, q.qualifying_options) for q in asked]
        assert copied == [("Is there budget this year?", ["Yes", "No"], ["Yes"])]

        # The dark theme (the system's preference) passes the same checks.
        await client.emulate_media(color_scheme="dark")
        await _check(client, "portal-report-dark")
        await client.goto(f"{base}#/orders/{order_id}/edit?step=review")
        await expect(client.get_by_role("button", name="See its report")).to_be_visible()
        await client.goto(f"{base}#/inbox")
        await expect(client.get_by_test_id("not-found")).to_be_visible()  # not a client screen
        await client.emulate_media(color_scheme="light")

        # Typing another client's order URL: the not-found page, for the report and the wizard.
        for path in (f"#/orders/{theirs}", f"#/orders/{theirs}/edit?step=review"):
            await client.goto(f"{base}{path}")
            await expect(client.get_by_test_id("not-found")).to_be_visible()
        await _check(client, "portal-not-found")
