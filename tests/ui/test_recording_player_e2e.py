"""End to end in a real browser: the QA player streams a recording from its signed link with
range requests, so a seek far ahead plays before the download gets there (the network is
throttled so the download takes far longer than the test)."""

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from playwright.async_api import expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from config.settings import Settings
from store import demo
from store.models import Call, Campaign, Contact, Lead, Recording, Transcript, User
from tests.ui.browser import needs_built_ui, screenshot, write_tone
from tests.ui.test_qa_e2e import qa_workspace

pytestmark = needs_built_ui

SECONDS = 40  # 3.84 MB of 48 kHz mono WAV
LINES = [
    {"speaker": "A", "text": "Hello, this is Pivotal calling.", "start": 0, "end": 5_000},
    {
        "speaker": "B",
        "text": "Tell me about the pricing at the end.",
        "start": 35_000,
        "end": 39_000,
    },
]


async def _lead(app: FastAPI, sessions: async_sessionmaker[AsyncSession], wav: Path) -> int:
    tone = write_tone(wav, 330, seconds=SECONDS).read_bytes()
    await app.state.blobs.put("recordings/player-e2e.wav", tone, content_type="audio/wav")
    async with sessions() as session, session.begin():
        await demo.seed(session)
        campaign = await session.scalar(select(Campaign).where(Campaign.kind == "call"))
        agent = await session.scalar(select(User).where(User.email == demo.DEMO_LOGINS[4].email))
        contact = await session.scalar(select(Contact).order_by(Contact.id).limit(1))
        assert campaign and agent and contact
        call = Call(
            campaign_id=campaign.id,
            contact_id=contact.id,
            agent_id=agent.id,
            phone_e164="+12125550100",
            status="completed",
        )
        session.add(call)
        await session.flush()
        recording = Recording(call_id=call.id, url="blob:recordings/player-e2e.wav")
        session.add(recording)
        await session.flush()
        session.add(Transcript(recording_id=recording.id, status="done", text="", utterances=LINES))
        lead = Lead(
            campaign_id=campaign.id,
            contact_id=contact.id,
            call_id=call.id,
            agent_id=agent.id,
            answers={},
        )
        session.add(lead)
        await session.flush()
        return lead.id


async def test_a_seek_plays_before_the_download_gets_there(
    app: FastAPI, settings: Settings, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    lead_id = await _lead(app, sessions, tmp_path / "long.wav")
    async with qa_workspace(settings) as (page, base):
        audio_requests: list[dict[str, Any]] = []

        async def seen(request: Any) -> None:
            if "/audio" in request.url:
                audio_requests.append({"url": request.url, **await request.all_headers()})

        page.on("request", seen)
        cdp = await page.context.new_cdp_session(page)
        await cdp.send("Network.enable")
        await cdp.send(  # ≈ 100 KB/s: the whole file would take ≈ 40 s
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": 20,
                "downloadThroughput": 100_000,
                "uploadThroughput": -1,
            },
        )

        await page.goto(f"{base}#/qa?lead={lead_id}")
        drawer = page.get_by_role("complementary", name=f"Lead #{lead_id}")
        await expect(drawer.get_by_role("button", name="Play")).to_be_enabled()
        await drawer.get_by_role("button", name=LINES[1]["text"]).click()  # seek to 0:35
        await drawer.get_by_role("button", name="Play").click()
        await expect(drawer.get_by_role("button", name=LINES[1]["text"])).to_have_attribute(
            "aria-current", "true"
        )
        audio = drawer.get_by_test_id("recording-audio")
        await page.wait_for_function(
            "el => el.currentTime > 35.5 && !el.paused", arg=await audio.element_handle()
        )
        buffered_to = await audio.evaluate("el => el.buffered.length ? el.buffered.end(0) : 0")
        assert buffered_to < 30, "the start of the file was not downloaded up to the seek"
        await screenshot(page, "qa-player-seek")

    assert audio_requests, "the player never asked for the audio"
    for request in audio_requests:  # the signed link, never the bearer token
        assert "token=" in request["url"] and "authorization" not in request
    starts = [int(r["range"].split("=")[1].split("-")[0]) for r in audio_requests if "range" in r]
    assert any(start > 3_000_000 for start in starts), starts  # a range request near 0:35
