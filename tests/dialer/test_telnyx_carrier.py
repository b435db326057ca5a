"""The Telnyx carrier through the real SDK against the Call Control emulator (no database)."""

import asyncio
import json
import time
from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api.webhooks import verify_telnyx_signature
from dialer.carrier import (
    CallEvent,
    CallEventKind,
    CallNotActive,
    CarrierError,
    DialRequest,
    UnknownCall,
    build_carrier,
)
from dialer.telnyx import TelnyxCarrier, decode_client_state
from tests.support.server import serve
from tests.support.telnyx_emulator import TelnyxEmulator
from tests.support.waits import wait_for

K = CallEventKind
TO = "+12125550100"


class Receiver:
    """Our side of the webhooks: verifies them as the API does, hands them to the carrier."""

    def __init__(self, emulator: TelnyxEmulator) -> None:
        self.emulator = emulator
        self.carrier: TelnyxCarrier | None = None
        self.url = ""
        self.app = Starlette(routes=[Route("/hook", self.hook, methods=["POST"])])

    async def hook(self, request: Request) -> JSONResponse:
        body = await request.body()
        verify_telnyx_signature(
            body,
            request.headers,
            public_key=self.emulator.public_key,
            tolerance_s=300,
            now=time.time(),
        )
        assert self.carrier is not None
        return JSONResponse({"accepted": await self.carrier.ingest([json.loads(body)])})


@pytest.fixture
async def emulator() -> AsyncIterator[TelnyxEmulator]:
    async with TelnyxEmulator(time_scale=0.01).running() as emulator:
        yield emulator


@pytest.fixture
async def receiver(emulator: TelnyxEmulator) -> AsyncIterator[Receiver]:
    receiver = Receiver(emulator)
    async with serve(receiver.app) as host:  # type: ignore[arg-type]
        receiver.url = emulator.webhook_url = f"http://{host}/hook"
        yield receiver


@pytest.fixture
async def events() -> list[CallEvent]:
    return []


@pytest.fixture
async def carrier(
    emulator: TelnyxEmulator, receiver: Receiver, events: list[CallEvent]
) -> AsyncIterator[TelnyxCarrier]:
    carrier = build_carrier(
        "telnyx",
        on_event=events.extend,
        api_key=emulator.api_key,
        connection_id=emulator.connection_id,
        base_url=emulator.base_url,
        webhook_url=receiver.url,
        caller_ids=["+12125559999", "+442071234567"],
        retry_backoff_s=0.02,
    )
    assert isinstance(carrier, TelnyxCarrier)
    receiver.carrier = carrier
    yield carrier
    await carrier.close()


def kinds(events: list[CallEvent], ref: str = "r1") -> list[CallEventKind]:
    return [e.kind for e in events if e.call_ref == ref]


async def test_a_dial_carries_machine_detection_our_ref_and_a_command_id(
    carrier: TelnyxCarrier, emulator: TelnyxEmulator, receiver: Receiver, events: list[CallEvent]
) -> None:
    emulator.script(TO, outcome="answered", talk_s=3600)
    call_id = await carrier.dial(DialRequest("r1", TO, "+15005550006", timeout_s=20))
    (dial,) = emulator.dials
    assert dial.body["answering_machine_detection"] == "detect"
    assert decode_client_state(dial.body["client_state"]) == "r1"
    assert dial.body["command_id"] == "dial-r1"
    assert dial.body["webhook_url"] == receiver.url
    assert dial.body["timeout_secs"] == 20
    assert dial.from_ == "+12125559999"  # the caller id closest to the callee
    assert call_id == dial.call_control_id

    await wait_for(lambda: K.ANSWERED in kinds(events))
    assert kinds(events) == [K.INITIATED, K.ANSWERED]
    assert {e.carrier_call_id for e in events} == {call_id}
    await carrier.hangup(call_id)
    await carrier.hangup(call_id)  # hangups race; a second one is harmless
    await wait_for(lambda: K.HANGUP in kinds(events))
    assert events[-1].hangup_cause == "normal_clearing"
    assert [body["command_id"] for _, body in emulator.commands_for("hangup")] == ["hangup-r1"]


async def test_one_attempt_is_one_call_however_often_it_is_dialed(
    carrier: TelnyxCarrier, emulator: TelnyxEmulator
) -> None:
    first, second = await asyncio.gather(
        carrier.dial(DialRequest("r1", TO, "+15005550006")),
        carrier.dial(DialRequest("r1", TO, "+15005550006")),
    )
    assert first == second
    assert len(emulator.dials) == 1
    with pytest.raises(CarrierError):
        await carrier.dial(DialRequest("r1", "+12125550199", "+15005550006"))


async def test_a_lost_dial_answer_is_retried_with_the_same_command_id_and_places_one_call(
    carrier: TelnyxCarrier, emulator: TelnyxEmulator
) -> None:
    emulator.script(TO, setup_s=1000)  # no webhook tells us about the call meanwhile
    emulator.fail_next("dial", status=500, after_effect=True)
    call_id = await carrier.dial(DialRequest("r1", TO, "+15005550006"))
    assert [d.duplicate for d in emulator.dials] == [False, True]
    assert {d.command_id for d in emulator.dials} == {"dial-r1"}
    assert len(emulator.placed(TO)) == 1
    assert call_id == emulator.placed(TO)[0].call_control_id


