"""Telnyx webhooks → call events: the pure mapping, deduplication and ordering."""

import base64
import itertools
from typing import Any

import pytest

from dialer.carrier import CallEvent, CallEventKind
from dialer.telnyx import (
    CallTrack,
    TelnyxCarrier,
    TelnyxOptions,
    advance,
    decode_client_state,
    encode_client_state,
    parse_webhook,
)
from dialer.telnyx.carrier import _Leg

K = CallEventKind
REF = "7-42-1"
_ids = itertools.count(1)


def hook(
    event_type: str, *, at: str = "2026-01-15T13:30:00.000000Z", **payload: Any
) -> dict[str, Any]:
    return {
        "data": {
            "record_type": "event",
            "event_type": event_type,
            "id": f"evt-{next(_ids)}",
            "occurred_at": at,
            "payload": {
                "call_control_id": "v3:abc",
                "client_state": encode_client_state(REF),
                **payload,
            },
        },
        "meta": {"attempt": 1},
    }


def kinds(track: CallTrack, *bodies: dict[str, Any]) -> list[CallEventKind]:
    out: list[CallEventKind] = []
    for body in bodies:
        event = parse_webhook(body)
        assert event is not None
        out += [e.kind for e in advance(track, event).events]
    return out


def test_client_state_round_trips_and_foreign_states_are_not_ours() -> None:
    assert decode_client_state(encode_client_state(REF)) == REF
    assert decode_client_state(base64.b64encode(b"someone else's").decode()) is None
    assert decode_client_state("not base64!") is None
    assert decode_client_state(None) is None


def test_malformed_bodies_are_not_events() -> None:
    for body in ([], {}, {"data": []}, {"data": {"id": 3}}, {"data": {"id": "x"}}):
        assert parse_webhook(body) is None
    event = parse_webhook(hook("call.answered"))
    assert event is not None and event.call_ref == REF and event.call_control_id == "v3:abc"


def test_an_answered_call_with_machine_detection_is_a_person_once_detection_says_so() -> None:
    track = CallTrack(REF)
    assert kinds(track, hook("call.initiated")) == [K.INITIATED]
    assert kinds(track, hook("call.answered")) == []  # detection still running
    assert kinds(track, hook("call.machine.detection.ended", result="human")) == [K.ANSWERED]
    assert kinds(track, hook("call.hangup", hangup_cause="normal_clearing")) == [K.HANGUP]


def test_without_machine_detection_the_answer_is_the_outcome() -> None:
    track = CallTrack(REF, detect_machine=False)
    assert kinds(track, hook("call.initiated"), hook("call.answered")) == [K.INITIATED, K.ANSWERED]


@pytest.mark.parametrize(
    ("result", "outcome", "hang_up"),
    [
        ("machine", K.MACHINE, True),
        ("silence", K.MACHINE, True),
        ("fax_detected", K.FAILED, True),
        ("not_sure", K.ANSWERED, False),  # never leave a person without an agent
        ("human_business", K.ANSWERED, False),
    ],
)
def test_machine_detection_results(result: str, outcome: CallEventKind, hang_up: bool) -> None:
    track = CallTrack(REF)
    kinds(track, hook("call.initiated"), hook("call.answered"))
    event = parse_webhook(hook("call.machine.detection.ended", result=result))
    assert event is not None
    step = advance(track, event)
    assert [e.kind for e in step.events] == [outcome]
    assert step.hang_up is hang_up


@pytest.mark.parametrize(
    ("cause", "outcome"),
    [
        ("user_busy", K.BUSY),
        ("timeout", K.NO_ANSWER),
        ("no_answer", K.NO_ANSWER),
        ("call_rejected", K.FAILED),
        ("not_found", K.FAILED),
        ("unspecified", K.FAILED),
        ("something_new", K.FAILED),
    ],
)
def test_hangup_causes_of_unanswered_calls(cause: str, outcome: CallEventKind) -> None:
    track = CallTrack(REF)
    body = hook("call.hangup", hangup_cause=cause, hangup_source="callee", sip_hangup_cause="486")
    assert kinds(track, hook("call.initiated"), body) == [K.INITIATED, outcome, K.HANGUP]
    event = parse_webhook(body)
    assert event is not None
    hangup = advance(CallTrack(REF), event).events[-1]
    assert hangup.hangup_cause == cause
    assert hangup.data["hangup_source"] == "callee"


