"""End to end in a real browser: Debian's Chromium driven by Playwright against a real uvicorn
serving the built UI (ui/dist) and the API, with the dialer on real Ray and the simulated
carrier. An agent signs in, takes calls and disposes them from the keyboard; a manager starts
the campaign from the supervisor wallboard and watches its numbers move."""

import asyncio
import re
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.runtime import RayDialer
from api.app import create_app
from config.settings import Settings
from dialer.media.audio import read_stereo_wav, tone_level
from store import demo
from store.models import AuditEntry, Call, Contact, Lead, Recording, Suppression, User
from tests.support.server import serve
from tests.support.webrtc import AGENT_TONE_HZ
from tests.ui.browser import (
    TIMEOUT_MS,
    check_accessibility,
    chromium,
    needs_built_ui,
    new_page,
    screenshot,
    sign_in,
    write_tone,
)
from tests.ui.floor import demo_floor

pytestmark = needs_built_ui


async def _answered_calls(
    sessions: async_sessionmaker[AsyncSession], agent_email: str
) -> list[tuple[Call, Contact]]:
    """The agent's answered calls, once the dialer's write-behind (≤ 50 ms after the event
    the page shows) has stored the first one."""
    for _ in range(100):
        calls = await _stored_answered_calls(sessions, agent_email)
        if calls:
            return calls
        await asyncio.sleep(0.05)
    return []


async def _nth_answered_call(
    sessions: async_sessionmaker[AsyncSession], agent_email: str, n: int
) -> Call:
    """The agent's n-th answered call, once the write-behind has stored it."""
    for _ in range(100):
        calls = await _stored_answered_calls(sessions, agent_email)
        if len(calls) >= n:
            return calls[n - 1][0]
        await asyncio.sleep(0.05)
    raise AssertionError(f"no {n} answered calls stored")


async def _stored_answered_calls(
    sessions: async_sessionmaker[AsyncSession], agent_email: str
) -> list[tuple[Call, Contact]]:
    async with sessions() as session:
        query = (
            select(Call, Contact)
            .join(Contact, Contact.id == Call.contact_id)
            .join(User, User.id == Call.agent_id)
            .where(User.email == agent_email, Call.answered_at.is_not(None))
            .order_by(Call.id)
        )
        return [(call, contact) for call, contact in (await session.execute(query)).all()]


async def _meter_above(page: Any, test_id: str, percent: int) -> None:
    await page.wait_for_function(
        f"Number(document.querySelector('[data-testid={test_id}]')"
        f"?.getAttribute('aria-valuenow')) > {percent}",
        timeout=TIMEOUT_MS,
    )


async def _recording_of(
    app: Any, sessions: async_sessionmaker[AsyncSession], call_id: int
) -> tuple[Any, Any]:
    """The call's stereo recording (agent, callee), once the bridge has stored it."""
    for _ in range(100):
        async with sessions() as session:
            url = await session.scalar(select(Recording.url).where(Recording.call_id == call_id))
        if url:
            left, right, _ = read_stereo_wav(await app.state.blobs.read(url.removeprefix("blob:")))
            return left, right
        await asyncio.sleep(0.1)
    raise AssertionError(f"call {call_id} has no recording")


