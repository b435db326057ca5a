"""The dialer floor on Telnyx: the real SDK against the Call Control emulator, its signed
webhooks coming back through the API's endpoint on a real uvicorn server (verified, stored,
handed to the floor), as in production but without Ray."""

import asyncio
import base64
import json
from array import array
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import websockets
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.floor import Floor, FloorConfig
from actors.gateway import DialerGateway, DialerUnavailable
from config.settings import Settings
from dialer.media.audio import RATE, read_stereo_wav, tone_level
from dialer.media.bridge import Bridge
from dialer.telnyx.media_stream import serve_streams
from dialer.telnyx.stream_auth import stream_url
from engine.agent import AgentState
from store.blobs import LocalFolderStore
from store.models import Call, CallAttempt, CampaignLead, Recording, Suppression, WebhookEvent
from tests.actors.floors import call_campaign, staffed, started, us_numbers
from tests.conftest import settings_for
from tests.support.server import serve
from tests.support.telnyx_emulator import Script, TelnyxEmulator
from tests.support.waits import wait_for
from tests.support.webrtc import AGENT_TONE_HZ, BrowserPeer

TELNYX = Ed25519PrivateKey.generate()
PUBLIC_KEY = base64.b64encode(
    TELNYX.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
).decode()
LONG_TALK = 3600.0

StartFloor = Callable[..., Awaitable[Floor]]


