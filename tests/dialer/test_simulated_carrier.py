import asyncio
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable

import pytest

from dialer.carrier import (
    OUTCOMES,
    CallEvent,
    CallEventKind,
    CallNotActive,
    CarrierError,
    DialRequest,
    UnknownCall,
    build_carrier,
)
from dialer.simulated import SimulatedCarrier, SimulationProfile

Kind = CallEventKind
FAST = {"time_scale": 1e-5}  # a few simulated minutes pass in milliseconds
ANSWERS = {"p_answered": 1.0, "p_machine": 0.0, "p_no_answer": 0.0, "p_busy": 0.0, "p_failed": 0.0}


class Collector:
    """A subscriber that keeps every batch and lets a test wait for a condition."""

    def __init__(self) -> None:
        self.batches: list[list[CallEvent]] = []
        self.events: list[CallEvent] = []
        self._changed = asyncio.Event()

    def __call__(self, batch: list[CallEvent]) -> None:
        self.batches.append(batch)
        self.events.extend(batch)
        self._changed.set()

    async def wait_for(self, done: Callable[[list[CallEvent]], bool]) -> None:
        async with asyncio.timeout(5):
            while not done(self.events):
                self._changed.clear()
                await self._changed.wait()

    async def wait_kind(self, kind: CallEventKind, call_ref: str) -> None:
        await self.wait_for(lambda es: any(e.kind == kind and e.call_ref == call_ref for e in es))

    def kinds(self, call_ref: str) -> list[CallEventKind]:
        return [e.kind for e in self.events if e.call_ref == call_ref]

    def by_ref(self) -> dict[str, list[CallEvent]]:
        calls: dict[str, list[CallEvent]] = defaultdict(list)
        for event in self.events:
            calls[event.call_ref].append(event)
        return calls


Make = Callable[..., tuple[SimulatedCarrier, Collector]]


@pytest.fixture
async def make() -> AsyncIterator[Make]:
    carriers: list[SimulatedCarrier] = []

    def build(**profile: object) -> tuple[SimulatedCarrier, Collector]:
        carrier = SimulatedCarrier(SimulationProfile(**profile))  # type: ignore[arg-type]
        collector = Collector()
        carrier.subscribe(collector)
        carriers.append(carrier)
        return carrier, collector

    yield build
    for carrier in carriers:
        await carrier.close()


def request(i: int, **options: object) -> DialRequest:
    return DialRequest(f"c1-l{i}-a1", f"+1415555{i:04d}", "+14155550000", **options)  # type: ignore[arg-type]


async def dial_all(carrier: SimulatedCarrier, n: int) -> None:
    for i in range(n):
        await carrier.dial(request(i))
    await carrier.wait_idle()


async def test_outcomes_follow_the_profile(make: Make) -> None:
    carrier, events = make(seed=7, **FAST)
    await dial_all(carrier, 2000)

    outcomes = Counter(e.kind for e in events.events if e.kind in OUTCOMES)
    assert sum(outcomes.values()) == 2000
    for kind, chance in carrier.profile.probabilities():
        assert abs(outcomes[kind] / 2000 - chance) < 0.03, kind
        assert carrier.counters[kind] == outcomes[kind]
    assert carrier.counters["dialed"] == 2000


async def test_every_call_starts_initiated_and_ends_with_one_hangup(make: Make) -> None:
    carrier, events = make(seed=3, **FAST)
    ids = [await carrier.dial(request(i)) for i in range(2000)]
    for call_id in ids[::3]:  # hang up a third of them at whatever phase they are in
        await carrier.hangup(call_id)
        await asyncio.sleep(0)
    await carrier.wait_idle()

    calls = events.by_ref()
    assert len(calls) == 2000
    for ref, call in calls.items():
        kinds = [e.kind for e in call if e.kind != Kind.RECORDING_SAVED]
        assert kinds[0] == Kind.INITIATED, ref
        assert kinds[-1] == Kind.HANGUP, ref
        assert kinds.count(Kind.HANGUP) == 1, ref
        assert sum(k in OUTCOMES for k in kinds) <= 1, ref
        assert call[-1].hangup_cause, ref
        assert [e.at for e in call] == sorted(e.at for e in call), ref


