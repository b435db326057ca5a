"""End to end in a real browser: the demo QA analyst reviews leads from the keyboard in the
QA workspace (Debian's Chromium driven by Playwright against a real uvicorn serving ui/dist
and the API): plays a stored recording with its transcript following, approves leads after
confirming the checklist, sees the API refuse an approval with items missing, rejects one
with a reason; the database holds every decision."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from playwright.async_api import expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.app import create_app
from config.settings import Settings
from store import demo
from store.models import Call, Campaign, Contact, Lead, QaReview, Recording, Transcript, User
from tests.support.server import serve
from tests.ui.browser import (
    check_accessibility,
    chromium,
    needs_built_ui,
    new_page,
    screenshot,
    sign_in,
    write_tone,
)

pytestmark = needs_built_ui

ANSWERS = {"budget": "Yes", "timeline": "Q1", "seats": 25}
UTTERANCES = [
    {"speaker": "A", "text": "Hi, this is Agent1 calling for Pivotal.", "start": 0, "end": 900},
    {"speaker": "B", "text": "Yes, we have budget this year.", "start": 1000, "end": 1900},
    {"speaker": "B", "text": "We decide in Q1.", "start": 2000, "end": 2900},
]
SCORED = {
    "status": "done",
    "run": "r1",
    "model": "rules",
    "at": "2026-01-05T10:00:00+00:00",
    "score": 82,
    "summary": "Budget confirmed, decision in Q1.",
    "sentiment": "positive",
    "reasons": [
        {"criterion": "budget", "points": 40, "max_points": 40, "note": "Budget: Yes"},
        {"criterion": "timeline", "points": 30, "max_points": 40, "note": "Decides in Q1"},
    ],
}
TIMED_OUT = {
    "status": "failed",
    "run": "r2",
    "model": "gpt-4o-mini",
    "at": "2026-01-05T10:00:00+00:00",
    "error": "The AI did not answer within 30 s (timed out).",
}


async def _leads(app: FastAPI, sessions: async_sessionmaker[AsyncSession], tone: Path) -> list[int]:
    """Four leads of the demo call campaign by agent1; the first has a stored recording and
    a transcript, and an AI analysis; the second's analysis timed out."""
    wav = write_tone(tone, 440, seconds=3.0).read_bytes()
    await app.state.blobs.put("recordings/qa-e2e.wav", wav, content_type="audio/wav")
    ids = []
    async with sessions() as session, session.begin():
        await demo.seed(session)
        campaign = await session.scalar(select(Campaign).where(Campaign.kind == "call"))
        agent = await session.scalar(select(User).where(User.email == demo.DEMO_LOGINS[4].email))
        contacts = (await session.scalars(select(Contact).order_by(Contact.id).limit(4))).all()
        assert campaign and agent and len(contacts) == 4
        for n, contact in enumerate(contacts):
            call = Call(
                campaign_id=campaign.id,
                contact_id=contact.id,
                agent_id=agent.id,
                phone_e164="+12125550100",
                status="completed",
            )
            session.add(call)
            await session.flush()
            if n == 0:
                recording = Recording(call_id=call.id, url="blob:recordings/qa-e2e.wav")
                session.add(recording)
                await session.flush()
                session.add(
                    Transcript(
                        recording_id=recording.id,
                        status="done",
                        text=" ".join(u["text"] for u in UTTERANCES),
                        utterances=UTTERANCES,
                    )
                )
            analysis: dict[str, Any] = {0: SCORED, 1: TIMED_OUT}.get(n, {})
            lead = Lead(
                campaign_id=campaign.id,
                contact_id=contact.id,
                call_id=call.id,
                agent_id=agent.id,
                answers=ANSWERS,
                ai_analysis=analysis,
                ai_score=analysis.get("score"),
            )
            session.add(lead)
            await session.flush()
            ids.append(lead.id)
    return ids


