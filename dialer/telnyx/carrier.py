"""TelnyxCarrier: the carrier port on Telnyx Call Control v2, through the official SDK.

A dial is `POST /calls` with answering-machine detection, our webhook URL and our call_ref
as base64 `client_state`, which Telnyx echoes in every webhook of the call: that is how each
event finds its attempt. Telnyx reports progress only by webhook; the API verifies and stores
them (api/webhooks.py) and the floor hands them to `ingest`, which turns them into the same
`CallEvent`s the simulated carrier emits.

Never two calls for one attempt:
- in this process, one dial per call_ref (a repeated dial waits for the first and returns
  its call id);
- every command carries a `command_id` (for a dial, derived from the call_ref). Telnyx
  ignores a repeated command_id for 60 s and asks callers to retry 5xx and slow answers with
  the same command ("Receiving webhooks", "Command retries" in its docs), so a timeout, a 5xx
  or a 429 is retried a few times within seconds, with backoff, and never becomes a new call;
- if the dial still fails, the attempt is reported failed, and should Telnyx have placed the
  call after all, its first webhook makes us hang it up, so no call rings without its agent.
  The same holds for calls of an earlier process (a restarted dialer shard).

Telnyx delivers webhooks late, twice or out of order; `advance` keeps each call's state so a
call reports at most one outcome and ends exactly once, whatever order events arrive in.
"""

import asyncio
import base64
import binascii
import contextlib
import inspect
import logging
import time
from collections import Counter, OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, TypeVar

from dialer.carrier import (
    CallEvent,
    CallEventKind,
    CallNotActive,
    CarrierError,
    DialRequest,
    EventCallback,
    UnknownCall,
)
from dialer.telnyx.stream_auth import stream_url

if TYPE_CHECKING:
    from telnyx import AsyncTelnyx

log = logging.getLogger(__name__)

T = TypeVar("T")

WEBHOOK_PATH = "/api/v1/webhooks/telnyx"  # where the API receives them (api/webhooks.py)
CLIENT_STATE_PREFIX = "pivotal:"  # marks calls placed by Pivotal among the account's calls

AMD_EVENTS = frozenset({"call.machine.detection.ended", "call.machine.premium.detection.ended"})
# The webhooks that move a call along; any other event type is stored by the API and ignored.
CALL_EVENTS = frozenset(
    {"call.initiated", "call.answered", "call.hangup", "call.recording.saved"} | AMD_EVENTS
)
# hangup_cause (Telnyx: call_rejected, normal_clearing, originator_cancel, timeout,
# time_limit, user_busy, not_found, no_answer, unspecified) → the outcome of an unanswered call.
BUSY_CAUSES = frozenset({"user_busy"})
NO_ANSWER_CAUSES = frozenset({"timeout", "no_answer"})
CANCEL_CAUSES = frozenset({"originator_cancel"})  # we hung up while it rang: no outcome
ANSWERED_CAUSES = frozenset({"normal_clearing", "time_limit"})  # only an answered call ends so
# Machine-detection results; anything else (human, not_sure, human_residence, ...) is taken
# for a person: a person must never be left without an agent.
MACHINE_RESULTS = frozenset({"machine", "silence"})
FAILED_RESULTS = frozenset({"fax_detected"})

_MAX_BATCH = 500  # events per subscriber call, as the simulated carrier
_REMEMBERED_EVENTS = 200_000  # event ids kept for deduplication
_REMEMBERED_CALLS = 20_000  # ended calls kept for late events (recordings)


# --- pure mapping ----------------------------------------------------------------------------


def encode_client_state(call_ref: str) -> str:
    return base64.b64encode(f"{CLIENT_STATE_PREFIX}{call_ref}".encode()).decode()


