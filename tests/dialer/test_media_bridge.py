"""The WebRTC bridge with two real aiortc peers: a browser stand-in whose microphone plays a
1 kHz tone, and the bridge. Recordings land in a real local storage folder."""

import asyncio
from array import array
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from dialer.media.audio import CALLEE_PITCH_HZ, RATE, read_stereo_wav, tone_level
from dialer.media.bridge import Bridge
from store.blobs import LocalFolderStore
from tests.support.webrtc import AGENT_TONE_HZ, BrowserPeer

AGENT = 7


@pytest.fixture
async def bridge(tmp_path: Path) -> AsyncIterator[Bridge]:
    bridge = Bridge(LocalFolderStore(tmp_path))
    yield bridge
    await bridge.close()


@pytest.fixture
async def browser(bridge: Bridge) -> AsyncIterator[BrowserPeer]:
    peer = BrowserPeer()
    offer = await peer.offer()
    await peer.accept(await bridge.offer(AGENT, offer["sdp"], offer["type"]))
    yield peer
    await peer.close()


async def recording(bridge: Bridge, key: str | None) -> tuple[array, array]:
    assert key is not None
    left, right, rate = read_stereo_wav(await bridge.blobs.read(key))
    assert rate == RATE
    return left, right


async def test_a_call_records_the_agent_left_and_the_callee_right(
    bridge: Bridge, browser: BrowserPeer
) -> None:
    await asyncio.sleep(0.3)  # media flowing before the call, as when an agent waits ready
    assert await bridge.connect("call-1", AGENT, record=True)
    heard_before = len(browser.heard)
    await asyncio.sleep(2.0)
    key = await bridge.release("call-1")
    left, right = await recording(bridge, key)

    assert len(left) / RATE == pytest.approx(2.0, abs=0.3)
    assert len(right) / RATE == pytest.approx(2.0, abs=0.3)
    agent, callee = left[RATE // 4 :], right[RATE // 4 :]  # past the codecs' start-up
    assert tone_level(agent, AGENT_TONE_HZ) > 0.1
    assert tone_level(agent, CALLEE_PITCH_HZ) < 0.01
    assert tone_level(callee, CALLEE_PITCH_HZ) > 0.05
    assert tone_level(callee, AGENT_TONE_HZ) < 0.01
    # and the browser heard the callee
    assert tone_level(browser.heard_since(heard_before), CALLEE_PITCH_HZ) > 0.03


async def test_the_line_outlives_calls_and_hears_silence_between_them(
    bridge: Bridge, browser: BrowserPeer
) -> None:
    for call in ("call-a", "call-b"):
        assert await bridge.connect(call, AGENT, record=True)
        await asyncio.sleep(0.6)
        assert await bridge.release(call) is not None
    idle_from = len(browser.heard)
    await asyncio.sleep(0.5)
    assert tone_level(browser.heard_since(idle_from + RATE // 10), CALLEE_PITCH_HZ) < 0.005
    assert bridge.line(AGENT).state()["connection"] == "connected"
    assert bridge.line(AGENT).state()["input_level"] > 0.05


async def test_mute_silences_the_agent_and_hold_silences_both_ways(
    bridge: Bridge, browser: BrowserPeer
) -> None:
    assert await bridge.connect("call-m", AGENT, record=True)
    await asyncio.sleep(0.5)
    bridge.control(AGENT, muted=True, held=None)
    await asyncio.sleep(1.0)
    bridge.control(AGENT, muted=False, held=True)
    held_from = len(browser.heard)
    await asyncio.sleep(1.0)
    left, right = await recording(bridge, await bridge.release("call-m"))

    muted = left[int(0.7 * RATE) : int(1.4 * RATE)]
    assert tone_level(muted, AGENT_TONE_HZ) < 0.005
    assert tone_level(right[int(0.7 * RATE) :], CALLEE_PITCH_HZ) > 0.05  # the callee still talks
    on_hold = browser.heard_since(held_from + RATE // 5)
    assert tone_level(on_hold, CALLEE_PITCH_HZ) < 0.005


async def test_no_live_line_means_no_bridge_and_no_recording(bridge: Bridge) -> None:
    assert not await bridge.connect("call-x", AGENT, record=True)
    assert await bridge.release("call-x") is None


async def test_a_new_offer_replaces_the_connection_and_keeps_the_call(
    bridge: Bridge, browser: BrowserPeer
) -> None:
    assert await bridge.connect("call-r", AGENT, record=True)
    await asyncio.sleep(0.4)
    again = BrowserPeer()  # the page reloaded mid-call
    try:
        offer = await again.offer()
        await again.accept(await bridge.offer(AGENT, offer["sdp"], offer["type"]))
        await asyncio.sleep(0.8)
        assert tone_level(again.heard[RATE // 5 :], CALLEE_PITCH_HZ) > 0.03
        left, _ = await recording(bridge, await bridge.release("call-r"))
        assert tone_level(left[-RATE // 2 :], AGENT_TONE_HZ) > 0.1
    finally:
        await again.close()


SUPERVISOR, WHISPER_HZ = 9, 600.0


async def a_supervisor(bridge: Bridge) -> BrowserPeer:
    peer = BrowserPeer(tone_hz=WHISPER_HZ)
    offer = await peer.offer()
    await peer.accept(await bridge.offer(SUPERVISOR, offer["sdp"], offer["type"]))
    return peer


async def test_a_listening_supervisor_hears_both_sides_and_nobody_hears_them(
    bridge: Bridge, browser: BrowserPeer
) -> None:
    supervisor = await a_supervisor(bridge)
    try:
        state = bridge.monitor(SUPERVISOR, AGENT, whisper=False)
        assert state["monitoring"] == {"agent_id": AGENT, "mode": "listen"}
        assert await bridge.connect("call-l", AGENT, record=True)
        agent_from, supervisor_from = len(browser.heard), len(supervisor.heard)
        await asyncio.sleep(1.5)
        left, right = await recording(bridge, await bridge.release("call-l"))
        listened = supervisor.heard_since(supervisor_from + RATE // 4)
        assert tone_level(listened, AGENT_TONE_HZ) > 0.03
        assert tone_level(listened, CALLEE_PITCH_HZ) > 0.03
        assert tone_level(browser.heard_since(agent_from), WHISPER_HZ) < 0.005
        assert tone_level(left, WHISPER_HZ) < 0.005 and tone_level(right, WHISPER_HZ) < 0.005
    finally:
        await supervisor.close()


async def test_a_whisper_reaches_the_agent_only(bridge: Bridge, browser: BrowserPeer) -> None:
    supervisor = await a_supervisor(bridge)
    try:
        assert await bridge.connect("call-w", AGENT, record=True)
        bridge.monitor(SUPERVISOR, AGENT, whisper=True)
        agent_from = len(browser.heard)
        await asyncio.sleep(1.5)
        left, right = await recording(bridge, await bridge.release("call-w"))
        agent_heard = browser.heard_since(agent_from + RATE // 4)
        assert tone_level(agent_heard, WHISPER_HZ) > 0.03  # the agent hears the supervisor
        assert tone_level(agent_heard, CALLEE_PITCH_HZ) > 0.03  # over the callee
        # the callee side (and the recording) never carries the whisper
        assert tone_level(left, WHISPER_HZ) < 0.005
        assert tone_level(right, WHISPER_HZ) < 0.005
        stopped = bridge.stop_monitoring(SUPERVISOR)
        assert stopped["monitoring"] is None
    finally:
        await supervisor.close()


async def test_a_whisper_never_reaches_a_streamed_callee(
    bridge: Bridge, browser: BrowserPeer
) -> None:
    supervisor = await a_supervisor(bridge)
    try:
        callee = bridge.stream("call-s")
        assert await bridge.connect("call-s", AGENT, record=False, streamed=True)
        bridge.monitor(SUPERVISOR, AGENT, whisper=True)
        await asyncio.sleep(1.0)
        sent = array("h")
        while not callee.outgoing.empty():
            sent.extend(callee.outgoing.get_nowait())
        assert tone_level(sent[RATE // 4 :], AGENT_TONE_HZ) > 0.1
        assert tone_level(sent, WHISPER_HZ) < 0.005
        await bridge.release("call-s")
    finally:
        await supervisor.close()


def test_a_line_cannot_monitor_itself(bridge: Bridge) -> None:
    with pytest.raises(ValueError, match="itself"):
        bridge.monitor(AGENT, AGENT, whisper=False)