def test_we_hang_up_while_it_rings_no_outcome_just_the_end() -> None:
    track = CallTrack(REF)
    events = kinds(
        track, hook("call.initiated"), hook("call.hangup", hangup_cause="originator_cancel")
    )
    assert events == [K.INITIATED, K.HANGUP]


def test_a_hangup_before_the_answer_ends_the_call_exactly_once() -> None:
    track = CallTrack(REF)
    hangup = hook("call.hangup", hangup_cause="normal_clearing")
    assert kinds(track, hangup) == [K.INITIATED, K.ANSWERED, K.HANGUP]
    stale = [
        hook("call.initiated"),
        hook("call.answered"),
        hook("call.machine.detection.ended", result="human"),
    ]
    assert kinds(track, *stale, hangup) == []


def test_a_hangup_while_detection_runs_counts_as_answered() -> None:
    track = CallTrack(REF)
    events = kinds(
        track, hook("call.answered"), hook("call.hangup", hangup_cause="normal_clearing")
    )
    assert events == [K.INITIATED, K.ANSWERED, K.HANGUP]


def test_detection_before_the_answer_webhook_still_decides() -> None:
    track = CallTrack(REF)
    events = kinds(
        track, hook("call.machine.detection.ended", result="machine"), hook("call.answered")
    )
    assert events == [K.INITIATED, K.MACHINE]


def test_recordings_arrive_after_the_call_and_unknown_events_do_nothing() -> None:
    track = CallTrack(REF)
    kinds(track, hook("call.initiated"), hook("call.hangup", hangup_cause="user_busy"))
    saved = hook(
        "call.recording.saved",
        recording_urls={"mp3": "https://r/1.mp3", "wav": "https://r/1.wav"},
        channels="dual",
    )
    event = parse_webhook(saved)
    assert event is not None
    (recording,) = advance(track, event).events
    assert recording.kind is K.RECORDING_SAVED and recording.recording_url == "https://r/1.wav"
    assert kinds(CallTrack(REF), hook("call.speak.ended"), hook("call.bridged")) == []


# --- the carrier's ingest: deduplication, batching, ordering ----------------------------------


@pytest.fixture
async def carrier() -> Any:
    carrier = TelnyxCarrier(
        TelnyxOptions(api_key="k", connection_id="c", base_url="http://127.0.0.1:9/v2")
    )
    yield carrier
    await carrier.close()


def known_call(carrier: TelnyxCarrier, ref: str = REF) -> None:
    """A dial of ours whose request has been answered (as after `dial`)."""
    leg = carrier._legs[ref] = _Leg(CallTrack(ref), "+12125550100")
    leg.settled.set()


async def test_ingest_dedupes_on_event_id_and_delivers_one_batch(carrier: TelnyxCarrier) -> None:
    batches: list[list[CallEvent]] = []
    carrier.subscribe(batches.append)
    known_call(carrier)
    answered = hook("call.answered", at="2026-01-15T13:30:02Z")
    human = hook("call.machine.detection.ended", result="human", at="2026-01-15T13:30:04Z")
    accepted = await carrier.ingest([hook("call.initiated"), answered, answered, human])
    assert accepted == 3
    assert len(batches) == 1
    assert [e.kind for e in batches[0]] == [K.INITIATED, K.ANSWERED]
    assert {e.carrier_call_id for e in batches[0]} == {"v3:abc"}
    assert await carrier.ingest([human, answered]) == 0  # redelivered
    assert carrier.counters["duplicate_webhooks"] == 3


async def test_one_batch_is_put_in_occurrence_order(carrier: TelnyxCarrier) -> None:
    batches: list[list[CallEvent]] = []
    carrier.subscribe(batches.append)
    known_call(carrier)
    bodies = [
        hook("call.hangup", hangup_cause="normal_clearing", at="2026-01-15T13:31:00Z"),
        hook("call.machine.detection.ended", result="machine", at="2026-01-15T13:30:04Z"),
        hook("call.answered", at="2026-01-15T13:30:02Z"),
    ]
    await carrier.ingest(bodies)
    assert [e.kind for e in batches[0]] == [K.INITIATED, K.MACHINE, K.HANGUP]


async def test_events_of_calls_that_are_not_ours_or_unknown_types_are_skipped(
    carrier: TelnyxCarrier,
) -> None:
    batches: list[list[CallEvent]] = []
    carrier.subscribe(batches.append)
    known_call(carrier)
    foreign = hook("call.hangup", hangup_cause="normal_clearing")
    foreign["data"]["payload"]["client_state"] = None
    assert await carrier.ingest([foreign, hook("call.speak.started"), {"nonsense": 1}]) == 0
    assert batches == []