async def test_hangup_causes_match_outcomes(make: Make) -> None:
    carrier, events = make(seed=5, **FAST)
    await dial_all(carrier, 500)

    expected = {
        Kind.ANSWERED: {"normal_clearing"},
        Kind.MACHINE: {"normal_clearing"},
        Kind.BUSY: {"user_busy"},
        Kind.NO_ANSWER: {"timeout"},
        Kind.FAILED: {"call_rejected", "not_found"},
    }
    for call in events.by_ref().values():
        outcome, hangup = call[-2], call[-1]
        assert hangup.hangup_cause in expected[outcome.kind]
    failed = [c for c in events.by_ref().values() if c[1].kind == Kind.FAILED]
    assert failed, "a failed call is rejected before it rings"


async def test_same_seed_same_fates_whatever_the_dial_order(make: Make) -> None:
    first, first_events = make(seed=42, **FAST)
    second, second_events = make(seed=42, **FAST)
    other, other_events = make(seed=43, **FAST)
    for i in range(300):
        await first.dial(request(i))
        await other.dial(request(i))
    for i in reversed(range(300)):
        await second.dial(request(i))
    for carrier in (first, second, other):
        await carrier.wait_idle()

    def fates(collector: Collector) -> dict[str, list[CallEventKind]]:
        return {ref: [e.kind for e in call] for ref, call in collector.by_ref().items()}

    assert fates(first_events) == fates(second_events)
    assert fates(first_events) != fates(other_events)


async def test_dial_is_idempotent_on_call_ref(make: Make) -> None:
    carrier, events = make(seed=1, **FAST)
    first = await carrier.dial(request(1))
    again = await carrier.dial(request(1))
    await carrier.wait_idle()
    after_the_call = await carrier.dial(request(1))

    assert first == again == after_the_call
    assert carrier.counters["dialed"] == 1
    assert [r.call_ref for r in carrier.dialed_numbers] == ["c1-l1-a1"]
    assert events.kinds("c1-l1-a1").count(Kind.INITIATED) == 1
    other_number = DialRequest("c1-l1-a1", "+14155559999", "+14155550000")
    with pytest.raises(CarrierError):
        await carrier.dial(other_number)


async def test_hangup_while_ringing_cancels_the_call(make: Make) -> None:
    carrier, events = make(setup_s=(0, 0), ring_s=(20, 20), **ANSWERS)
    call_id = await carrier.dial(request(1))
    await events.wait_kind(Kind.RINGING, "c1-l1-a1")
    await carrier.hangup(call_id)
    await carrier.wait_idle()

    assert events.kinds("c1-l1-a1") == [Kind.INITIATED, Kind.RINGING, Kind.HANGUP]
    hangup = events.events[-1]
    assert hangup.hangup_cause == "originator_cancel"
    assert hangup.data == {"hangup_source": "caller"}
    assert carrier.counters[Kind.ANSWERED] == 0


async def test_hangup_after_answer_ends_the_call_once(make: Make) -> None:
    carrier, events = make(setup_s=(0, 0), ring_s=(0, 0), talk_s=(600, 600), **ANSWERS)
    call_id = await carrier.dial(request(1))
    await events.wait_kind(Kind.ANSWERED, "c1-l1-a1")
    await carrier.hangup(call_id)
    await carrier.hangup(call_id)  # hangups race with the far end: the second is a no-op
    await carrier.wait_idle()

    kinds = events.kinds("c1-l1-a1")
    assert kinds == [Kind.INITIATED, Kind.RINGING, Kind.ANSWERED, Kind.HANGUP]
    assert events.events[-1].hangup_cause == "normal_clearing"
    assert events.events[-1].data == {"hangup_source": "caller"}
    with pytest.raises(UnknownCall):
        await carrier.hangup("sim-unknown")


