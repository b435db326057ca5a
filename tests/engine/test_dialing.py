import random
import time
from datetime import UTC, datetime, timedelta

from engine.calling_window import CallingWindow
from engine.dialing import HopperLead, ProgressiveQueue

NY = ("America/New_York",)
LA = ("America/Los_Angeles",)
NOW = datetime(2025, 6, 2, 16, 0, tzinfo=UTC)  # 12:00 in New York, 09:00 in Los Angeles
WINDOW = CallingWindow()


def lead(
    lead_id: int,
    *,
    priority: int = 0,
    due: timedelta = timedelta(minutes=-1),
    phone: str | None = None,
    zones: tuple[str, ...] = NY,
) -> HopperLead:
    return HopperLead(
        lead_id=lead_id,
        contact_id=lead_id * 10,
        phone_e164=phone or f"+1212555{lead_id:04d}",
        priority=priority,
        due_at=NOW + due,
        attempts=0,
        zones=zones,
    )


def never(_: str) -> bool:
    return False


def test_pairs_longest_idle_agent_with_best_lead() -> None:
    queue = ProgressiveQueue()
    queue.add_leads(
        [
            lead(1, priority=0, due=timedelta(minutes=-30)),
            lead(2, priority=5, due=timedelta(minutes=-1)),
            lead(3, priority=5, due=timedelta(minutes=-10)),
        ]
    )
    queue.agent_ready(100, idle_since=50.0)
    queue.agent_ready(200, idle_since=10.0)
    pairs = queue.next_pairs(NOW, never, WINDOW)
    assert [(a, ld.lead_id) for a, ld in pairs] == [(200, 3), (100, 2)]
    assert len(queue) == 1
    assert queue.ready_count == 0


def test_never_more_pairs_than_ready_agents() -> None:
    queue = ProgressiveQueue()
    queue.add_leads(lead(i) for i in range(1, 11))
    queue.agent_ready(1, 0.0)
    assert len(queue.next_pairs(NOW, never, WINDOW)) == 1
    assert queue.next_pairs(NOW, never, WINDOW) == []
    assert len(queue) == 9


def test_no_agents_no_pairs_and_no_leads_no_pairs() -> None:
    queue = ProgressiveQueue()
    queue.add_leads([lead(1)])
    assert queue.next_pairs(NOW, never, WINDOW) == []
    empty = ProgressiveQueue()
    empty.agent_ready(1, 0.0)
    assert empty.next_pairs(NOW, never, WINDOW) == []
    assert empty.ready_count == 1


def test_leads_not_due_wait() -> None:
    queue = ProgressiveQueue()
    queue.add_leads([lead(1, due=timedelta(minutes=10), priority=9), lead(2)])
    queue.agent_ready(1, 0.0)
    queue.agent_ready(2, 1.0)
    assert [ld.lead_id for _, ld in queue.next_pairs(NOW, never, WINDOW)] == [2]
    later = queue.next_pairs(NOW + timedelta(minutes=10), never, WINDOW)
    assert [(a, ld.lead_id) for a, ld in later] == [(2, 1)]


def test_suppressed_lead_is_dropped_with_its_number() -> None:
    queue = ProgressiveQueue()
    queue.add_leads([lead(1, phone="+12125550001", priority=2), lead(2, phone="+12125550001")])
    queue.add_leads([lead(3, phone="+12125550003")])
    queue.agent_ready(1, 0.0)
    asked: list[str] = []

    def suppressed(phone: str) -> bool:
        asked.append(phone)
        return phone == "+12125550001"

    pairs = queue.next_pairs(NOW, suppressed, WINDOW)
    assert [ld.lead_id for _, ld in pairs] == [3]
    assert asked == ["+12125550001", "+12125550003"]
    assert len(queue) == 0


def test_remove_number_drops_every_lead_with_it() -> None:
    queue = ProgressiveQueue()
    queue.add_leads([lead(1, phone="+12125550001"), lead(2, phone="+12125550001"), lead(3)])
    assert queue.remove_number("+12125550001") == 2
    assert queue.remove_number("+12125550001") == 0
    queue.agent_ready(1, 0.0)
    queue.agent_ready(2, 1.0)
    assert [ld.lead_id for _, ld in queue.next_pairs(NOW, never, WINDOW)] == [3]


def test_out_of_window_leads_are_kept_and_come_back_when_it_opens() -> None:
    queue = ProgressiveQueue()
    early = NOW - timedelta(hours=3)  # 09:00 New York, 06:00 Los Angeles
    queue.add_leads(
        [lead(1, zones=LA, priority=9, due=timedelta(hours=-4)), lead(2, due=timedelta(hours=-4))]
    )
    queue.agent_ready(1, 0.0)
    queue.agent_ready(2, 1.0)
    assert [ld.lead_id for _, ld in queue.next_pairs(early, never, WINDOW)] == [2]
    assert len(queue) == 1
    assert queue.needs_refill(1)  # the parked lead does not count
    assert queue.next_pairs(early + timedelta(hours=1), never, WINDOW) == []
    opened = datetime(2025, 6, 2, 15, 0, tzinfo=UTC)  # 08:00 Los Angeles
    assert [(a, ld.lead_id) for a, ld in queue.next_pairs(opened, never, WINDOW)] == [(2, 1)]