class FloorGateway(DialerGateway):
    """The API's way to the dialer, straight to a floor in this process (no Ray)."""

    def __init__(self) -> None:
        self.floor: Floor | None = None

    async def command(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if self.floor is None:
            raise DialerUnavailable
        value = getattr(self.floor, method)(*args, **kwargs)
        return await value if asyncio.iscoroutine(value) else value


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return settings_for(database_url, tmp_path, telnyx_public_key=PUBLIC_KEY)


@pytest.fixture
async def emulator() -> AsyncIterator[TelnyxEmulator]:
    # Telnyx-like timings at 1/100: rings of 40 ms, detection 25 ms, a 30 s timeout 0.3 s.
    async with TelnyxEmulator(signing_key=TELNYX, time_scale=0.01).running() as emulator:
        yield emulator


@pytest.fixture
async def floor_on_telnyx(
    app: FastAPI, database_url: str, emulator: TelnyxEmulator
) -> AsyncIterator[StartFloor]:
    gateway = FloorGateway()
    app.state.dialer = gateway
    floors: list[Floor] = []
    async with serve(app) as host:

        async def start(media: Bridge | None = None, streams: str | None = None) -> Floor:
            """A floor on Telnyx; with `media`, a bridge whose stream endpoint is `streams`."""
            media_options = {"media_stream_url": streams, "media_stream_secret": STREAMS}
            options = {
                "api_key": emulator.api_key,
                "connection_id": emulator.connection_id,
                "base_url": emulator.base_url,
                "webhook_base_url": f"http://{host}",
                "caller_ids": ["+12125559999"],
                "retry_backoff_s": 0.02,
            } | (media_options if media else {})
            config = FloorConfig(
                database_url=database_url,
                carrier="telnyx",
                carrier_options=options,
                tick_seconds=0.02,
                flush_seconds=0.01,
                low_water=20,
            )
            floor = await started(config, media=media)
            gateway.floor = floor
            floors.append(floor)
            return floor

        yield start
        for floor in floors:
            await floor.close()


async def rows(sessions: async_sessionmaker[AsyncSession], query: Any) -> list[Any]:
    async with sessions() as session:
        return list((await session.execute(query)).all())


def state(floor: Floor, agent_id: int) -> AgentState:
    return floor.agents[agent_id].state


async def test_an_answered_call_reaches_the_agent_and_hanging_up_starts_wrap_up(
    floor_on_telnyx: StartFloor,
    emulator: TelnyxEmulator,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    (number,) = us_numbers(1)
    emulator.script(number, outcome="answered", talk_s=LONG_TALK)
    campaign, (agent_id,) = await call_campaign(sessions, [number], 1)
    floor = await floor_on_telnyx()
    await staffed(floor, [campaign], [agent_id])

    await wait_for(lambda: state(floor, agent_id) is AgentState.ON_CALL)
    (call,) = emulator.placed(number)
    assert call.amd == "detect" and call.from_ == "+12125559999"
    await floor.hangup(agent_id)
    await wait_for(lambda: state(floor, agent_id) is AgentState.WRAP_UP)
    assert call.hangup_cause == "normal_clearing"
    await asyncio.sleep(0.05)  # write-behind
    ((status, answered_at, ended_at),) = await rows(
        sessions, select(Call.status, Call.answered_at, Call.ended_at)
    )
    assert status == "ended" and answered_at is not None and ended_at is not None
    ((carrier, carrier_call_id),) = await rows(
        sessions, select(CallAttempt.carrier, CallAttempt.carrier_call_id)
    )
    assert (carrier, carrier_call_id) == ("telnyx", call.call_control_id)
    snapshot = await floor.dispose(
        agent_id,
        code="qualified",
        answers={"budget": "Yes"},
        notes=None,
        callback_at=None,
        callback_to_me=False,
    )
    assert snapshot["state"] == "ready"
    types = {t for (t,) in await rows(sessions, select(WebhookEvent.event_type))}
    assert {"call.initiated", "call.answered", "call.hangup"} <= types


async def test_busy_and_no_answer_release_the_agents_and_schedule_the_retry(
    floor_on_telnyx: StartFloor,
    emulator: TelnyxEmulator,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    busy, silent = us_numbers(2)
    emulator.script(busy, outcome="busy")
    emulator.script(silent, outcome="no_answer")
    campaign, agents = await call_campaign(sessions, [busy, silent], 2)
    floor = await floor_on_telnyx()
    await staffed(floor, [campaign], agents)

    await wait_for(
        lambda: floor.campaign_snapshot(campaign)["dispositions"].keys() >= {"busy", "no_answer"}
    )
    await wait_for(lambda: all(state(floor, a) is AgentState.READY for a in agents))
    await asyncio.sleep(0.05)
    assert floor.campaign_snapshot(campaign)["connects"] == 0
    leads = await rows(
        sessions,
        select(CampaignLead.attempts, CampaignLead.next_attempt_at, CampaignLead.last_disposition),
    )
    now = datetime.now(UTC)
    assert sorted(d for _, _, d in leads) == ["busy", "no_answer"]
    assert all(
        attempts == 1 and next_at is not None and next_at > now for attempts, next_at, _ in leads
    )
    assert sorted(c.hangup_cause or "" for c in emulator.placed()) == ["timeout", "user_busy"]
    assert len(emulator.dials) == 2  # nothing is retried before its time


async def test_suppressed_numbers_are_never_sent_to_telnyx(
    floor_on_telnyx: StartFloor,
    emulator: TelnyxEmulator,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    numbers = us_numbers(6)
    emulator.default = Script(outcome="busy")
    async with sessions() as session, session.begin():
        session.add_all(Suppression(kind="phone", value=n, source="test") for n in numbers[:2])
    campaign, agents = await call_campaign(sessions, numbers, 3)
    floor = await floor_on_telnyx()
    floor.suppress_numbers([numbers[2]])  # suppressed since start, not yet in the table
    await staffed(floor, [campaign], agents)
    await wait_for(lambda: len(emulator.dials) == 3)
    await emulator.wait_idle()
    await asyncio.sleep(0.1)
    assert sorted(d.to for d in emulator.dials) == numbers[3:]


async def test_a_machine_releases_the_agent_and_we_hang_up_on_it(
    floor_on_telnyx: StartFloor,
    emulator: TelnyxEmulator,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    (number,) = us_numbers(1)
    emulator.script(number, outcome="machine", talk_s=LONG_TALK)
    campaign, (agent_id,) = await call_campaign(sessions, [number], 1)
    floor = await floor_on_telnyx()
    await staffed(floor, [campaign], [agent_id])
    await wait_for(lambda: floor.campaign_snapshot(campaign)["dispositions"].get("machine") == 1)
    (call,) = emulator.placed(number)
    await wait_for(lambda: call.state == "ended")
    assert [c for c, _ in emulator.commands_for("hangup")] == [call.call_control_id]
    assert state(floor, agent_id) is AgentState.READY
    assert floor.campaign_snapshot(campaign)["connects"] == 0


async def test_duplicated_out_of_order_and_forged_webhooks(
    floor_on_telnyx: StartFloor,
    emulator: TelnyxEmulator,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Every webhook twice, the hangup before the answer: the call is answered and ended
    once. A forged hangup for a live call is refused with 401 and changes nothing."""
    racy, live = us_numbers(2)
    emulator.script(racy, talk_s=5.0, duplicate=True, hangup_first=True)
    emulator.script(live, talk_s=LONG_TALK)
    campaign, agents = await call_campaign(sessions, [racy, live], 2)
    floor = await floor_on_telnyx()
    await staffed(floor, [campaign], agents)

    await wait_for(lambda: len(emulator.placed()) == 2)
    (live_call,) = emulator.placed(live)
    both = {AgentState.ON_CALL, AgentState.WRAP_UP}
    await wait_for(lambda: {state(floor, a) for a in agents} == both)
    assert floor.campaign_snapshot(campaign)["connects"] == 2
    live_agent = next(a for a in agents if state(floor, a) is AgentState.ON_CALL)

    def hangups() -> list[Any]:
        return [d for d in emulator.deliveries if d.event_type == "call.hangup"]

    await wait_for(lambda: len(hangups()) == 2)  # the same event delivered twice
    assert all(d.status == 200 for d in hangups())
    forged = emulator.event(live_call, "call.hangup", hangup_cause="normal_clearing")
    refused = await emulator.post(
        live_call.webhook_url or "", forged, key=Ed25519PrivateKey.generate()
    )
    assert refused.status_code == 401 and refused.json()["code"] == "unauthenticated"
    stale = await emulator.post(live_call.webhook_url or "", forged, timestamp=1_000_000_000)
    assert stale.status_code == 401
    await asyncio.sleep(0.1)
    assert state(floor, live_agent) is AgentState.ON_CALL
    assert live_call.state == "answered"


STREAMS = "stream-signing-secret"


@pytest.fixture
async def bridge(tmp_path: Path) -> AsyncIterator[tuple[Bridge, str]]:
    """The media bridge with its Telnyx stream endpoint on a free local port."""
    bridge = Bridge(LocalFolderStore(tmp_path))
    server = await serve_streams(bridge, host="127.0.0.1", port=0, secret=STREAMS)
    port = server.sockets[0].getsockname()[1]
    yield bridge, f"ws://127.0.0.1:{port}"
    server.close()
    await bridge.close()


async def test_a_softphone_talks_to_the_callee_through_the_telnyx_media_stream(
    floor_on_telnyx: StartFloor,
    emulator: TelnyxEmulator,
    sessions: async_sessionmaker[AsyncSession],
    bridge: tuple[Bridge, str],
) -> None:
    media, streams = bridge
    (number,) = us_numbers(1)
    emulator.script(number, outcome="answered", talk_s=2.0 / emulator.time_scale)
    campaign, (agent_id,) = await call_campaign(sessions, [number], 1)
    softphone = BrowserPeer()
    try:
        offer = await softphone.offer()
        await softphone.accept(await media.offer(agent_id, offer["sdp"], offer["type"]))
        floor = await floor_on_telnyx(media=media, streams=streams)
        await staffed(floor, [campaign], [agent_id])
        await wait_for(lambda: state(floor, agent_id) is AgentState.ON_CALL)
        heard_from = len(softphone.heard)
        await wait_for(lambda: state(floor, agent_id) is AgentState.WRAP_UP, within=10)
        await wait_for(lambda: bool(media.blobs and not media.calls), within=5)
        heard = softphone.heard_since(heard_from)
    finally:
        await softphone.close()

    (call,) = emulator.placed(number)
    (stream_command,) = emulator.commands_for("streaming_start")
    assert stream_command[1]["stream_bidirectional_mode"] == "rtp"
    assert call.stream_error is None
    assert tone_level(heard, 300.0) > 0.05  # the callee reached the softphone
    callee_heard = array("h", bytes(call.heard))
    assert tone_level(callee_heard[RATE // 4 :], AGENT_TONE_HZ) > 0.05  # and the agent the callee
    await asyncio.sleep(0.1)  # write-behind of the recording row
    ((url,),) = await rows(sessions, select(Recording.url))
    left, right, _ = read_stereo_wav(await media.blobs.read(url.removeprefix("blob:")))
    # a 2 s call: from the answer to the hang-up reaching the bridge, which a loaded
    # machine delivers late (3.2 s seen in CI); an empty or cut recording fails the floor
    assert 1.5 <= len(left) / RATE <= 4.0
    assert tone_level(left[RATE // 4 :], AGENT_TONE_HZ) > 0.1
    assert tone_level(right[RATE // 4 :], 300.0) > 0.05
    assert tone_level(right[RATE // 4 :], AGENT_TONE_HZ) < 0.01
    assert not emulator.commands_for("record_start")  # the bridge recorded it, not Telnyx


async def test_a_stream_without_a_valid_signature_is_turned_away(
    bridge: tuple[Bridge, str],
) -> None:
    media, streams = bridge
    media.stream("call-1")  # a bridged call, so only the signature stands in the way
    for url in (f"{streams}/telnyx?call=call-1&sig=forged", f"{streams}/other", streams):
        async with websockets.connect(url) as socket:
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await socket.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
    good = stream_url(streams, "call-1", STREAMS)
    async with websockets.connect(good) as socket:
        await socket.send(json.dumps({"event": "connected", "version": "1.0.0"}))
        await socket.send(json.dumps({"event": "stop"}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await socket.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1000


async def test_telnyx_recordings_of_calls_without_a_softphone_are_kept_in_storage(
    floor_on_telnyx: StartFloor,
    emulator: TelnyxEmulator,
    sessions: async_sessionmaker[AsyncSession],
    bridge: tuple[Bridge, str],
) -> None:
    media, streams = bridge
    (number,) = us_numbers(1)
    emulator.script(number, outcome="answered", talk_s=LONG_TALK)
    campaign, (agent_id,) = await call_campaign(sessions, [number], 1)
    floor = await floor_on_telnyx(media=media, streams=streams)  # the agent has no softphone
    await staffed(floor, [campaign], [agent_id])
    await wait_for(lambda: state(floor, agent_id) is AgentState.ON_CALL)
    # the recording starts just after the answer: a hangup sent before it leaves nothing to keep
    await wait_for(lambda: emulator.commands_for("record_start"))
    await floor.hangup(agent_id)

    async def stored() -> list[Any]:
        return await rows(sessions, select(Recording.url))

    await wait_for(stored)  # the recording is saved after the hangup, then written behind
    ((url,),) = await stored()
    assert not emulator.commands_for("streaming_start")
    assert url.startswith("blob:") and url.endswith("-carrier.wav")
    left, right, rate = read_stereo_wav(await media.blobs.read(url.removeprefix("blob:")))
    assert rate == 8000 and len(left) == 8000
    assert tone_level(left, 300.0) > 0.1 and tone_level(right, 700.0) > 0.1


async def test_a_recording_that_cannot_be_fetched_keeps_its_link(
    bridge: tuple[Bridge, str],
) -> None:
    media, _ = bridge
    assert await media.keep_recording("call-9", "http://127.0.0.1:9/missing.wav") is None