async def test_recording_saved_only_for_recorded_calls(make: Make) -> None:
    carrier, events = make(
        setup_s=(0, 0), ring_s=(0, 0), talk_s=(0.2, 0.2), recording_delay_s=0.01, **ANSWERS
    )
    recorded = await carrier.dial(request(1))
    plain = await carrier.dial(request(2))
    with pytest.raises(CallNotActive):
        await carrier.start_recording(recorded)  # not answered yet
    await events.wait_kind(Kind.ANSWERED, "c1-l1-a1")
    await carrier.start_recording(recorded)
    await carrier.bridge(recorded, "agent-7")
    await carrier.wait_idle()

    assert events.kinds("c1-l1-a1")[-2:] == [Kind.HANGUP, Kind.RECORDING_SAVED]
    saved = events.events[-1]
    assert saved.carrier_call_id == recorded
    assert saved.recording_url
    assert Kind.RECORDING_SAVED not in events.kinds("c1-l2-a1")
    assert carrier.bridges == {recorded: "agent-7"}
    with pytest.raises(CallNotActive):
        await carrier.bridge(plain, "agent-8")  # over


async def test_stop_recording_saves_before_the_call_ends(make: Make) -> None:
    carrier, events = make(
        setup_s=(0, 0), ring_s=(0, 0), talk_s=(600, 600), recording_delay_s=0.01, **ANSWERS
    )
    call_id = await carrier.dial(request(1))
    await events.wait_kind(Kind.ANSWERED, "c1-l1-a1")
    await carrier.start_recording(call_id)
    await carrier.stop_recording(call_id)
    await events.wait_kind(Kind.RECORDING_SAVED, "c1-l1-a1")
    await carrier.hangup(call_id)
    await carrier.wait_idle()

    assert events.kinds("c1-l1-a1")[-2:] == [Kind.RECORDING_SAVED, Kind.HANGUP]


async def test_machine_passes_for_a_person_without_detection(make: Make) -> None:
    machines = dict(ANSWERS, p_answered=0.0, p_machine=1.0)
    carrier, events = make(**machines, **FAST)
    await carrier.dial(request(1))
    await carrier.dial(request(2, detect_machine=False))
    await carrier.wait_idle()

    assert Kind.MACHINE in events.kinds("c1-l1-a1")
    assert Kind.ANSWERED in events.kinds("c1-l2-a1")


async def test_async_subscriber_gets_batches_in_order(make: Make) -> None:
    carrier, _ = make(seed=9, **FAST)
    seen: list[CallEvent] = []

    async def slow(batch: list[CallEvent]) -> None:
        await asyncio.sleep(0.001)
        seen.extend(batch)

    carrier.subscribe(slow)
    await dial_all(carrier, 200)

    first_seen: dict[str, CallEventKind] = {}
    for event in seen:
        first_seen.setdefault(event.call_ref, event.kind)
    assert len(first_seen) == 200
    assert set(first_seen.values()) == {Kind.INITIATED}


async def test_close_cancels_every_call(make: Make) -> None:
    carrier, events = make(setup_s=(0, 0), ring_s=(60, 60), **ANSWERS)
    for i in range(100):
        await carrier.dial(request(i))
    await events.wait_for(lambda es: sum(e.kind == Kind.RINGING for e in es) == 100)
    await carrier.close()
    delivered = len(events.events)
    await asyncio.sleep(0.05)

    assert len(events.events) == delivered
    with pytest.raises(CarrierError):
        await carrier.dial(request(1000))


async def test_two_thousand_dials_complete_quickly(make: Make) -> None:
    carrier, events = make(seed=11, time_scale=1e-4)
    started = time.perf_counter()
    await dial_all(carrier, 2000)
    elapsed = time.perf_counter() - started

    assert elapsed < 5
    assert len(events.by_ref()) == 2000
    assert len(events.batches) < len(events.events) / 10  # batched, not one call per event
    assert max(len(batch) for batch in events.batches) <= 500


def test_build_carrier_by_name() -> None:
    carrier = build_carrier("simulated", seed=4, time_scale=0.5, on_event=Collector())
    assert isinstance(carrier, SimulatedCarrier)
    assert carrier.profile.seed == 4
    with pytest.raises(ValueError, match="unknown carrier 'telnix'"):
        build_carrier("telnix")


def test_profile_rejects_probabilities_not_summing_to_one() -> None:
    with pytest.raises(ValueError, match="sum to 1"):
        SimulationProfile(p_answered=0.9)
    with pytest.raises(ValueError, match="ring_s"):
        SimulationProfile(ring_s=(5, 1))