def test_widened_window_wakes_parked_leads() -> None:
    queue = ProgressiveQueue()
    early = NOW - timedelta(hours=3)  # 06:00 Los Angeles
    queue.add_leads([lead(1, zones=LA, due=timedelta(hours=-4))])
    queue.agent_ready(1, 0.0)
    assert queue.next_pairs(early, never, WINDOW) == []
    wide = CallingWindow(start=datetime.min.time())
    assert [ld.lead_id for _, ld in queue.next_pairs(early, never, wide)] == [1]


def test_uncallable_zone_is_parked_not_paired() -> None:
    queue = ProgressiveQueue()
    queue.add_leads([lead(1, zones=("Etc/Unknown",))])
    queue.agent_ready(1, 0.0)
    assert queue.next_pairs(NOW, never, WINDOW) == []
    assert len(queue) == 1
    assert queue.next_pairs(NOW + timedelta(days=2), never, WINDOW) == []


def test_agent_gone_and_ready_again() -> None:
    queue = ProgressiveQueue()
    queue.add_leads(lead(i) for i in range(1, 4))
    queue.agent_ready(1, 0.0)
    queue.agent_ready(2, 5.0)
    queue.agent_gone(1)
    queue.agent_gone(99)
    queue.agent_ready(2, 7.0)  # a newer idle time replaces the old one
    queue.agent_ready(3, 6.0)
    assert [a for a, _ in queue.next_pairs(NOW, never, WINDOW)] == [3, 2]


def test_readded_lead_replaces_the_old_one() -> None:
    queue = ProgressiveQueue()
    queue.add_leads([lead(1, priority=0)])
    queue.add_leads([lead(1, priority=3, phone="+12125559999")])
    assert len(queue) == 1
    assert queue.remove_number("+12125550001") == 0
    queue.agent_ready(1, 0.0)
    queue.agent_ready(2, 1.0)
    pairs = queue.next_pairs(NOW, never, WINDOW)
    assert [(ld.lead_id, ld.priority) for _, ld in pairs] == [(1, 3)]


def test_needs_refill() -> None:
    queue = ProgressiveQueue()
    assert queue.needs_refill(1)
    queue.add_leads(lead(i) for i in range(1, 6))
    assert not queue.needs_refill(5)
    assert queue.needs_refill(6)


def test_randomized_pairing_never_breaks_the_rules() -> None:
    rng = random.Random(20250602)
    queue = ProgressiveQueue()
    phones = [f"+1212555{n:04d}" for n in range(3000)]
    zones = [NY, LA, ("Europe/London",), ("America/Chicago",)]
    leads = [
        lead(
            i,
            priority=rng.randint(0, 3),
            due=timedelta(minutes=rng.randint(-600, 600)),
            phone=rng.choice(phones),
            zones=rng.choice(zones),
        )
        for i in range(1, 20_001)
    ]
    queue.add_leads(leads)
    suppressed: set[str] = set()
    paired_leads: set[int] = set()
    now = NOW - timedelta(hours=6)
    idle: dict[int, float] = {}
    for round_no in range(200):
        now += timedelta(minutes=rng.randint(0, 10))
        for number in rng.sample(phones, 5):
            if rng.random() < 0.5:
                queue.remove_number(number)
            suppressed.add(number)  # the rest are found by the live check
        busy = [a for a in range(1000) if a not in idle]
        for agent_id in rng.sample(busy, min(len(busy), rng.randint(0, 60))):
            idle[agent_id] = round_no + rng.random()
            queue.agent_ready(agent_id, idle[agent_id])
        for agent_id in rng.sample(sorted(idle), min(len(idle), 3)):
            queue.agent_gone(agent_id)
            del idle[agent_id]
        ready_before = sorted(idle.items(), key=lambda item: (item[1], item[0]))
        pairs = queue.next_pairs(now, suppressed.__contains__, WINDOW)
        agents = [a for a, _ in pairs]
        assert len(set(agents)) == len(agents) <= len(ready_before)
        assert agents == [a for a, _ in ready_before[: len(agents)]]  # longest idle first
        for agent_id, paired in pairs:
            assert paired.phone_e164 not in suppressed
            assert paired.lead_id not in paired_leads
            assert paired.due_at <= now
            paired_leads.add(paired.lead_id)
            del idle[agent_id]
    assert paired_leads


def test_thousand_agents_fifty_thousand_leads_is_fast() -> None:
    rng = random.Random(1)
    queue = ProgressiveQueue()
    zones = [NY, LA, ("Europe/London",), ("Asia/Tokyo",), ("America/Chicago",)]
    queue.add_leads(
        lead(
            i,
            priority=rng.randint(0, 5),
            due=timedelta(minutes=rng.randint(-600, 60)),
            zones=rng.choice(zones),
        )
        for i in range(1, 50_001)
    )
    for agent_id in range(1000):
        queue.agent_ready(agent_id, rng.random())
    blocked = {f"+1212555{n:04d}" for n in range(0, 10_000, 7)}
    started = time.perf_counter()
    pairs = queue.next_pairs(NOW, blocked.__contains__, WINDOW)
    elapsed = time.perf_counter() - started
    assert len(pairs) == 1000
    assert elapsed / len(pairs) < 0.001
