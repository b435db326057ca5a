"""End to end in a real browser for the people who watch the floor and read the numbers: a
campaign manager on the supervisor wallboard and the email pacing monitor (real uvicorn,
the dialer and the send pacer on real Ray, the simulated carrier, a real SMTP server), and
a QA analyst on the reports."""

import contextlib
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.email_gateway import RayEmail
from actors.runtime import RayDialer
from api.app import create_app
from config.settings import Settings
from store import demo
from store.models import Campaign, EmailMessage, User
from tests.actors.emails import Sink
from tests.api.activity import Activity
from tests.support.server import serve
from tests.ui.browser import (
    check_accessibility,
    chromium,
    needs_built_ui,
    new_page,
    screenshot,
    sign_in,
)
from tests.ui.floor import demo_campaign, demo_floor, ray_dialer

pytestmark = needs_built_ui


@pytest.fixture
async def dialer(
    local_ray: None, settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[RayDialer]:
    """Started once `sessions` emptied the tables (it rebuilds its state from them)."""
    async with ray_dialer(settings) as started:
        yield started


@contextlib.asynccontextmanager
async def send_pacer(settings: Settings, dialer: RayDialer) -> AsyncIterator[RayEmail]:
    """The email pacer in the dialer's namespace, so its events share the dialer's hub."""
    pacer = RayEmail(settings, namespace=dialer.namespace)
    await pacer.start()
    try:
        yield pacer
    finally:
        await pacer.close()


@contextlib.asynccontextmanager
async def api_agent(base: str, email: str) -> AsyncIterator[httpx.AsyncClient]:
    """An agent driven through the API (not a browser): signed in, its token set."""
    async with httpx.AsyncClient(base_url=f"{base}api/v1") as client:
        login = await client.post(
            "/auth/login", json={"email": email, "password": demo.DEMO_PASSWORD}
        )
        client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        yield client


async def test_a_manager_watches_the_floor_and_paces_email_live(
    dialer: RayDialer,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    sink: Sink,
) -> None:
    from playwright.async_api import expect

    campaign_id = await demo_floor(sessions)
    email_campaign_id = await demo_campaign(sessions, "email")
    settings = settings.model_copy(update={"smtp_port": sink.port})
    app = create_app(settings, dialer=dialer)
    async with (
        send_pacer(settings, dialer) as pacer,
        serve(app) as host,
        chromium() as browser,
    ):
        app.state.email = pacer
        base = f"http://localhost:{host.rsplit(':', 1)[1]}/"
        manager = await new_page(browser)
        await sign_in(manager, base, demo.DEMO_LOGINS[1].email)
        await expect(manager.get_by_role("heading", name="Supervisor wallboard")).to_be_visible()
        await expect(manager.get_by_test_id("stream-status")).to_have_attribute(
            "data-status", "open"
        )
        campaign = manager.get_by_test_id(f"campaign-{campaign_id}")
        await campaign.get_by_role("button", name="Start").click()
        await expect(campaign.get_by_test_id("campaign-status")).to_have_text("running")
        # running with nobody logged in: the wallboard says so
        await expect(campaign.get_by_test_id("campaign-alert")).to_contain_text("No agents")

        # An agent, driven through the API, logs in (paused) and goes ready: a call comes.
        agent_email = demo.DEMO_LOGINS[4].email
        async with sessions() as session:
            agent_id = await session.scalar(select(User.id).where(User.email == agent_email))
        async with api_agent(base, agent_email) as agent:
            login = await agent.post("/console/login", json={"campaign_ids": [campaign_id]})
            assert login.status_code == 200, login.text
            row = manager.get_by_test_id(f"agent-{agent_id}")
            await expect(row.get_by_test_id("agent-name")).to_have_text("Agent1")
            await expect(row.get_by_test_id("agent-row-state")).to_have_attribute(
                "data-state", "paused"
            )
            assert (await agent.post("/console/ready")).status_code == 200
            await expect(row.get_by_test_id("agent-row-state")).to_have_attribute(
                "data-state", "on_call"
            )
            await expect(row.get_by_test_id("agent-call")).to_contain_text("Call #")
            await expect(row.get_by_test_id("agent-campaign")).to_have_text("Acme Q1 IT outreach")
            await expect(campaign.get_by_test_id("dials")).not_to_have_text("0")
            await screenshot(manager, "wallboard")
            await check_accessibility(manager, "wallboard")

            # Retry rules and priority changed on the running campaign, from the wallboard.
            await campaign.get_by_role("button", name="Settings of Acme Q1 IT outreach").click()
            dialog = manager.get_by_role("dialog")
            await dialog.get_by_label("Max attempts").fill("5")
            await dialog.get_by_label(re.compile(r"^Priority")).fill("30")
            await check_accessibility(manager, "wallboard settings")
            await dialog.get_by_role("button", name="Save and apply").click()
            await expect(dialog).to_be_hidden()
            async with sessions() as session:
                stored = await session.get_one(Campaign, campaign_id)
            assert stored.settings["retry"]["max_attempts"] == 5
            assert stored.settings["priority"] == 30
            await agent.post("/console/hangup")

        # The email pacing monitor: start the campaign, watch it send, change its rate.
        await manager.get_by_role("link", name="Email pacing").click()
        await manager.get_by_role("button", name="Start Acme Q1 nurture").click()
        card = manager.get_by_test_id(f"email-campaign-{email_campaign_id}")
        await expect(card.get_by_test_id("email-status")).to_have_text("running")
        await expect(card.get_by_test_id("set-rate")).to_have_text("60")
        await expect(card.get_by_test_id("count-sent")).not_to_have_text("0")
        await card.get_by_label("New rate (messages per minute)").fill("150")
        await card.get_by_role("button", name="Set rate").click()
        await expect(card.get_by_test_id("set-rate")).to_have_text("150")
        await expect(card.get_by_test_id("rate-chart").locator("canvas")).to_be_visible()
        await screenshot(manager, "email-pacing")
        await check_accessibility(manager, "email pacing")
        await card.get_by_role("button", name="Pause").click()
        await expect(card.get_by_test_id("email-status")).to_have_text("paused")

        # Resumed at full speed, it sends the rest and completes by itself.
        await card.get_by_role("button", name="Resume").click()
        await expect(card.get_by_test_id("email-status")).to_have_text("running")
        await card.get_by_label("New rate (messages per minute)").fill("60000")
        await card.get_by_role("button", name="Set rate").click()
        await expect(card.get_by_test_id("email-status")).to_have_text("completed", timeout=30_000)
        await expect(card.get_by_role("button", name="Stop")).to_have_count(0)
        await expect(card.get_by_test_id("count-queued")).to_have_text("0")
        async with sessions() as session:
            query = select(EmailMessage.status).where(EmailMessage.campaign_id == email_campaign_id)
            statuses = list(await session.scalars(query))
        await expect(card.get_by_test_id("count-sent")).to_have_text(str(statuses.count("sent")))
        await expect(card.get_by_test_id("event-delivered")).to_have_text("Delivered 0")
        await card.get_by_text("Why excluded?").click()  # the demo audience has excluded contacts
        reasons = card.get_by_test_id("exclusion-reasons").get_by_role("listitem")
        await expect(reasons.first).to_contain_text("on a suppression list")
        await screenshot(manager, "email-pacing-completed")
        await check_accessibility(manager, "email pacing, completed")
    assert sink.handler.recipients()  # the messages really went out
    assert "queued" not in statuses and "sending" not in statuses


async def test_a_qa_analyst_reads_and_exports_the_kpi_reports(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    from playwright.async_api import expect

    email_campaign_id = await demo_floor(sessions, "email")
    async with sessions() as session:
        agent_id = await session.scalar(
            select(User.id).where(User.email == demo.DEMO_LOGINS[4].email)
        )
    assert agent_id is not None
    activity = Activity(sessions)
    contacts = await activity.account("Initech", "initech.example", 3)
    call_campaign = await activity.campaign("Initech renewals")
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    await activity.call(call_campaign, contacts[0], agent_id, an_hour_ago, talk=120, lead=True)
    await activity.call(call_campaign, contacts[1], agent_id, an_hour_ago, talk=60)
    await activity.call(call_campaign, contacts[2], agent_id, an_hour_ago)
    await activity.emails(
        email_campaign_id,
        {contacts[0]: "sent", contacts[1]: "sent"},
        [(contacts[0], "open")],
        an_hour_ago,
    )
    async with sessions() as session:
        assert len((await session.scalars(select(EmailMessage))).all()) == 2

    app = create_app(settings)
    async with serve(app) as host, chromium() as browser:
        base = f"http://localhost:{host.rsplit(':', 1)[1]}/"
        qa = await new_page(browser)
        await sign_in(qa, base, demo.DEMO_LOGINS[3].email)
        await qa.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
        await expect(qa.get_by_role("heading", name="Reports")).to_be_visible()
        await qa.goto(f"{base}#/reports?report=telemarketing&by=agent")
        table = qa.get_by_test_id("report-table")
        agent_row = table.get_by_role("row").filter(has=qa.get_by_role("rowheader", name="Agent1"))
        await expect(agent_row.get_by_test_id("cell-attempts")).to_have_text("3")
        await expect(agent_row.get_by_test_id("cell-connects")).to_have_text("2")
        await expect(agent_row.get_by_test_id("cell-leads")).to_have_text("1")
        await expect(qa.get_by_test_id("report-chart").locator("canvas")).to_be_visible()
        await screenshot(qa, "reports")
        await check_accessibility(qa, "reports")

        async with qa.expect_download() as download_info:
            await qa.get_by_role("button", name="Export CSV").click()
        download = await download_info.value
        saved = tmp_path / download.suggested_filename
        await download.save_as(saved)
        assert download.suggested_filename == "telemarketing-report.csv"
        lines = saved.read_text(encoding="utf-8-sig").splitlines()
        assert any(line.startswith(f"{agent_id},Agent1,3,2,") for line in lines), lines

        # By account domain, then the email KPIs: the filters live in the URL.
        await qa.get_by_label("Group by").select_option("domain")
        await expect(qa).to_have_url(f"{base}#/reports?report=telemarketing&by=domain")
        await expect(table.get_by_role("rowheader", name="Initech")).to_be_visible()
        await qa.get_by_role("tab", name="Email").click()
        await expect(qa.get_by_test_id("total-sent")).to_have_text("2")
        await expect(qa.get_by_test_id("total-unique_opens")).to_have_text("1")
        await qa.get_by_role("tab", name="ABM coverage").click()
        await expect(table.get_by_role("rowheader", name="Initech renewals")).to_be_visible()
        await check_accessibility(qa, "reports coverage")