async def test_a_dial_that_keeps_failing_is_reported_and_a_call_placed_anyway_is_hung_up(
    carrier: TelnyxCarrier, emulator: TelnyxEmulator, events: list[CallEvent]
) -> None:
    emulator.script(TO, setup_s=20)  # the call shows up (call.initiated) after we gave up
    emulator.fail_next("dial", status=503, after_effect=True, times=3)
    with pytest.raises(CarrierError):
        await carrier.dial(DialRequest("r1", TO, "+15005550006"))
    assert len(emulator.dials) == 3 and len(emulator.placed(TO)) == 1
    (call,) = emulator.placed(TO)
    await wait_for(lambda: call.state == "ended")
    assert call.hangup_cause == "originator_cancel"  # we ended it while it rang
    assert events == []  # the floor already counted the attempt as failed
    with pytest.raises(CarrierError):  # and the attempt is never dialed again
        await carrier.dial(DialRequest("r1", TO, "+15005550006"))


async def test_a_webhook_that_overtakes_a_failing_dial_proves_the_call(
    carrier: TelnyxCarrier, emulator: TelnyxEmulator, events: list[CallEvent]
) -> None:
    emulator.script(TO, setup_s=0.1, talk_s=3600)
    emulator.fail_next("dial", status=500, after_effect=True, times=3)
    call_id = await carrier.dial(DialRequest("r1", TO, "+15005550006"))
    assert call_id == emulator.placed(TO)[0].call_control_id
    await wait_for(lambda: K.ANSWERED in kinds(events))
    assert kinds(events) == [K.INITIATED, K.ANSWERED]


async def test_refused_dials_fail_at_once(carrier: TelnyxCarrier, emulator: TelnyxEmulator) -> None:
    with pytest.raises(CarrierError, match=r"422.*Invalid phone number"):
        await carrier.dial(DialRequest("r1", "2125550100", "+15005550006"))
    assert emulator.refusals == [] and emulator.dials == []  # checked by the emulator, 422
    wrong_key = build_carrier(
        "telnyx",
        api_key="KEY_wrong",
        connection_id=emulator.connection_id,
        base_url=emulator.base_url,
    )
    try:
        with pytest.raises(CarrierError):
            await wrong_key.dial(DialRequest("r2", TO, "+15005550006"))
    finally:
        await wrong_key.close()
    assert emulator.refusals == [("/calls", 401, "10009")]  # not retried


@pytest.mark.parametrize(
    ("outcome", "expected", "cause"),
    [
        ("busy", [K.INITIATED, K.BUSY, K.HANGUP], "user_busy"),
        ("no_answer", [K.INITIATED, K.NO_ANSWER, K.HANGUP], "timeout"),
        ("rejected", [K.INITIATED, K.FAILED, K.HANGUP], "call_rejected"),
        ("machine", [K.INITIATED, K.MACHINE, K.HANGUP], "normal_clearing"),
    ],
)
async def test_outcomes(
    carrier: TelnyxCarrier,
    emulator: TelnyxEmulator,
    events: list[CallEvent],
    outcome: str,
    expected: list[CallEventKind],
    cause: str,
) -> None:
    emulator.script(TO, outcome=outcome, talk_s=3600)
    await carrier.dial(DialRequest("r1", TO, "+15005550006", timeout_s=5))
    await wait_for(lambda: K.HANGUP in kinds(events))
    assert kinds(events) == expected
    assert events[-1].hangup_cause == cause
    if outcome == "machine":  # we end machine calls ourselves
        assert events[-1].data["hangup_source"] == "caller"


async def test_duplicated_and_out_of_order_webhooks_end_the_call_once(
    carrier: TelnyxCarrier, emulator: TelnyxEmulator, events: list[CallEvent]
) -> None:
    emulator.script(TO, talk_s=5, duplicate=True, hangup_first=True)
    await carrier.dial(DialRequest("r1", TO, "+15005550006"))
    await emulator.wait_idle()
    assert kinds(events) == [K.INITIATED, K.ANSWERED, K.HANGUP]
    assert carrier.counters["duplicate_webhooks"] >= 4


async def test_recording_bridging_speaking_and_answering(
    carrier: TelnyxCarrier, emulator: TelnyxEmulator, events: list[CallEvent]
) -> None:
    emulator.script(TO, talk_s=3600)
    call_id = await carrier.dial(DialRequest("r1", TO, "+15005550006"))
    with pytest.raises(CallNotActive):
        await carrier.start_recording(call_id)
    with pytest.raises(UnknownCall):
        await carrier.hangup("v3:nobody")
    await wait_for(lambda: K.ANSWERED in kinds(events))

    agent_leg = emulator.incoming(from_="+12125557777", to="+12125559999")
    await carrier.answer(agent_leg.call_control_id)
    await wait_for(lambda: agent_leg.state == "answered")
    carrier.agent_legs["agent-1"] = agent_leg.call_control_id
    await carrier.bridge(call_id, "agent-1")
    ((_, bridge),) = emulator.commands_for("bridge")
    assert bridge["call_control_id"] == agent_leg.call_control_id
    await carrier.speak(call_id, "Hello from Pivotal")
    await carrier.start_recording(call_id)
    await carrier.stop_recording(call_id)
    await wait_for(lambda: K.RECORDING_SAVED in kinds(events))
    saved = next(e for e in events if e.kind is K.RECORDING_SAVED)
    assert saved.recording_url and saved.recording_url.endswith(".wav")
    assert saved.data["channels"] == "dual"
    assert all(body.get("command_id") for _, _, body in emulator.commands)
