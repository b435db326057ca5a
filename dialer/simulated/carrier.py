"""SimulatedCarrier: the embedded default carrier, on asyncio, reproducible per seed.

Each call's fate (outcome, setup, ring and talk times) is drawn from a hash of
(seed, call_ref), so a run is reproducible whatever the order or concurrency of the dials.
Call phases are `loop.call_later` timers (one live timer per call): thousands of concurrent
calls cost a heap entry each, not a task each.
"""

import asyncio
import contextlib
import hashlib
import inspect
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from dialer.carrier import (
    CallEvent,
    CallEventKind,
    CallNotActive,
    CarrierError,
    DialRequest,
    EventCallback,
    UnknownCall,
)

log = logging.getLogger(__name__)

_FAILURE_CAUSES = ("call_rejected", "not_found")
_MAX_BATCH = 500  # events per subscriber call; bounds the work one actor message carries


@dataclass(frozen=True, slots=True)
class SimulationProfile:
    """How simulated callees behave. Durations are in simulated seconds, times `time_scale`."""

    p_answered: float = 0.30
    p_machine: float = 0.20
    p_no_answer: float = 0.35
    p_busy: float = 0.08
    p_failed: float = 0.07
    setup_s: tuple[float, float] = (0.2, 1.0)  # dial to ringing (or to failed)
    ring_s: tuple[float, float] = (3.0, 15.0)  # ringing to answered/machine/busy
    talk_s: tuple[float, float] = (20.0, 180.0)  # answered to the far end hanging up
    recording_delay_s: float = 1.0  # recording stopped to recording_saved
    time_scale: float = 1.0
    seed: int = 0

    def __post_init__(self) -> None:
        chances = [p for _, p in self.probabilities()]
        if min(chances) < 0 or abs(sum(chances) - 1) > 1e-6:
            raise ValueError(f"outcome probabilities must be >= 0 and sum to 1, got {chances}")
        for name in ("setup_s", "ring_s", "talk_s"):
            low, high = getattr(self, name)
            if not 0 <= low <= high:
                raise ValueError(f"{name} must be (low, high) with 0 <= low <= high")
        if self.time_scale < 0 or self.recording_delay_s < 0:
            raise ValueError("time_scale and recording_delay_s must be >= 0")

    def probabilities(self) -> tuple[tuple[CallEventKind, float], ...]:
        return (
            (CallEventKind.ANSWERED, self.p_answered),
            (CallEventKind.MACHINE, self.p_machine),
            (CallEventKind.NO_ANSWER, self.p_no_answer),
            (CallEventKind.BUSY, self.p_busy),
            (CallEventKind.FAILED, self.p_failed),
        )


class DialRecord(NamedTuple):
    call_ref: str
    to: str
    at: float


class _Fate(NamedTuple):
    outcome: CallEventKind
    setup_s: float  # real seconds, already scaled
    ring_s: float
    talk_s: float
    failure_cause: str


class _Phase(StrEnum):
    SETUP = "setting up"
    RINGING = "ringing"
    UP = "answered"
    ENDED = "over"


class _Call:
    __slots__ = ("call_id", "fate", "phase", "recording", "request", "saves", "timer")

    def __init__(self, call_id: str, request: DialRequest, fate: _Fate) -> None:
        self.call_id = call_id
        self.request = request
        self.fate = fate
        self.phase = _Phase.SETUP
        self.timer: asyncio.TimerHandle | None = None
        self.recording = False
        self.saves: dict[str, asyncio.TimerHandle] = {}  # recording url -> pending save