@asynccontextmanager
async def qa_workspace(
    settings: Settings, sockets: list[str] | None = None
) -> AsyncIterator[tuple[Any, str]]:
    """The app served, and the demo QA analyst signed in on its QA workspace in a browser:
    (the page, the app's base URL). `sockets` gets the URL of every WebSocket the page opens."""
    async with serve(create_app(settings)) as host, chromium() as browser:
        base = f"http://localhost:{host.rsplit(':', 1)[1]}/"
        page = await new_page(browser)
        if sockets is not None:
            page.on("websocket", lambda socket: sockets.append(socket.url))
        await sign_in(page, base, "qa@demo.pivotal.dev")
        await expect(page.get_by_role("heading", name="QA workspace")).to_be_visible()
        yield page, base


async def test_a_qa_analyst_reviews_leads_from_the_keyboard(
    app: FastAPI, settings: Settings, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    first, second, third, fourth = await _leads(app, sessions, tmp_path / "tone.wav")
    async with qa_workspace(settings) as (page, _):
        await expect(page.get_by_test_id("lead-count")).to_have_text("4 leads")

        # j opens the first lead: analysis, transcript and the player are in the drawer
        await page.keyboard.press("j")
        drawer = page.get_by_role("complementary", name=f"Lead #{first}")
        await expect(drawer.get_by_test_id("ai-score")).to_have_text("82")
        await expect(drawer.get_by_role("button", name="Play")).to_be_enabled()
        await expect(drawer.get_by_role("button", name=UTTERANCES[1]["text"])).to_be_visible()
        assert f"lead={first}" in page.url

        # space plays; the transcript's highlight follows the recording
        await drawer.get_by_role("button", name="1.5x").click()
        await page.get_by_role("heading", name="QA workspace").click()  # focus off the button
        await page.keyboard.press(" ")
        last_line = drawer.get_by_role("button", name=UTTERANCES[2]["text"])
        await expect(last_line).to_have_attribute("aria-current", "true")
        await page.keyboard.press(" ")
        await drawer.get_by_role("button", name=UTTERANCES[0]["text"]).click()  # seeks back
        await expect(drawer.get_by_role("button", name=UTTERANCES[0]["text"])).to_have_attribute(
            "aria-current", "true"
        )
        await screenshot(page, "qa-workspace")
        await check_accessibility(page, "qa-workspace")

        # c ticks the checklist, a approves and moves on; the timed-out analysis offers a retry
        await page.keyboard.press("c")
        await page.keyboard.press("a")
        drawer = page.get_by_role("complementary", name=f"Lead #{second}")
        await expect(drawer.get_by_text("The analysis timed out")).to_be_visible()
        await expect(drawer.get_by_role("button", name="Retry")).to_be_visible()
        await page.keyboard.press("c")
        await page.keyboard.press("a")

        # r asks for the reason; Enter rejects
        drawer = page.get_by_role("complementary", name=f"Lead #{third}")
        await expect(drawer).to_be_visible()
        await page.keyboard.press("r")
        await page.get_by_role("dialog").get_by_label("Reason").fill("No budget after all")
        await page.keyboard.press("Enter")

        # an approval without the checklist is refused, in words, and the lead stays open
        drawer = page.get_by_role("complementary", name=f"Lead #{fourth}")
        await expect(drawer).to_be_visible()
        await page.keyboard.press("a")
        await expect(drawer.get_by_role("alert")).to_contain_text("The checklist is not complete")
        await expect(drawer.get_by_role("alert")).to_contain_text("Checklist: icp_match")
        await expect(drawer.get_by_test_id("drawer-status")).to_have_text("Under review")
        await expect(drawer.get_by_test_id("review-history")).to_contain_text("you")

        # the grid's status filter goes to the URL and narrows the rows
        await page.get_by_label("Status").select_option("approved")
        await expect(page.get_by_test_id("lead-count")).to_have_text("2 leads")
        assert "status=approved" in page.url

    async with sessions() as session:
        rows = (await session.execute(select(Lead.id, Lead.qa_status).order_by(Lead.id))).all()
        assert dict(rows) == {
            first: "approved",
            second: "approved",
            third: "rejected",
            fourth: "under_review",
        }
        rejected = await session.scalar(
            select(QaReview).where(QaReview.lead_id == third, QaReview.to_status == "rejected")
        )
        assert rejected is not None and rejected.reason == "No budget after all"
        reviews = await session.scalars(select(QaReview.to_status).where(QaReview.lead_id == first))
        assert list(reviews) == ["under_review", "approved"]