def decode_client_state(client_state: object) -> str | None:
    """Our call_ref from a webhook's client_state; None for calls Pivotal did not place."""
    if not isinstance(client_state, str) or not client_state:
        return None
    try:
        text = base64.b64decode(client_state, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    if not text.startswith(CLIENT_STATE_PREFIX):
        return None
    return text[len(CLIENT_STATE_PREFIX) :] or None


@dataclass(frozen=True, slots=True)
class TelnyxEvent:
    """The parts of one webhook the carrier reads."""

    event_id: str
    event_type: str
    at: float  # occurred_at as time.time()
    call_ref: str | None  # from client_state
    call_control_id: str | None
    payload: Mapping[str, Any]


def parse_webhook(body: object) -> TelnyxEvent | None:
    """A webhook body ({"data": {"id", "event_type", "occurred_at", "payload"}, "meta"}) as an
    event; None when it is not shaped like one."""
    if not isinstance(body, Mapping):
        return None
    data = body.get("data")
    if not isinstance(data, Mapping):
        return None
    event_id, event_type = data.get("id"), data.get("event_type")
    if not isinstance(event_id, str) or not event_id or not isinstance(event_type, str):
        return None
    payload = data.get("payload")
    if not isinstance(payload, Mapping):
        payload = {}
    control_id = payload.get("call_control_id")
    return TelnyxEvent(
        event_id=event_id,
        event_type=event_type,
        at=_timestamp(data.get("occurred_at")),
        call_ref=decode_client_state(payload.get("client_state")),
        call_control_id=control_id if isinstance(control_id, str) and control_id else None,
        payload=payload,
    )


def _timestamp(value: object) -> float:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    return time.time()


@dataclass(slots=True)
class CallTrack:
    """What we know and have reported of one call."""

    call_ref: str
    detect_machine: bool = True
    call_control_id: str | None = None
    initiated: bool = False  # INITIATED reported
    answered: bool = False  # Telnyx said the far end picked up (detection may still run)
    outcome: CallEventKind | None = None  # the one outcome reported
    ended: bool = False  # HANGUP reported


class Step(NamedTuple):
    events: list[CallEvent]
    hang_up: bool = False  # a machine (or a fax) answered: the carrier ends the call


def advance(track: CallTrack, event: TelnyxEvent) -> Step:
    """Moves one call along by one webhook and says which call events that makes.

    INITIATED always comes first; a call reports at most one outcome (answered, machine,
    busy, no_answer, failed) and one HANGUP; events after the hangup are stale and ignored,
    except a recording saved, which comes after the call by nature. With machine detection
    on, `call.answered` only opens detection: the call counts as answered by a person when
    detection says so (or cannot tell), so no agent is handed a machine. A hangup that
    overtakes the answer (webhooks are not ordered) still gives the right outcome: its cause
    tells an answered call (normal_clearing) from a busy or unanswered one.
    """
    if event.call_control_id and track.call_control_id is None:
        track.call_control_id = event.call_control_id
    kind = event.event_type
    if kind == "call.recording.saved":
        return Step([_event(track, event, CallEventKind.RECORDING_SAVED)])
    if track.ended or kind not in CALL_EVENTS:
        return Step([])
    out: list[CallEvent] = []
    if not track.initiated:
        track.initiated = True
        out.append(_event(track, event, CallEventKind.INITIATED))
    if kind == "call.answered":
        track.answered = True
        if track.outcome is None and not track.detect_machine:
            out.append(_settle(track, event, CallEventKind.ANSWERED))
    elif kind in AMD_EVENTS:
        track.answered = True  # detection only runs on an answered call
        if track.outcome is None:
            verdict = machine_verdict(event.payload.get("result"))
            out.append(_settle(track, event, verdict))
            return Step(out, hang_up=verdict is not CallEventKind.ANSWERED)
    elif kind == "call.hangup":
        track.ended = True
        cause = str(event.payload.get("hangup_cause") or "unspecified")
        if track.outcome is None:
            outcome = hangup_outcome(cause, answered=track.answered)
            if outcome is not None:
                out.append(_settle(track, event, outcome))
        out.append(_event(track, event, CallEventKind.HANGUP, hangup_cause=cause))
    return Step(out)


def machine_verdict(result: object) -> CallEventKind:
    if result in MACHINE_RESULTS:
        return CallEventKind.MACHINE
    if result in FAILED_RESULTS:
        return CallEventKind.FAILED
    return CallEventKind.ANSWERED


def hangup_outcome(cause: str, *, answered: bool) -> CallEventKind | None:
    """The outcome a hangup gives a call that had none yet."""
    if answered or cause in ANSWERED_CAUSES:
        return CallEventKind.ANSWERED
    if cause in BUSY_CAUSES:
        return CallEventKind.BUSY
    if cause in NO_ANSWER_CAUSES:
        return CallEventKind.NO_ANSWER
    if cause in CANCEL_CAUSES:
        return None
    return CallEventKind.FAILED  # call_rejected, not_found, unspecified, anything new


def _settle(track: CallTrack, event: TelnyxEvent, kind: CallEventKind) -> CallEvent:
    track.outcome = kind
    return _event(track, event, kind)


def _event(
    track: CallTrack, event: TelnyxEvent, kind: CallEventKind, hangup_cause: str | None = None
) -> CallEvent:
    payload = event.payload
    data: dict[str, Any] = {"telnyx_event_id": event.event_id, "telnyx_event": event.event_type}
    for key in ("hangup_source", "sip_hangup_cause", "result", "recording_id", "channels"):
        if payload.get(key) is not None:
            data[key] = payload[key]
    return CallEvent(
        kind,
        track.call_ref,
        track.call_control_id or "",
        event.at,
        hangup_cause=hangup_cause,
        recording_url=_recording_url(payload) if kind is CallEventKind.RECORDING_SAVED else None,
        data=data,
    )


def _recording_url(payload: Mapping[str, Any]) -> str | None:
    for key in ("recording_urls", "public_recording_urls"):
        urls = payload.get(key)
        if isinstance(urls, Mapping):
            for fmt in ("wav", "mp3"):
                if isinstance(urls.get(fmt), str) and urls[fmt]:
                    return str(urls[fmt])
    return None


# --- the carrier -----------------------------------------------------------------------------


@dataclass
class TelnyxOptions:
    api_key: str
    connection_id: str  # the Call Control application that places the calls
    webhook_base_url: str | None = None  # this API's public base; webhooks go to +WEBHOOK_PATH
    webhook_url: str | None = None  # or the full URL (wins over the base)
    caller_ids: list[str] = field(default_factory=list)
    base_url: str | None = None  # the API's base URL; None: the SDK's (api.telnyx.com/v2)
    answering_machine_detection: str = "detect"
    hang_up_machines: bool = True
    request_timeout_s: float = 5.0
    retries: int = 2  # extra tries of a command after a timeout, a 5xx or a 429
    retry_backoff_s: float = 0.2  # doubled each try; all tries stay well inside Telnyx's 60 s
    record_channels: str = "dual"  # caller and callee on their own channel
    # The media bridge's public stream endpoint (wss://...), and the secret its per-call
    # URLs are signed with; unset: agents' softphones are not bridged to Telnyx calls.
    media_stream_url: str | None = None
    media_stream_secret: str = ""
    record_format: str = "wav"
    voice: str = "female"

    def __post_init__(self) -> None:
        if not self.api_key or not self.connection_id:
            raise ValueError("the telnyx carrier needs api_key and connection_id")
        if self.retries < 0 or self.retry_backoff_s < 0 or self.request_timeout_s <= 0:
            raise ValueError("retries, retry_backoff_s must be >= 0, request_timeout_s > 0")

    @property
    def webhook(self) -> str | None:
        if self.webhook_url:
            return self.webhook_url
        if self.webhook_base_url:
            return self.webhook_base_url.rstrip("/") + WEBHOOK_PATH
        return None  # Telnyx uses the Call Control application's webhook URL


class DialRecord(NamedTuple):
    call_ref: str
    to: str
    at: float


class _Leg:
    """One outbound call of ours: its state, plus what the carrier needs around it."""

    __slots__ = ("failed", "hangup_sent", "held", "recordings", "settled", "to", "track")

    def __init__(self, track: CallTrack, to: str) -> None:
        self.track = track
        self.to = to
        self.settled = asyncio.Event()  # the dial request has an answer
        self.failed = False  # reported failed: any sign of the call makes us hang it up
        self.held: list[TelnyxEvent] = []  # webhooks that overtook the dial's own answer
        self.hangup_sent = False
        self.recordings = 0


class TelnyxCarrier:
    def __init__(self, options: TelnyxOptions, client: "AsyncTelnyx | None" = None) -> None:
        import telnyx  # here: importing the SDK costs ≈ 1.5 s, paid only where it is used

        self.options = options
        self.client = client or telnyx.AsyncTelnyx(
            api_key=options.api_key,
            base_url=options.base_url,
            max_retries=0,  # retries are ours: only with a command_id, never a bare POST
            timeout=options.request_timeout_s,
        )
        self._transient: tuple[type[Exception], ...] = (
            telnyx.APIConnectionError,  # includes timeouts
            telnyx.InternalServerError,
            telnyx.RateLimitError,
        )
        self._refused: type[Exception] = telnyx.APIStatusError
        self._omit = telnyx.omit
        self.counters: Counter[str] = Counter()
        self.dialed_numbers: list[DialRecord] = []
        self.bridges: dict[str, str] = {}  # carrier call id -> agent ref
        self.agent_legs: dict[str, str] = {}  # agent ref -> its audio leg's call control id
        self._subscribers: list[EventCallback] = []
        self._legs: dict[str, _Leg] = {}  # by call_ref
        self._by_id: dict[str, _Leg] = {}  # by call control id
        self._ended: OrderedDict[str, None] = OrderedDict()
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._orphans: set[str] = set()  # control ids of calls not ours to keep, hung up
        self._sequence: Counter[str] = Counter()
        self._delivery = asyncio.Lock()  # events reach subscribers in the order decided
        self._background: set[asyncio.Task[None]] = set()
        self._closed = False

    def subscribe(self, callback: EventCallback) -> None:
        self._subscribers.append(callback)

    # --- commands ----------------------------------------------------------------------------

    async def dial(self, request: DialRequest) -> str:
        self._check_open()
        leg = self._legs.get(request.call_ref)
        if leg is not None:
            if leg.to != request.to:
                raise CarrierError(f"call_ref {request.call_ref!r} was dialed to another number")
            await leg.settled.wait()
            if leg.failed or leg.track.call_control_id is None:
                raise CarrierError(f"the dial of {request.call_ref!r} failed")
            return leg.track.call_control_id
        leg = self._legs[request.call_ref] = _Leg(
            CallTrack(request.call_ref, detect_machine=request.detect_machine), request.to
        )
        self.counters["dialed"] += 1
        self.dialed_numbers.append(DialRecord(request.call_ref, request.to, time.time()))
        amd = self.options.answering_machine_detection if request.detect_machine else "disabled"
        try:
            response = await self._send(
                "dial",
                lambda: self.client.calls.dial(
                    connection_id=self.options.connection_id,
                    to=request.to,
                    from_=self._caller_id(request),
                    client_state=encode_client_state(request.call_ref),
                    command_id=f"dial-{request.call_ref}",
                    answering_machine_detection=amd,  # type: ignore[arg-type]
                    timeout_secs=max(5, min(600, round(request.timeout_s))),
                    webhook_url=self.options.webhook or self._omit,
                ),
            )
            control_id = response.data.call_control_id if response.data else None
            if not control_id:
                raise CarrierError("Telnyx answered the dial without a call_control_id")
        except asyncio.CancelledError:
            leg.failed = True  # placed or not, nobody waits for it: a webhook hangs it up
            leg.settled.set()
            for event in leg.held:
                self._hang_up_orphan(event)
            raise
        except Exception as exc:
            control_id = leg.track.call_control_id  # a webhook may prove the call exists
            if control_id is None:
                await self._dial_failed(leg, exc)
            log.info("dial %s: %s, but the call exists; keeping it", request.call_ref, exc)
        leg.track.call_control_id = control_id
        self._by_id[control_id] = leg
        leg.settled.set()
        proof = TelnyxEvent(
            f"dial:{request.call_ref}", "call.initiated", time.time(), None, None, {}
        )
        held, leg.held = leg.held, []
        await self._apply([(leg, e) for e in [proof, *sorted(held, key=_at)]])
        return control_id

    async def _dial_failed(self, leg: _Leg, exc: Exception) -> NoReturn:
        leg.failed = True
        leg.settled.set()
        self.counters["dial_failed"] += 1
        for event in leg.held:
            self._hang_up_orphan(event)
        leg.held = []
        raise CarrierError(f"the dial of {leg.track.call_ref!r} failed: {exc}") from exc

    async def hangup(self, carrier_call_id: str) -> None:
        leg = self._leg(carrier_call_id)
        if leg.track.ended:
            return
        await self._hang_up(leg)

    async def bridge(self, carrier_call_id: str, agent_ref: str) -> None:
        leg = self._answered(carrier_call_id)
        self.bridges[carrier_call_id] = agent_ref
        agent_leg = self.agent_legs.get(agent_ref)
        if agent_leg is None:
            return  # the agent has no audio leg on Telnyx (that comes with WebRTC audio)
        await self._command(
            "bridge",
            lambda: self.client.calls.actions.bridge(
                carrier_call_id,
                call_control_id_to_bridge_with=agent_leg,
                command_id=f"bridge-{leg.track.call_ref}-{agent_ref}",
            ),
        )

    async def start_recording(self, carrier_call_id: str) -> None:
        leg = self._answered(carrier_call_id)
        leg.recordings += 1
        await self._command(
            "record_start",
            lambda: self.client.calls.actions.start_recording(
                carrier_call_id,
                channels=self.options.record_channels,  # type: ignore[arg-type]
                format=self.options.record_format,  # type: ignore[arg-type]
                command_id=f"record_start-{leg.track.call_ref}-{leg.recordings}",
            ),
        )

    @property
    def media_streams(self) -> bool:
        return bool(self.options.media_stream_url and self.options.media_stream_secret)

    async def stream_media(self, carrier_call_id: str) -> None:
        """Telnyx streams the callee to the media bridge and plays what it sends back."""
        leg = self._answered(carrier_call_id)
        if not self.media_streams:
            raise CarrierError("no media stream endpoint is configured")
        url = stream_url(
            str(self.options.media_stream_url),
            leg.track.call_ref,
            self.options.media_stream_secret,
        )
        await self._command(
            "streaming_start",
            lambda: self.client.calls.actions.start_streaming(
                carrier_call_id,
                stream_url=url,
                stream_track="inbound_track",
                stream_bidirectional_mode="rtp",
                stream_bidirectional_codec="PCMU",
                command_id=f"streaming_start-{leg.track.call_ref}",
            ),
        )

    async def stop_recording(self, carrier_call_id: str) -> None:
        leg = self._answered(carrier_call_id)
        await self._command(
            "record_stop",
            lambda: self.client.calls.actions.stop_recording(
                carrier_call_id, command_id=f"record_stop-{leg.track.call_ref}-{leg.recordings}"
            ),
        )

    async def answer(self, carrier_call_id: str) -> None:
        """Answers an incoming call (outbound calls are answered by the far end)."""
        self._check_open()
        await self._command(
            "answer",
            lambda: self.client.calls.actions.answer(
                carrier_call_id, command_id=f"answer-{carrier_call_id}"
            ),
        )

    async def speak(
        self, carrier_call_id: str, text: str, *, voice: str | None = None, language: str = "en-US"
    ) -> None:
        """Says `text` on an answered call (text to speech)."""
        self._check_open()
        self._sequence[f"speak-{carrier_call_id}"] += 1
        n = self._sequence[f"speak-{carrier_call_id}"]
        await self._command(
            "speak",
            lambda: self.client.calls.actions.speak(
                carrier_call_id,
                payload=text,
                voice=voice or self.options.voice,
                language=language,  # type: ignore[arg-type]
                command_id=f"speak-{carrier_call_id}-{n}",
            ),
        )

    async def close(self) -> None:
        self._closed = True
        for task in list(self._background):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.client.close()

    # --- webhooks ----------------------------------------------------------------------------

    async def ingest(self, payloads: Iterable[Mapping[str, Any]]) -> int:
        """Turns verified webhook bodies into call events, delivered as one batch. Duplicates
        (by event id), unknown event types and calls that are not ours are skipped; returns
        how many webhooks moved a call of ours."""
        events = sorted((e for e in map(parse_webhook, payloads) if e is not None), key=_at)
        ready: list[tuple[_Leg, TelnyxEvent]] = []
        accepted = 0
        for event in events:
            if event.event_id in self._seen:
                self.counters["duplicate_webhooks"] += 1
                continue
            self._remember(event.event_id)
            if event.event_type not in CALL_EVENTS:
                continue
            leg = self._legs.get(event.call_ref) if event.call_ref else None
            if leg is None or leg.failed:
                if event.call_ref is not None:
                    self._hang_up_orphan(event)  # ours, but not this process's, or failed
                continue
            accepted += 1
            if not leg.settled.is_set():  # the webhook overtook the dial's own answer
                if event.call_control_id and leg.track.call_control_id is None:
                    leg.track.call_control_id = event.call_control_id
                leg.held.append(event)
                continue
            ready.append((leg, event))
        await self._apply(ready)
        return accepted

    async def _apply(self, items: list[tuple[_Leg, TelnyxEvent]]) -> None:
        async with self._delivery:
            out: list[CallEvent] = []
            for leg, event in items:
                step = advance(leg.track, event)
                out += step.events
                if leg.track.call_control_id:
                    self._by_id.setdefault(leg.track.call_control_id, leg)
                if step.hang_up and self.options.hang_up_machines:
                    self._spawn(self._hang_up(leg))
                if leg.track.ended:
                    self._retire(leg)
                for e in step.events:
                    self.counters[e.kind.value] += 1
            for start in range(0, len(out), _MAX_BATCH):
                await self._publish(out[start : start + _MAX_BATCH])

    def _retire(self, leg: _Leg) -> None:
        """Ended calls stay a while for late webhooks, then are forgotten."""
        self._ended[leg.track.call_ref] = None
        while len(self._ended) > _REMEMBERED_CALLS:
            ref, _ = self._ended.popitem(last=False)
            old = self._legs.pop(ref, None)
            if old is not None and old.track.call_control_id:
                self._by_id.pop(old.track.call_control_id, None)

    def _remember(self, event_id: str) -> None:
        self._seen[event_id] = None
        if len(self._seen) > _REMEMBERED_EVENTS:
            self._seen.popitem(last=False)

    def _hang_up_orphan(self, event: TelnyxEvent) -> None:
        """A live call of ours that nobody waits for: end it."""
        control_id = event.call_control_id
        live = event.event_type in ("call.initiated", "call.answered", *AMD_EVENTS)
        if not live or not control_id or control_id in self._orphans or self._closed:
            return
        self._orphans.add(control_id)
        self.counters["orphans_hung_up"] += 1
        log.warning(
            "hanging up call %s (ref %s): no attempt waits for it", control_id, event.call_ref
        )
        self._spawn(
            self._command(
                "hangup",
                lambda: self.client.calls.actions.hangup(
                    control_id, command_id=f"hangup-{control_id}"
                ),
                tolerate_refusal=True,
            )
        )

    # --- plumbing ----------------------------------------------------------------------------

    async def _hang_up(self, leg: _Leg) -> None:
        if leg.hangup_sent or leg.track.call_control_id is None:
            return
        leg.hangup_sent = True
        control_id = leg.track.call_control_id
        try:
            await self._command(
                "hangup",
                lambda: self.client.calls.actions.hangup(
                    control_id, command_id=f"hangup-{leg.track.call_ref}"
                ),
                tolerate_refusal=True,  # e.g. 422: the call already ended (hangups race)
            )
        except CarrierError:
            leg.hangup_sent = False
            raise

    async def _command(
        self, name: str, make: Callable[[], Awaitable[Any]], *, tolerate_refusal: bool = False
    ) -> None:
        self._check_open()
        try:
            await self._send(name, make)
        except self._refused as exc:
            if tolerate_refusal:
                log.info("telnyx refused %s: %s", name, exc)
                return
            raise CarrierError(f"telnyx refused {name}: {exc}") from exc
        except self._transient as exc:
            raise CarrierError(f"telnyx did not answer {name}: {exc}") from exc

    async def _send(self, name: str, make: Callable[[], Awaitable[T]]) -> T:
        """Sends one command, retrying what may have been lost. Only commands that carry a
        command_id come here, so a retry can never act twice."""
        for attempt in range(self.options.retries + 1):
            try:
                return await make()
            except self._transient as exc:
                if attempt == self.options.retries or self._closed:
                    raise
                self.counters["retries"] += 1
                log.info("telnyx %s: %s; retrying with the same command_id", name, exc)
                await asyncio.sleep(self.options.retry_backoff_s * 2**attempt)
        raise AssertionError("unreachable")

    def _caller_id(self, request: DialRequest) -> str:
        """Our number sharing the longest prefix with the callee's (local presence)."""
        ids = self.options.caller_ids
        if not ids or request.from_ in ids:
            return request.from_
        return max(ids, key=lambda n: _shared_prefix(n, request.to))

    def _leg(self, carrier_call_id: str) -> _Leg:
        self._check_open()
        leg = self._by_id.get(carrier_call_id)
        if leg is None:
            raise UnknownCall(carrier_call_id)
        return leg

    def _answered(self, carrier_call_id: str) -> _Leg:
        leg = self._leg(carrier_call_id)
        if leg.track.outcome is not CallEventKind.ANSWERED or leg.track.ended:
            state = "over" if leg.track.ended else "not answered by a person"
            raise CallNotActive(f"call {carrier_call_id!r} is {state}")
        return leg

    def _check_open(self) -> None:
        if self._closed:
            raise CarrierError("the carrier is closed")

    def _spawn(self, work: Awaitable[None]) -> None:
        async def run() -> None:
            try:
                await work
            except Exception as exc:
                log.info("telnyx background command failed: %s", exc)

        task = asyncio.get_running_loop().create_task(run())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _publish(self, batch: list[CallEvent]) -> None:
        for callback in self._subscribers:
            try:
                result = callback(batch)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                log.exception("carrier event subscriber failed on %d events", len(batch))


def _at(event: TelnyxEvent) -> float:
    return event.at


def _shared_prefix(a: str, b: str) -> int:
    return next(
        (n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