class SimulatedCarrier:
    def __init__(self, profile: SimulationProfile | None = None) -> None:
        self.profile = profile or SimulationProfile()
        self.counters: Counter[str] = Counter()  # "dialed", "recordings", one per outcome kind
        self.dialed_numbers: list[DialRecord] = []
        self.bridges: dict[str, str] = {}  # carrier call id -> agent ref
        self._edges = _cumulative(self.profile)
        self._subscribers: list[EventCallback] = []
        self._by_ref: dict[str, _Call] = {}
        self._by_id: dict[str, _Call] = {}
        self._open: dict[str, _Call] = {}  # calls that still have events to emit
        self._pending: list[CallEvent] = []
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._delivery: asyncio.Task[None] | None = None
        self._closed = False

    def subscribe(self, callback: EventCallback) -> None:
        self._subscribers.append(callback)

    async def dial(self, request: DialRequest) -> str:
        if self._closed:
            raise CarrierError("the carrier is closed")
        known = self._by_ref.get(request.call_ref)
        if known is not None:
            if known.request.to != request.to:
                raise CarrierError(f"call_ref {request.call_ref!r} was dialed to another number")
            return known.call_id
        if self._delivery is None:
            self._delivery = asyncio.get_running_loop().create_task(self._deliver())
        call = _Call(f"sim-{len(self._by_id) + 1}", request, self._fate(request.call_ref))
        self._by_ref[request.call_ref] = self._by_id[call.call_id] = call
        self._open[call.call_id] = call
        self._idle.clear()
        self.counters["dialed"] += 1
        self.dialed_numbers.append(DialRecord(request.call_ref, request.to, time.time()))
        self._emit(call, CallEventKind.INITIATED)
        failing = call.fate.outcome is CallEventKind.FAILED
        self._schedule(call, call.fate.setup_s, self._fail if failing else self._ring)
        return call.call_id

    async def hangup(self, carrier_call_id: str) -> None:
        call = self._call(carrier_call_id)
        if call.phase is _Phase.ENDED:
            return
        cause = "normal_clearing" if call.phase is _Phase.UP else "originator_cancel"
        self._end(call, cause, source="caller")

    async def bridge(self, carrier_call_id: str, agent_ref: str) -> None:
        self._answered(carrier_call_id)
        self.bridges[carrier_call_id] = agent_ref

    async def start_recording(self, carrier_call_id: str) -> None:
        self._answered(carrier_call_id).recording = True

    async def stop_recording(self, carrier_call_id: str) -> None:
        self._save_recording(self._answered(carrier_call_id))

    async def close(self) -> None:
        self._closed = True
        for call in self._open.values():
            for handle in (call.timer, *call.saves.values()):
                if handle is not None:
                    handle.cancel()
        self._open.clear()
        self._pending.clear()
        # A subscriber may close the carrier from inside a delivery; it cannot await itself.
        if self._delivery is not None and self._delivery is not asyncio.current_task():
            self._delivery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._delivery
        self._idle.set()

    async def wait_idle(self) -> None:
        """Return once every call is over and all its events have been delivered."""
        await self._idle.wait()

    # Call phases, each run by a timer.

    def _ring(self, call: _Call) -> None:
        call.phase = _Phase.RINGING
        self._emit(call, CallEventKind.RINGING)
        timeout = call.request.timeout_s * self.profile.time_scale
        if call.fate.outcome is CallEventKind.NO_ANSWER:
            self._schedule(call, timeout, self._settle)
        else:
            self._schedule(call, min(call.fate.ring_s, timeout), self._settle)

    def _settle(self, call: _Call) -> None:
        outcome = call.fate.outcome
        if outcome is CallEventKind.MACHINE and not call.request.detect_machine:
            outcome = CallEventKind.ANSWERED  # without detection a machine passes for a person
        self.counters[outcome] += 1
        self._emit(call, outcome)
        if outcome in (CallEventKind.ANSWERED, CallEventKind.MACHINE):
            call.phase = _Phase.UP
            self._schedule(call, call.fate.talk_s, self._far_end_hangs_up)
        elif outcome is CallEventKind.BUSY:
            self._end(call, "user_busy", source="callee")
        else:
            self._end(call, "timeout", source="caller")

    def _fail(self, call: _Call) -> None:
        self.counters[CallEventKind.FAILED] += 1
        self._emit(call, CallEventKind.FAILED)
        self._end(call, call.fate.failure_cause, source="unknown")

    def _far_end_hangs_up(self, call: _Call) -> None:
        self._end(call, "normal_clearing", source="callee")

    def _end(self, call: _Call, cause: str, source: str) -> None:
        if call.timer is not None:
            call.timer.cancel()
            call.timer = None
        call.phase = _Phase.ENDED
        self._emit(call, CallEventKind.HANGUP, hangup_cause=cause, data={"hangup_source": source})
        self._save_recording(call)
        self._finish_if_done(call)

    def _save_recording(self, call: _Call) -> None:
        if not call.recording:
            return
        call.recording = False
        self.counters["recordings"] += 1
        url = f"sim://recordings/{self.counters['recordings']}.wav"
        delay = self.profile.recording_delay_s * self.profile.time_scale
        loop = asyncio.get_running_loop()
        call.saves[url] = loop.call_later(delay, self._recording_saved, call, url)

    def _recording_saved(self, call: _Call, url: str) -> None:
        del call.saves[url]
        self._emit(call, CallEventKind.RECORDING_SAVED, recording_url=url)
        self._finish_if_done(call)

    def _finish_if_done(self, call: _Call) -> None:
        if call.phase is _Phase.ENDED and not call.saves:
            del self._open[call.call_id]

    # Plumbing.

    def _call(self, carrier_call_id: str) -> _Call:
        if self._closed:
            raise CarrierError("the carrier is closed")
        call = self._by_id.get(carrier_call_id)
        if call is None:
            raise UnknownCall(carrier_call_id)
        return call

    def _answered(self, carrier_call_id: str) -> _Call:
        call = self._call(carrier_call_id)
        if call.phase is not _Phase.UP:
            raise CallNotActive(f"call {carrier_call_id!r} is {call.phase}, not answered")
        return call

    def _schedule(self, call: _Call, delay: float, step: Callable[[_Call], None]) -> None:
        call.timer = asyncio.get_running_loop().call_later(delay, step, call)

    def _fate(self, call_ref: str) -> _Fate:
        seed = f"{self.profile.seed}:{call_ref}".encode()
        digest = hashlib.blake2b(seed, digest_size=40).digest()
        u = [int.from_bytes(digest[i : i + 8], "big") / 2**64 for i in range(0, 40, 8)]
        outcome = next((kind for kind, edge in self._edges if u[0] < edge), self._edges[-1][0])
        scale = self.profile.time_scale
        return _Fate(
            outcome=outcome,
            setup_s=_between(self.profile.setup_s, u[1]) * scale,
            ring_s=_between(self.profile.ring_s, u[2]) * scale,
            talk_s=_between(self.profile.talk_s, u[3]) * scale,
            failure_cause=_FAILURE_CAUSES[int(u[4] * len(_FAILURE_CAUSES))],
        )

    def _emit(
        self,
        call: _Call,
        kind: CallEventKind,
        *,
        hangup_cause: str | None = None,
        recording_url: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        event = CallEvent(
            kind,
            call.request.call_ref,
            call.call_id,
            time.time(),
            hangup_cause=hangup_cause,
            recording_url=recording_url,
            data=data or {},
        )
        self._pending.append(event)
        self._wake.set()

    async def _deliver(self) -> None:
        # One delivery task keeps batches in order; events that arrive while a subscriber
        # is busy simply make the next batch bigger.
        while True:
            await self._wake.wait()
            self._wake.clear()
            batch, self._pending = self._pending, []
            for start in range(0, len(batch), _MAX_BATCH):
                await self._publish(batch[start : start + _MAX_BATCH])
            if not self._pending and not self._open:
                self._idle.set()

    async def _publish(self, batch: list[CallEvent]) -> None:
        for callback in self._subscribers:
            try:
                result = callback(batch)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                # A broken subscriber must not stop the events of every other call.
                log.exception("carrier event subscriber failed on %d events", len(batch))


def _cumulative(profile: SimulationProfile) -> list[tuple[CallEventKind, float]]:
    """Upper edges of each outcome's slice of [0, 1); impossible outcomes get no slice."""
    edges: list[tuple[CallEventKind, float]] = []
    total = 0.0
    for kind, chance in profile.probabilities():
        if chance > 0:
            total += chance
            edges.append((kind, total))
    return edges


def _between(bounds: tuple[float, float], u: float) -> float:
    low, high = bounds
    return low + (high - low) * u
