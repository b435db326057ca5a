"""The progressive dialing policy of one campaign: a hopper of leads and a line of ready agents.

Progressive means one call per ready agent, never more, so no call is ever abandoned for want
of an agent. The hopper keeps leads in two heaps: `waiting` (by the time they become due) and
`due` (by priority, then due time, then id); new leads are sorted into them in bulk at the
next pairing. Removal is lazy: a heap entry is live only while its sequence number is the
lead's current one, so a DNC removal costs O(leads with the number).
"""

import heapq
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from engine.calling_window import CallingWindow, is_callable, next_open

# A lead whose zones share no open hour within the search horizon (or are unknown) is looked
# at again after this long: the campaign's window may have been widened by then.
PARK_FOR = timedelta(days=1)
# Heaps are rebuilt once their dead entries outnumber the live ones by this much.
_COMPACT_SLACK = 1024

Zones = tuple[str, ...]
_Entry = TypeVar("_Entry", bound=tuple[float, ...])


@dataclass(frozen=True, slots=True)
class HopperLead:
    lead_id: int
    contact_id: int
    phone_e164: str
    priority: int
    due_at: datetime  # aware
    attempts: int
    zones: Zones  # from engine.calling_window.callee_timezones


class ProgressiveQueue:
    def __init__(self) -> None:
        self._leads: dict[int, HopperLead] = {}
        self._seq: dict[int, int] = {}  # lead id → sequence number of its live heap entry
        self._by_phone: dict[str, set[int]] = {}
        self._parked: set[int] = set()  # waiting only because their window is shut
        self._incoming: list[tuple[float, int, int]] = []  # (due at, seq, lead id)
        self._waiting: list[tuple[float, int, int]] = []  # (wake at, seq, lead id)
        self._due: list[tuple[int, float, int, int]] = []  # (-priority, due at, lead id, seq)
        self._agents: dict[int, tuple[float, int]] = {}  # agent id → (idle since, seq)
        self._agent_line: list[tuple[float, int, int]] = []  # (idle since, agent id, seq)
        self._counter = itertools.count()
        self._window: CallingWindow | None = None
        self._wake_cache: dict[Zones, tuple[float, float]] = {}  # zones → (asked at, wake at)

    def __len__(self) -> int:
        return len(self._leads)

    @property
    def ready_count(self) -> int:
        return len(self._agents)

    # --- leads ------------------------------------------------------------------------------

    def add_leads(self, leads: Iterable[HopperLead]) -> None:
        """Add leads, or replace ones already in the hopper with the same id."""
        for lead in leads:
            self._forget(lead.lead_id)
            seq = next(self._counter)
            self._leads[lead.lead_id] = lead
            self._seq[lead.lead_id] = seq
            self._by_phone.setdefault(lead.phone_e164, set()).add(lead.lead_id)
            self._incoming.append((lead.due_at.timestamp(), seq, lead.lead_id))
        self._compact()

    def remove_number(self, e164: str) -> int:
        """Drop every lead with this number (it was just suppressed); returns how many."""
        lead_ids = list(self._by_phone.get(e164, ()))
        for lead_id in lead_ids:
            self._forget(lead_id)
        self._compact()
        return len(lead_ids)

    def needs_refill(self, low_water: int) -> bool:
        """Fewer than low_water leads that could be dialed once due; parked ones don't count,
        so a hopper full of leads in shut time zones still asks for more."""
        return len(self._leads) - len(self._parked) < low_water

    # --- agents -----------------------------------------------------------------------------

    def agent_ready(self, agent_id: int, idle_since: float) -> None:
        seq = next(self._counter)
        self._agents[agent_id] = (idle_since, seq)
        heapq.heappush(self._agent_line, (idle_since, agent_id, seq))
        self._compact_agents()

    def agent_gone(self, agent_id: int) -> None:
        self._agents.pop(agent_id, None)
        self._compact_agents()

    # --- pairing ----------------------------------------------------------------------------

    def next_pairs(
        self,
        now: datetime,
        is_suppressed: Callable[[str], bool],
        window: CallingWindow,
    ) -> list[tuple[int, HopperLead]]:
        """Pair each ready agent, longest idle first, with the best due lead in its window.

        Each pair takes the agent out of the ready line and the lead out of the hopper.
        is_suppressed is asked about each candidate just before pairing; a suppressed number
        leaves the hopper with every lead that has it.
        """
        if window != self._window:
            self._window_changed(window)
        if not self._agents:
            return []
        now_ts = now.timestamp()
        self._sort_incoming(now_ts)
        self._wake_due(now_ts)
        open_now: dict[Zones, bool] = {}
        pairs = []
        while self._agents:
            lead = self._next_lead(now, is_suppressed, window, open_now)
            if lead is None:
                break
            pairs.append((self._pop_agent(), lead))
        return pairs

    def _next_lead(
        self,
        now: datetime,
        is_suppressed: Callable[[str], bool],
        window: CallingWindow,
        open_now: dict[Zones, bool],
    ) -> HopperLead | None:
        while self._due:
            _, _, lead_id, seq = heapq.heappop(self._due)
            if self._seq.get(lead_id) != seq:
                continue
            lead = self._leads[lead_id]
            if lead.zones not in open_now:
                open_now[lead.zones] = is_callable(window, lead.zones, now)
            if not open_now[lead.zones]:
                self._park(lead, seq, now, window)
            elif is_suppressed(lead.phone_e164):
                self.remove_number(lead.phone_e164)
            else:
                self._forget(lead_id)
                return lead
        return None

    def _sort_incoming(self, now_ts: float) -> None:
        # A hopper load is thousands of leads: heapify them at once rather than one by one.
        due, later = [], []
        for entry in self._incoming:
            due_ts, seq, lead_id = entry
            if self._seq.get(lead_id) != seq:
                continue
            if due_ts <= now_ts:
                lead = self._leads[lead_id]
                due.append((-lead.priority, due_ts, lead_id, seq))
            else:
                later.append(entry)
        self._incoming = []
        _push_all(self._due, due)
        _push_all(self._waiting, later)

    def _wake_due(self, now_ts: float) -> None:
        while self._waiting and self._waiting[0][0] <= now_ts:
            _, seq, lead_id = heapq.heappop(self._waiting)
            if self._seq.get(lead_id) != seq:
                continue
            self._parked.discard(lead_id)
            lead = self._leads[lead_id]
            # Keyed by the lead's own due time, so a lead parked overnight keeps its place.
            heapq.heappush(self._due, (-lead.priority, lead.due_at.timestamp(), lead_id, seq))

    def _park(self, lead: HopperLead, seq: int, now: datetime, window: CallingWindow) -> None:
        """Put a lead whose window is shut back to wait until it opens."""
        wake = self._wake_at(lead.zones, now, window)
        heapq.heappush(self._waiting, (wake, seq, lead.lead_id))
        self._parked.add(lead.lead_id)

    def _wake_at(self, zones: Zones, now: datetime, window: CallingWindow) -> float:
        # An answer found at t stays right until it comes: the window is shut all along.
        now_ts = now.timestamp()
        cached = self._wake_cache.get(zones)
        if cached and cached[0] <= now_ts < cached[1]:
            return cached[1]
        opens = next_open(window, zones, now)
        wake = (opens or now + PARK_FOR).timestamp()
        self._wake_cache[zones] = (now_ts, wake)
        return wake

    def _window_changed(self, window: CallingWindow) -> None:
        """Parked leads were timed for the old window: wake them by their own due time."""
        self._window = window
        self._wake_cache.clear()
        for lead_id in self._parked:
            seq = next(self._counter)
            self._seq[lead_id] = seq
            heapq.heappush(self._waiting, (self._leads[lead_id].due_at.timestamp(), seq, lead_id))
        self._parked.clear()
        self._compact()

    def _pop_agent(self) -> int:
        while True:
            _, agent_id, seq = heapq.heappop(self._agent_line)
            if self._agent_live(agent_id, seq):
                del self._agents[agent_id]
                return agent_id

    def _agent_live(self, agent_id: int, seq: int) -> bool:
        entry = self._agents.get(agent_id)
        return entry is not None and entry[1] == seq

    def _forget(self, lead_id: int) -> None:
        lead = self._leads.pop(lead_id, None)
        if lead is None:
            return
        del self._seq[lead_id]
        self._parked.discard(lead_id)
        same_phone = self._by_phone[lead.phone_e164]
        same_phone.discard(lead_id)
        if not same_phone:
            del self._by_phone[lead.phone_e164]

    def _compact(self) -> None:
        entries = len(self._incoming) + len(self._waiting) + len(self._due)
        if entries > 2 * len(self._leads) + _COMPACT_SLACK:
            self._incoming = [e for e in self._incoming if self._seq.get(e[2]) == e[1]]
            self._waiting = [e for e in self._waiting if self._seq.get(e[2]) == e[1]]
            self._due = [e for e in self._due if self._seq.get(e[2]) == e[3]]
            heapq.heapify(self._waiting)
            heapq.heapify(self._due)

    def _compact_agents(self) -> None:
        if len(self._agent_line) > 2 * len(self._agents) + _COMPACT_SLACK:
            self._agent_line = [e for e in self._agent_line if self._agent_live(e[1], e[2])]
            heapq.heapify(self._agent_line)


def _push_all(heap: list[_Entry], entries: list[_Entry]) -> None:
    if len(entries) > len(heap) // 4:
        heap.extend(entries)
        heapq.heapify(heap)
    else:
        for entry in entries:
            heapq.heappush(heap, entry)
