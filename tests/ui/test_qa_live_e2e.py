"""End to end in a real browser: the QA workspace follows the live stream. While the demo QA
analyst has the grid open, another reviewer moves two leads through the API and their rows
change in place (no reload: the page keeps a marker, its scroll and the open lead); the
analyst retries a timed-out analysis and a toast with a link says it ended, while the
drawer and the grid show the new score without polling. The toasts and the grid share one
stream connection."""

from pathlib import Path

import httpx
from fastapi import FastAPI
from playwright.async_api import expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from config.settings import Settings
from store import demo
from store.models import Lead
from tests.ui.browser import (
    check_accessibility,
    needs_built_ui,
    screenshot,
)
from tests.ui.test_qa_e2e import _leads, qa_workspace

pytestmark = needs_built_ui


async def test_the_qa_grid_and_drawer_follow_changes_made_elsewhere(
    app: FastAPI, settings: Settings, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    _, second, third, fourth = await _leads(app, sessions, tmp_path / "tone.wav")
    sockets: list[str] = []
    async with qa_workspace(settings, sockets) as (page, base):
        await expect(page.get_by_test_id("lead-count")).to_have_text("4 leads")
        await page.keyboard.press("j")
        await page.keyboard.press("j")
        drawer = page.get_by_role("complementary", name=f"Lead #{second}")
        await expect(drawer.get_by_role("button", name="Retry")).to_be_visible()
        await page.evaluate("window.__stillTheSamePage = true")
        grid = page.get_by_role("grid", name="Leads")

        # another reviewer, through the API: one bulk decision on two leads
        async with httpx.AsyncClient(base_url=f"{base}api/v1") as http:
            login = await http.post(
                "/auth/login",
                json={"email": "qa@demo.pivotal.dev", "password": demo.DEMO_PASSWORD},
            )
            http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
            moved = await http.post(
                "/leads/bulk", json={"ids": [third, fourth], "to": "under_review"}
            )
            assert moved.status_code == 200, moved.text
        for lead_id in (third, fourth):
            row = grid.locator(f'[data-lead="{lead_id}"]')
            await expect(row).to_contain_text("Under review")
        assert await page.evaluate("window.__stillTheSamePage === true")  # not reloaded
        await expect(drawer).to_be_visible()  # the open lead stayed open

        # the analyst retries the timed-out analysis: a toast says it ended, with a link
        await drawer.get_by_role("button", name="Retry").click()
        toast = page.get_by_test_id("toast").filter(has_text=f"Analysis of lead #{second} done")
        await expect(toast).to_be_visible()
        await expect(toast.get_by_role("link", name="Open the lead")).to_have_attribute(
            "href", f"#/qa?lead={second}"
        )
        score = drawer.get_by_test_id("ai-score")
        await expect(score).to_be_visible()
        shown = await score.inner_text()
        await expect(grid.locator(f'[data-lead="{second}"]')).to_contain_text(shown)
        await screenshot(page, "qa-live-toast")
        await check_accessibility(page, "qa-live-toast")
        assert await page.evaluate("window.__stillTheSamePage === true")
        # the toasts and the grid shared the tab's one stream connection
        streams = [url for url in sockets if "/api/v1/stream" in url]
        assert len(streams) == 1, streams

    async with sessions() as session:
        stored = await session.scalar(select(Lead.ai_score).where(Lead.id == second))
        assert str(stored) == shown