async def test_an_agent_takes_calls_from_the_keyboard_while_a_manager_watches(
    dialer: RayDialer,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    from playwright.async_api import expect

    campaign_id = await demo_floor(sessions)
    agent_email = demo.DEMO_LOGINS[4].email
    manager_email = demo.DEMO_LOGINS[1].email
    tone = write_tone(tmp_path / "tone.wav", AGENT_TONE_HZ)

    settings = settings.model_copy(update={"media_enabled": True})
    app = create_app(settings, dialer=dialer)
    async with serve(app) as host, chromium(microphone=tone) as browser:
        base = f"http://localhost:{host.rsplit(':', 1)[1]}/"
        # The manager starts the campaign from the wallboard.
        manager = await new_page(browser)
        await sign_in(manager, base, manager_email)
        await expect(manager.get_by_role("heading", name="Supervisor wallboard")).to_be_visible()
        row = manager.get_by_test_id(f"campaign-{campaign_id}")
        await row.get_by_role("button", name="Start").click()
        await expect(row.get_by_test_id("campaign-status")).to_have_text("running")
        await expect(manager.get_by_test_id("stream-status")).to_have_attribute(
            "data-status", "open"
        )

        # The agent signs in, lands on the console and logs in to the campaign.
        agent = await new_page(browser)
        await sign_in(agent, base, agent_email)
        await expect(agent.get_by_role("heading", name="Agent console")).to_be_visible()
        await agent.get_by_role("checkbox", name="Acme Q1 IT outreach").check()
        await agent.get_by_role("button", name="Log in", exact=True).click()
        state = agent.get_by_test_id("agent-state")
        await expect(state).to_have_attribute("data-state", "paused")
        await expect(agent.get_by_test_id("stream-status")).to_have_attribute("data-status", "open")

        # The softphone: the fake microphone plays a 1 kHz tone the level meter picks up,
        # and the page opens its WebRTC session with the server's audio bridge.
        await agent.get_by_role("button", name="Enable microphone").click()
        await _meter_above(agent, "input-level", 20)
        await expect(agent.get_by_test_id("bridge-status")).to_have_attribute(
            "data-status", "connected"
        )

        # Ready from the keyboard: the next call arrives without a click.
        await agent.locator("body").press("r")
        await expect(state).to_have_attribute("data-state", "on_call")
        await expect(agent.get_by_test_id("call-status")).to_have_attribute(
            "data-status", "answered"
        )
        (first_call, first_contact), *_ = await _answered_calls(sessions, agent_email)
        pop = agent.get_by_test_id("screen-pop")
        await expect(pop.get_by_test_id("contact-name")).to_have_text(first_contact.full_name or "")
        await expect(agent.get_by_test_id("script")).to_contain_text(
            f"Hi {first_contact.first_name}, this is Agent1"
        )
        await _meter_above(agent, "call-level", 2)  # the callee's voice reaches the page
        await agent.get_by_test_id("call-notes").fill("Happy with the current vendor")
        await agent.locator("body").press("Escape")
        await screenshot(agent, "console")
        await check_accessibility(agent, "console")

        # The supervisor whispers into the call from the wallboard (its own softphone).
        await manager.get_by_role("button", name="Whisper to Agent1").click()
        status = manager.get_by_test_id("monitor-status")
        await expect(status).to_contain_text("Whispering to Agent1")
        await expect(status).to_contain_text("audio connected")
        async with sessions() as session:
            actions = set(await session.scalars(select(AuditEntry.action)))
        assert "call.whisper" in actions
        await status.get_by_role("button", name="Leave the call").click()
        await expect(status).not_to_contain_text("Whispering")

        # Hang up (H), wrap-up with its countdown, dispose "not interested" with key 3.
        await agent.locator("body").press("h")
        await expect(state).to_have_attribute("data-state", "wrap_up")
        await expect(agent.get_by_test_id("wrap-up")).to_contain_text("left")
        await agent.locator("body").press("3")
        await expect(state).not_to_have_attribute("data-state", "wrap_up")
        async with sessions() as session:
            disposed = await session.get_one(Call, first_call.id)
        assert disposed.disposition == "not_interested"
        assert disposed.notes == "Happy with the current vendor"
        # and the agent's tone reached the server: it is on the recording's agent channel
        agent_channel, callee_channel = await _recording_of(app, sessions, first_call.id)
        # (Chromium's noise suppression tames a steady tone, so the bar is relative)
        agent_tone = tone_level(agent_channel, AGENT_TONE_HZ)
        assert agent_tone > 0.01 and agent_tone > 5 * tone_level(callee_channel, AGENT_TONE_HZ)

        # Back to ready, and the next call comes: qualify it, the form checked first.
        await expect(agent.get_by_test_id("call-status")).to_have_attribute(
            "data-status", "answered"
        )
        await expect(pop.get_by_test_id("contact-name")).not_to_have_text(
            first_contact.full_name or ""
        )
        await agent.locator("body").press("h")
        await expect(state).to_have_attribute("data-state", "wrap_up")
        await agent.locator("body").press("1")
        await expect(agent.get_by_text("This answer is required.")).to_have_count(2)
        await agent.get_by_role("radio", name="Yes").check()
        await agent.get_by_label("When do you plan to decide?").select_option("Q2")
        await agent.locator("body").press("Escape")
        await agent.locator("body").press("1")
        await expect(state).not_to_have_attribute("data-state", "wrap_up")
        async with sessions() as session:
            leads = (await session.scalars(select(Lead))).all()
        assert [lead.answers for lead in leads] == [{"budget": "Yes", "timeline": "Q2"}]

        # The third callee asks not to be called again: DNC (key 8), confirmed with Y.
        await expect(agent.get_by_test_id("call-status")).to_have_attribute(
            "data-status", "answered"
        )
        third_call = await _nth_answered_call(sessions, agent_email, 3)
        await agent.locator("body").press("h")
        await expect(state).to_have_attribute("data-state", "wrap_up")
        await agent.locator("body").press("8")
        await expect(agent.get_by_role("dialog", name="Add to do-not-call?")).to_be_visible()
        await agent.keyboard.press("y")
        await expect(state).not_to_have_attribute("data-state", "wrap_up")
        async with sessions() as session:
            suppressed = set(await session.scalars(select(Suppression.value)))
            later = await session.scalars(
                select(Call.id).where(
                    Call.phone_e164 == third_call.phone_e164, Call.id > third_call.id
                )
            )
            assert later.all() == []  # not dialed again
        assert third_call.phone_e164 in suppressed

        # The manager saw the campaign's numbers move, live.
        await expect(row.get_by_test_id("dials")).to_have_text(re.compile(r"^[1-9]\d*$"))
        await expect(row.get_by_test_id("connects")).to_have_text(re.compile(r"^[1-9]"))
        await expect(manager.get_by_test_id("agents-by-state")).not_to_be_empty()
        await screenshot(manager, "monitor")
        await check_accessibility(manager, "monitor")
