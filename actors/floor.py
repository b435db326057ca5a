"""The dialer floor: running call campaigns, their dial queues and the agents working them.

Each campaign, dial queue and agent is a logical actor: its own state, changed only by its
own methods. They are hosted together in one asyncio process (one Ray actor, see
actors/shard.py) because a Ray process per agent costs ≈ 94 MB (DESIGN.md); inside one event
loop every method runs to completion between awaits, so an agent reservation is atomic and
no two queues can take the same agent. This class has no Ray in it and is tested as is.

Writes follow one rule: the decision goes to the database before the side effect (a dial
is recorded, with its unique attempt number, before the carrier hears of it); what only
mirrors a side effect (call progress, agent presence) is written behind in batches.
"""

import asyncio
import contextlib
import logging
import time
from collections import Counter, defaultdict, deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from dialer.carrier import CallEvent, CallEventKind, Carrier, DialRequest, build_carrier
from dialer.media import MediaPort
from engine import live
from engine.agent import Agent, AgentState
from engine.calling_window import CallingWindow, callee_timezones
from engine.dialing import HopperLead, ProgressiveQueue
from engine.errors import DomainError, FieldError, IllegalTransition, NotFound, ValidationFailed
from engine.retry import Outcome, RetryRules
from store import dialing as db
from store.db import create_engine, session_factory

log = logging.getLogger(__name__)

Publish = Callable[[list[dict[str, Any]]], Awaitable[None]]
# A callback promised by an agent who is not there this long after it is due goes to anyone.
CALLBACK_GRACE = timedelta(minutes=15)
# Dial batches, dispositions and the write-behind overlap at full rate: with fewer pooled
# connections the rest are opened and closed per transaction, which doubled ready→dial.
DB_CONNECTIONS = 30
FAILED_OUTCOMES = {
    CallEventKind.BUSY: Outcome.BUSY,
    CallEventKind.NO_ANSWER: Outcome.NO_ANSWER,
    CallEventKind.MACHINE: Outcome.MACHINE,
    CallEventKind.FAILED: Outcome.FAILED,
}


@dataclass
class FloorConfig:
    database_url: str
    carrier: str = "simulated"
    carrier_options: dict[str, Any] = field(default_factory=dict)
    caller_id: str = "+15005550006"
    hopper_size: int = 300
    low_water: int = 100
    tick_seconds: float = 0.2
    flush_seconds: float = 0.05
    stats_seconds: float = 1.0
    redis_url: str | None = None  # events go out through Redis when set, else the hub
    media: bool = False  # bridge agents' audio through the media actor (actors/media.py)
    transcribe: bool = False  # queue a transcript with each saved recording


@dataclass
class CampaignRun:
    """One running call campaign: its settings, its dial queue and its live statistics."""

    config: db.CampaignConfig
    queue: ProgressiveQueue = field(default_factory=ProgressiveQueue)
    hopper: set[int] = field(default_factory=set)
    personal: dict[int, deque[HopperLead]] = field(default_factory=dict)
    stats: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    dispositions: Counter[str] = field(default_factory=Counter)
    recent_dials: deque[float] = field(default_factory=deque)
    refilling: bool = False
    exhausted_at: float = 0.0

    @property
    def campaign_id(self) -> int:
        return self.config.campaign_id

    @property
    def status(self) -> str:
        return self.config.status

    @property
    def window(self) -> CallingWindow:
        return CallingWindow.from_settings(self.config.settings.get("calling_window") or {})

    @property
    def retry(self) -> RetryRules:
        return RetryRules.from_settings(self.config.settings.get("retry") or {})

    @property
    def wrap_up_seconds(self) -> float:
        return float(self.config.settings.get("wrap_up_seconds", 30))

    @property
    def priority(self) -> int:
        return int(self.config.settings.get("priority", 0))

    def caller_id(self, floor: "FloorConfig") -> str:
        """The number callees see: the campaign's own, else the floor's default."""
        own = self.config.settings.get("caller_id")
        return own if isinstance(own, str) and own else floor.caller_id


@dataclass
class LiveCall:
    call_id: int
    call_ref: str
    run: CampaignRun
    lead: HopperLead
    agent_id: int
    attempt_no: int
    account_id: int | None
    carrier_call_id: str | None = None
    answered_at: float | None = None
    outcome: CallEventKind | None = None
    ended: asyncio.Event | None = None  # set at the hangup of a call bridged to agent audio


class Floor:
    def __init__(
        self,
        config: FloorConfig,
        publish: Publish | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        media: MediaPort | None = None,
    ) -> None:
        self.config = config
        self.publish = publish
        self.media = media  # agent audio; None: the carrier alone (benchmarks, most tests)
        self.clock = clock  # wall time for calling windows and retries; tests set it
        self.runs: dict[int, CampaignRun] = {}
        self.agents: dict[int, Agent] = {}
        self.calls: dict[str, LiveCall] = {}  # by call_ref
        self.agent_calls: dict[int, int] = {}  # agent id → call id owing a disposition
        self.dnc: set[str] = set()  # numbers suppressed since start: checked at the dial itself
        self.samples: dict[str, list[float]] = {"ready_to_dial": [], "answer_to_agent": []}
        self._ready_at: dict[int, float] = {}
        self._accounts: dict[int, int | None] = {}  # hopper lead id → the contact's account
        self._background: set[asyncio.Task[None]] = set()
        self._turns = asyncio.Lock()
        self._last_campaign: dict[int, int] = {}  # agent id → campaign of its last lead
        self._dials: list[tuple[CampaignRun, Agent, HopperLead]] = []
        self._dial_wake = asyncio.Event()
        self._outcomes: list[db.CallOutcome] = []
        self._dirty_agents: set[int] = set()
        self._recorded: dict[str, int] = {}  # call ref → call id, while its recording runs
        self._recordings: list[tuple[int, str]] = []  # (call id, url) to store
        self._to_mark: list[str] = []
        self._events: list[dict[str, Any]] = []
        self._events_wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._engine: AsyncEngine | None = None
        self._sessions: async_sessionmaker[AsyncSession] | None = None
        self.carrier: Carrier | None = None

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Rebuilds the working state from the database, then starts dialing."""
        self._engine = create_engine(self.config.database_url, pool_size=DB_CONNECTIONS)
        self._sessions = session_factory(self._engine)
        self.carrier = build_carrier(
            self.config.carrier, on_event=self._on_carrier_events, **self.config.carrier_options
        )
        async with self._tx() as session:
            await db.recover(session)
            for campaign_id in await db.running_call_campaigns(session):
                run = CampaignRun(await db.load_campaign(session, campaign_id))
                await self._load_totals(session, run)
                self.runs[campaign_id] = run
            await self._seat_agents(session)
        for target in (self._tick_loop, self._dial_loop, self._flush_loop, self._publish_loop):
            self._tasks.append(asyncio.get_running_loop().create_task(target()))
        for run in self.runs.values():
            await self._refill(run)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        with contextlib.suppress(Exception):
            await self._flush()
        if self.carrier is not None:
            await self.carrier.close()
        if self._engine is not None:
            await self._engine.dispose()

    @contextlib.asynccontextmanager
    async def _tx(self) -> Any:
        """A transaction. On SQLite (one writer at a time) the floor's own transactions take
        turns here, in order, instead of meeting in SQLite's busy handler, which sleeps."""
        assert self._sessions is not None and self._engine is not None, "not started"
        turn = self._turns if self._engine.dialect.name == "sqlite" else contextlib.nullcontext()
        async with turn, self._sessions() as session, session.begin():
            yield session

    async def _load_totals(self, session: AsyncSession, run: CampaignRun) -> None:
        """Statistics survive a restart: they are recounted from the calls table."""
        totals = await db.campaign_totals(session, run.campaign_id)
        run.dispositions.update(totals.pop("dispositions"))
        run.stats.update(totals)

    async def _seat_agents(self, session: AsyncSession) -> None:
        """Agents come back as they were, less any reservation: nobody stays stuck."""
        owing = await db.undisposed_calls(session)
        now = time.time()
        for row in await db.agent_sessions(session):
            campaigns = [c for c in row.campaign_ids if c in self.runs]
            if not campaigns:
                continue
            agent = self.agents[row.agent_id] = Agent(row.agent_id, now)
            agent.login(campaigns, now)
            if row.agent_id in owing:
                call_id, campaign_id = owing[row.agent_id]
                self._owe_disposition(agent, call_id, campaign_id, now)
            elif row.state != AgentState.PAUSED.value:
                self._make_ready(agent, now)
            else:
                agent.pause(row.reason or "paused", now)

    def _owe_disposition(self, agent: Agent, call_id: int, campaign_id: int, now: float) -> None:
        agent.ready(now)
        agent.reserve(campaign_id, now, ref=str(call_id))
        agent.connected(now)
        agent.call_ended(now, self.runs[campaign_id].wrap_up_seconds)
        self.agent_calls[agent.agent_id] = call_id

    # --- campaigns -------------------------------------------------------------------------

    async def start_campaign(self, campaign_id: int) -> dict[str, Any]:
        async with self._tx() as session:
            config = await db.load_campaign(session, campaign_id)
            if config.status in ("completed", "cancelled"):
                raise IllegalTransition("Campaign", config.status, "running")
            await db.materialize_audience(session, campaign_id)
            await db.set_campaign_status(session, campaign_id, "running")
        config.status = "running"
        run = self.runs.get(campaign_id)
        if run is None:
            run = self.runs[campaign_id] = CampaignRun(config)
            async with self._tx() as session:
                await self._load_totals(session, run)
        else:
            run.config = config
        await self._refill(run)
        self._dispatch(run)
        return self.campaign_snapshot(campaign_id)

    async def set_campaign_status(self, campaign_id: int, status: str) -> dict[str, Any]:
        """pause, resume (running) or stop (completed); in-flight calls finish either way."""
        run = self._run(campaign_id)
        allowed = {"paused": {"running"}, "running": {"paused"}, "completed": {"running", "paused"}}
        if run.status not in allowed[status]:
            raise IllegalTransition("Campaign", run.status, status)
        async with self._tx() as session:
            await db.set_campaign_status(session, campaign_id, status)
            if status == "completed":
                await db.release_queued(session, list(run.hopper))
        run.config.status = status
        if status == "completed":
            self._retire(run)
        elif status == "running":
            self._dispatch(run)
        self._emit_campaign(run)
        return self.campaign_snapshot(campaign_id)

    async def reload_campaign(self, campaign_id: int) -> dict[str, Any]:
        """Settings changed in the database take effect now, without a restart."""
        run = self._run(campaign_id)
        async with self._tx() as session:
            config = await db.load_campaign(session, campaign_id)
        config.status = run.status
        run.config = config
        self._dispatch(run)
        return self.campaign_snapshot(campaign_id)

    def _retire(self, run: CampaignRun) -> None:
        del self.runs[run.campaign_id]
        now = time.time()
        for agent in self.agents.values():
            if run.campaign_id in agent.campaign_ids:
                rest = agent.campaign_ids - {run.campaign_id}
                if rest:
                    agent.campaign_ids = frozenset(rest)
                elif agent.state in (AgentState.READY, AgentState.PAUSED):
                    agent.logout(now)
                self._dirty_agents.add(agent.agent_id)

    def _run(self, campaign_id: int) -> CampaignRun:
        run = self.runs.get(campaign_id)
        if run is None:
            raise NotFound("Running campaign")
        return run

    def campaign_snapshot(self, campaign_id: int) -> dict[str, Any]:
        run = self._run(campaign_id)
        now = time.time()
        while run.recent_dials and run.recent_dials[0] < now - 60:
            run.recent_dials.popleft()
        states = Counter(
            a.state.value for a in self.agents.values() if campaign_id in a.campaign_ids
        )
        return {
            "campaign_id": campaign_id,
            "name": run.config.name,
            "status": run.status,
            "queue_depth": len(run.queue),
            "dials": int(run.stats["dials"]),
            "connects": int(run.stats["connects"]),
            "talk_seconds": round(run.stats["talk_seconds"], 1),
            "dials_last_minute": len(run.recent_dials),
            "dispositions": dict(run.dispositions),
            "agents": dict(states),
        }

    # --- agents ----------------------------------------------------------------------------

    def agent(self, agent_id: int) -> Agent:
        agent = self.agents.get(agent_id)
        if agent is None or agent.state is AgentState.OFFLINE:
            raise NotFound("Logged-in agent")
        return agent

    def agent_snapshot(self, agent_id: int) -> dict[str, Any]:
        agent = self.agents.get(agent_id) or Agent(agent_id, time.time())
        snap = agent.snapshot(time.time())
        snap["call_id"] = self.agent_calls.get(agent_id)
        return snap

    def agents_snapshot(self, campaign_id: int | None = None) -> list[dict[str, Any]]:
        """Every logged-in agent (of one campaign, if given), with its time in state."""
        return [
            self.agent_snapshot(a.agent_id)
            for a in self.agents.values()
            if a.state is not AgentState.OFFLINE
            and (campaign_id is None or campaign_id in a.campaign_ids)
        ]

    def agents_in(self, state: str) -> list[int]:
        return [a.agent_id for a in self.agents.values() if a.state.value == state]

    def campaigns_snapshot(self) -> list[dict[str, Any]]:
        return [self.campaign_snapshot(c) for c in sorted(self.runs)]

    def login(self, agent_id: int, campaign_ids: Sequence[int]) -> dict[str, Any]:
        unknown = [c for c in campaign_ids if c not in self.runs]
        if unknown:
            raise ValidationFailed(
                [FieldError("campaign_ids", f"Not running: {', '.join(map(str, unknown))}.")]
            )
        agent = self.agents.get(agent_id) or Agent(agent_id, time.time())
        self.agents[agent_id] = agent
        for gone in agent.campaign_ids - set(campaign_ids):
            if gone in self.runs:
                self.runs[gone].queue.agent_gone(agent_id)
        agent.login(campaign_ids, time.time())
        if agent.state is AgentState.READY:
            self._make_ready(agent, time.time())
        return self._agent_changed(agent)

    def ready(self, agent_id: int) -> dict[str, Any]:
        agent = self.agent(agent_id)
        self._make_ready(agent, time.time())
        return self._agent_changed(agent)

    def pause(self, agent_id: int, reason: str) -> dict[str, Any]:
        agent = self.agent(agent_id)
        agent.pause(reason, time.time())
        if agent.state is AgentState.PAUSED:
            self._leave_lines(agent)
        return self._agent_changed(agent)

    def logout(self, agent_id: int) -> dict[str, Any]:
        agent = self.agent(agent_id)
        self._leave_lines(agent)
        agent.logout(time.time())
        return self._agent_changed(agent)

    async def hangup(self, agent_id: int) -> dict[str, Any]:
        live = next((c for c in self.calls.values() if c.agent_id == agent_id), None)
        if live is None or live.carrier_call_id is None or self.carrier is None:
            raise IllegalTransition("The agent's call", "none", "hung up")
        await self.carrier.hangup(live.carrier_call_id)
        return self.agent_snapshot(agent_id)

    def _make_ready(self, agent: Agent, now: float) -> None:
        agent.ready(now)
        self._join_lines(agent)

    def _join_lines(self, agent: Agent) -> None:
        """A ready agent joins the line of each of its campaigns and is offered a lead at
        once; a callback it promised and that is due now comes first."""
        assert agent.idle_since is not None
        self._ready_at[agent.agent_id] = time.time()
        runs = [self.runs[c] for c in self._rotation(agent) if c in self.runs]
        for run in runs:
            run.queue.agent_ready(agent.agent_id, agent.idle_since)
        for run in runs:
            if agent.state is not AgentState.READY:
                break
            self._dispatch(run)

    def _rotation(self, agent: Agent) -> list[int]:
        """An agent in several campaigns is offered the highest-priority ones first, and
        campaigns of equal priority in turn, after the last one served."""
        ids = sorted(agent.campaign_ids)
        last = self._last_campaign.get(agent.agent_id)
        if last is not None:
            cut = next((n for n, c in enumerate(ids) if c > last), 0)
            ids = ids[cut:] + ids[:cut]
        # a stable sort keeps the turn among campaigns of one priority
        return sorted(ids, key=lambda c: -self.runs[c].priority if c in self.runs else 0)

    def _leave_lines(self, agent: Agent) -> None:
        for campaign_id in agent.campaign_ids:
            if campaign_id in self.runs:
                self.runs[campaign_id].queue.agent_gone(agent.agent_id)

    def _agent_changed(self, agent: Agent) -> dict[str, Any]:
        self._dirty_agents.add(agent.agent_id)
        snap = self.agent_snapshot(agent.agent_id)
        self._emit({"type": "agent", **snap})
        return snap

    # --- dispositions ----------------------------------------------------------------------

    async def dispose(
        self,
        agent_id: int,
        *,
        code: str,
        answers: dict[str, Any],
        notes: str | None,
        callback_at: datetime | None,
        callback_to_me: bool,
    ) -> dict[str, Any]:
        agent = self.agent(agent_id)
        call_id = self.agent_calls.get(agent_id)
        if agent.state is not AgentState.WRAP_UP or call_id is None:
            raise IllegalTransition("Agent without a finished call", agent.state.value, "disposed")
        assert agent.reservation is not None
        run = self._run(agent.reservation.campaign_id)
        rule = run.config.dispositions.get(code)
        if rule is None:
            raise ValidationFailed([FieldError("code", f"Unknown disposition {code!r}.")])
        now = self.clock()
        effect = rule.effect(
            now=now, callback_at=callback_at, questions=run.config.questions, answers=answers
        )
        async with self._tx() as session:
            attempts = await db.attempts_for_call(session, call_id)
            next_at = (
                run.retry.next_attempt(effect.retry_outcome, attempts, now)
                if effect.retry_outcome
                else None
            )
            record = db.DispositionRecord(
                call_id=call_id,
                code=code,
                agent_id=agent_id,
                answers=answers,
                notes=notes,
                close_lead=effect.close_lead,
                suppress_number=effect.suppress_number,
                create_qa_lead=effect.create_qa_lead,
                next_attempt_at=next_at,
                callback_at=effect.schedule_callback_at,
                callback_agent_id=agent_id if callback_to_me else None,
            )
            disposed = await db.record_disposition(session, record)
        phone = disposed.phone_e164
        if disposed.qa_lead_id is not None:
            self._emit(live.leads_changed([disposed.qa_lead_id], "created"))
        run.dispositions[code] += 1
        del self.agent_calls[agent_id]
        if effect.suppress_number and phone:
            self.suppress_numbers([phone])
        agent.dispose(time.time())
        if agent.state is AgentState.READY:
            self._join_lines(agent)
        self._emit_campaign(run)
        snap = self._agent_changed(agent)
        snap["suppressed"] = [phone] if effect.suppress_number and phone else []
        return snap

    # --- compliance ------------------------------------------------------------------------

    def suppress_numbers(self, numbers: Sequence[str]) -> int:
        """Takes the numbers out of every queue now; the dial path checks `dnc` last."""
        removed = 0
        for number in numbers:
            self.dnc.add(number)
            for run in self.runs.values():
                removed += run.queue.remove_number(number)
                for line in run.personal.values():
                    kept = [lead for lead in line if lead.phone_e164 != number]
                    removed += len(line) - len(kept)
                    line.clear()
                    line.extend(kept)
        self._to_mark.extend(numbers)
        return removed

    def _is_suppressed(self, number: str) -> bool:
        return number in self.dnc

    # --- pacing: hopper, pairing, dialing --------------------------------------------------

    async def _refill(self, run: CampaignRun) -> None:
        if run.refilling or run.status != "running":
            return
        if not run.queue.needs_refill(self.config.low_water):
            return
        if run.exhausted_at > time.time() - 5:
            return  # the pool was empty a moment ago; don't hammer the database
        run.refilling = True
        try:
            now = self.clock()
            async with self._tx() as session:
                leads = await db.take_due_leads(
                    session,
                    run.campaign_id,
                    client_id=run.config.client_id,
                    now=now,
                    horizon=now + timedelta(minutes=1),
                    limit=self.config.hopper_size - len(run.queue),
                )
            if not leads:
                run.exhausted_at = time.time()
            self._load(run, leads)
        finally:
            run.refilling = False
        self._dispatch(run)

    def _load(self, run: CampaignRun, leads: Sequence[db.DueLead]) -> None:
        general = []
        for due in leads:
            if due.phone_e164 in self.dnc:
                continue
            lead = HopperLead(
                lead_id=due.lead_id,
                contact_id=due.contact_id,
                phone_e164=due.phone_e164,
                priority=due.priority,
                due_at=due.due_at,
                attempts=due.attempts,
                zones=tuple(callee_timezones(due.phone_e164, due.timezone)),
            )
            run.hopper.add(due.lead_id)
            self._accounts[due.lead_id] = due.account_id
            if due.callback_agent_id is not None:
                run.personal.setdefault(due.callback_agent_id, deque()).append(lead)
            else:
                general.append(lead)
        run.queue.add_leads(general)

    def _dispatch(self, run: CampaignRun) -> None:
        """Pairs ready agents with leads and queues the dials. Runs without awaiting, so each
        reservation is decided against the agent's state at that very moment. A callback an
        agent promised goes to that agent, before the queue's next lead."""
        if run.status != "running":
            return
        for agent_id, line in run.personal.items():
            self._personal_callback(run, agent_id, line)
        if not run.queue.ready_count:
            return
        now = time.time()
        for agent_id, lead in run.queue.next_pairs(self.clock(), self._is_suppressed, run.window):
            if not self._reserve_and_queue(run, agent_id, lead, now):
                run.queue.add_leads([lead])
        if self._dials:
            self._dial_wake.set()

    def _reserve_and_queue(
        self, run: CampaignRun, agent_id: int, lead: HopperLead, now: float
    ) -> bool:
        """Reserves the agent for this lead; False (nothing changed) if it is not free."""
        agent = self.agents.get(agent_id)
        if agent is None or not agent.reserve(run.campaign_id, now, ref=str(lead.lead_id)):
            return False
        self._leave_lines(agent)
        self._last_campaign[agent_id] = run.campaign_id
        self._dials.append((run, agent, lead))
        return True

    def _personal_callback(self, run: CampaignRun, agent_id: int, line: deque[HopperLead]) -> None:
        """The agent's due callback, if it is free; past the grace period, anyone's."""
        now = self.clock()
        while line and line[0].phone_e164 in self.dnc:
            line.popleft()
        if not line or line[0].due_at > now:
            return
        if self._reserve_and_queue(run, agent_id, line[0], time.time()):
            line.popleft()
            self._dial_wake.set()
        elif line[0].due_at + CALLBACK_GRACE < now:
            run.queue.add_leads([line.popleft()])

    async def _dial_loop(self) -> None:
        """Dials go out in batches, one transaction each; dials that arrive while batches are
        being written make the next batch bigger. PostgreSQL writes several at once."""
        assert self._engine is not None
        slots = asyncio.Semaphore(1 if self._engine.dialect.name == "sqlite" else 4)
        while True:
            await self._dial_wake.wait()
            self._dial_wake.clear()
            await slots.acquire()
            batch, self._dials = self._dials, []
            if not batch:
                slots.release()
                continue
            task = asyncio.get_running_loop().create_task(self._dial_safely(batch))
            self._background.add(task)

            def finished(done: asyncio.Task[None]) -> None:
                self._background.discard(done)
                slots.release()

            task.add_done_callback(finished)

    async def _dial_safely(self, batch: list[tuple[CampaignRun, Agent, HopperLead]]) -> None:
        try:
            await self._dial_batch(batch)
        except Exception:
            log.exception("dial batch failed")
            for run, agent, lead in batch:
                self._give_back(run, agent, lead)

    async def _dial_batch(self, batch: list[tuple[CampaignRun, Agent, HopperLead]]) -> None:
        """Checks the suppression store at dial time, records the attempts, then dials."""
        async with self._tx() as session:
            clients = {run.config.client_id for run, _, _ in batch}
            blocked: set[str] = set()
            for client_id in clients:
                numbers = [
                    lead.phone_e164 for run, _, lead in batch if run.config.client_id == client_id
                ]
                blocked |= await db.suppressed_among(session, numbers, client_id)
            keep = [item for item in batch if item[2].phone_e164 not in blocked]
            intents = [
                db.DialIntent(
                    campaign_id=run.campaign_id,
                    lead_id=lead.lead_id,
                    contact_id=lead.contact_id,
                    account_id=self._accounts.get(lead.lead_id),
                    agent_id=agent.agent_id,
                    phone_e164=lead.phone_e164,
                    attempt_no=lead.attempts + 1,
                    carrier=self.config.carrier,
                )
                for run, agent, lead in keep
            ]
            call_ids = await db.record_dials(session, intents) if intents else []
        for _, agent, lead in batch:
            if lead.phone_e164 in blocked:
                self.suppress_numbers([lead.phone_e164])
                self._release(agent)
        await asyncio.gather(
            *(
                self._dial(item, call_id, intent)
                for item, call_id, intent in zip(keep, call_ids, intents, strict=True)
            )
        )

    async def _dial(
        self, item: tuple[CampaignRun, Agent, HopperLead], call_id: int, intent: db.DialIntent
    ) -> None:
        run, agent, lead = item
        run.hopper.discard(lead.lead_id)
        call_ref = f"{run.campaign_id}-{lead.lead_id}-{intent.attempt_no}"
        live = LiveCall(
            call_id, call_ref, run, lead, agent.agent_id, intent.attempt_no, intent.account_id
        )
        if lead.phone_e164 in self.dnc:  # suppressed while the attempt was being written
            self._outcomes.append(
                db.CallOutcome(
                    call_id,
                    "cancelled",
                    ended_at=self.clock(),
                    outcome="suppressed",
                    lead_id=lead.lead_id,
                    close_lead=True,
                )
            )
            self._release(agent)
            return
        assert self.carrier is not None
        self.calls[call_ref] = live
        now = time.time()
        ready_at = self._ready_at.pop(agent.agent_id, None)
        if ready_at is not None:
            self.samples["ready_to_dial"].append(now - ready_at)
        run.stats["dials"] += 1
        run.recent_dials.append(now)
        try:
            await self.carrier.dial(
                DialRequest(call_ref=call_ref, to=lead.phone_e164, from_=run.caller_id(self.config))
            )
        except Exception as exc:  # the carrier refused: the attempt is spent, the agent free
            log.warning("dial %s failed: %s", call_ref, exc)
            self.calls.pop(call_ref, None)
            self._finish_unanswered(live, CallEventKind.FAILED)
            return
        self._emit(
            {
                "type": "call",
                "call_id": call_id,
                "agent_id": agent.agent_id,
                "campaign_id": run.campaign_id,
                "contact_id": lead.contact_id,
                "status": "dialing",
            }
        )

    def _give_back(self, run: CampaignRun, agent: Agent, lead: HopperLead) -> None:
        run.queue.add_leads([lead])
        self._release(agent)

    def _release(self, agent: Agent) -> None:
        if agent.state in (AgentState.RESERVED, AgentState.RINGING):
            agent.release(time.time())
        if agent.state is AgentState.READY:
            self._join_lines(agent)
        self._agent_changed(agent)

    # --- carrier events --------------------------------------------------------------------

    async def carrier_webhooks(self, payloads: list[dict[str, Any]]) -> int:
        """Hands webhook payloads the API received to a carrier that reports events that
        way (Telnyx); it turns them into call events. Returns how many it accepted."""
        ingest = getattr(self.carrier, "ingest", None)
        if ingest is None:
            raise ValidationFailed([FieldError("carrier", "This carrier takes no webhooks.")])
        accepted: int = await ingest(payloads)
        return accepted

    async def _on_carrier_events(self, events: list[CallEvent]) -> None:
        for event in events:
            if event.kind is CallEventKind.RECORDING_SAVED:
                self._recording_saved(event)
                continue
            live = self.calls.get(event.call_ref)
            if live is not None:
                self._on_event(live, event)

    def _recording_saved(self, event: CallEvent) -> None:
        """Recordings arrive after the hangup: the call is known by its ref until then."""
        call_id = self._recorded.pop(event.call_ref, None)
        url = event.recording_url
        if call_id is None or not url:
            return
        if self.media is not None and url.startswith(("http://", "https://")):
            self._spawn(self._keep_recording(self.media, event.call_ref, call_id, url))
        else:
            self._recordings.append((call_id, url))

    async def _keep_recording(
        self, media: MediaPort, call_ref: str, call_id: int, url: str
    ) -> None:
        """A carrier's recording links expire: the media bridge copies it into storage (the
        link is kept when that fails)."""
        key = await media.keep_recording(call_ref, url)
        self._recordings.append((call_id, f"blob:{key}" if key else url))

    def _on_event(self, live: LiveCall, event: CallEvent) -> None:
        agent = self.agents.get(live.agent_id)
        kind = event.kind
        if kind is CallEventKind.INITIATED:
            live.carrier_call_id = event.carrier_call_id
        elif kind is CallEventKind.RINGING and agent and agent.state is AgentState.RESERVED:
            agent.ringing(time.time())
        elif kind is CallEventKind.ANSWERED and live.outcome is None:
            self._answered(live, agent, event)
        elif kind in FAILED_OUTCOMES and live.outcome is None:
            self._finish_unanswered(live, kind)
        elif kind is CallEventKind.HANGUP:
            self._hung_up(live, agent)

    def _answered(self, live: LiveCall, agent: Agent | None, event: CallEvent) -> None:
        live.outcome = CallEventKind.ANSWERED
        live.answered_at = time.time()
        live.run.stats["connects"] += 1
        if agent is not None and agent.state in (AgentState.RESERVED, AgentState.RINGING):
            agent.connected(live.answered_at)
            self.agent_calls[agent.agent_id] = live.call_id
            assert self.carrier is not None and live.carrier_call_id is not None
            self._spawn(self.carrier.bridge(live.carrier_call_id, f"agent-{agent.agent_id}"))
            self.samples["answer_to_agent"].append(time.time() - event.at)
            record = bool(live.run.config.settings.get("record_calls", True))
            if self.media is not None:
                live.ended = asyncio.Event()
                self._spawn(self._bridge_audio(live, self.media, record))
            elif record:
                self._record_by_carrier(live)
            self._agent_changed(agent)
        self._outcomes.append(
            db.CallOutcome(
                live.call_id,
                "answered",
                answered_at=self.clock(),
                carrier_call_id=live.carrier_call_id,
            )
        )
        self._emit(
            {
                "type": "call",
                "call_id": live.call_id,
                "agent_id": live.agent_id,
                "campaign_id": live.run.campaign_id,
                "contact_id": live.lead.contact_id,
                "status": "answered",
            }
        )

    def _record_by_carrier(self, live: LiveCall) -> None:
        assert self.carrier is not None and live.carrier_call_id is not None
        self._recorded[live.call_ref] = live.call_id
        self._spawn(self.carrier.start_recording(live.carrier_call_id))

    async def _bridge_audio(self, live: LiveCall, media: MediaPort, record: bool) -> None:
        """The agent's audio line joins the call until it ends; the bridge records both
        sides. An agent with no live line is recorded by the carrier instead."""
        assert live.ended is not None and self.carrier is not None
        streamed = self.carrier.media_streams
        if not await media.connect(live.call_ref, live.agent_id, record=record, streamed=streamed):
            if record and not live.ended.is_set():
                self._record_by_carrier(live)
            return
        if streamed and live.carrier_call_id is not None and not live.ended.is_set():
            self._spawn(self.carrier.stream_media(live.carrier_call_id))
        await live.ended.wait()
        key = await media.release(live.call_ref)
        if key is not None:
            self._recordings.append((live.call_id, f"blob:{key}"))

    def _spawn(self, work: Awaitable[None]) -> None:
        async def run() -> None:
            try:
                await work
            except Exception as exc:  # e.g. the callee hung up before the bridge
                log.info("carrier command failed: %s", exc)

        task = asyncio.get_running_loop().create_task(run())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _finish_unanswered(self, live: LiveCall, kind: CallEventKind) -> None:
        live.outcome = kind
        outcome = FAILED_OUTCOMES[kind]
        next_at = live.run.retry.next_attempt(outcome, live.attempt_no, self.clock())
        self._outcomes.append(
            db.CallOutcome(
                live.call_id,
                "ended",
                ended_at=self.clock(),
                carrier_call_id=live.carrier_call_id,
                outcome=outcome.value,
                lead_id=live.lead.lead_id,
                next_attempt_at=next_at,
                close_lead=next_at is None,
                contact_id=live.lead.contact_id,
                account_id=live.account_id,
                campaign_id=live.run.campaign_id,
                agent_id=live.agent_id,
            )
        )
        live.run.dispositions[outcome.value] += 1
        agent = self.agents.get(live.agent_id)
        if agent is not None:
            self._release(agent)

    def _hung_up(self, live: LiveCall, agent: Agent | None) -> None:
        self.calls.pop(live.call_ref, None)
        if live.ended is not None:
            live.ended.set()
        if live.outcome is None:  # we hung up while it rang
            self._finish_unanswered(live, CallEventKind.FAILED)
            return
        if live.outcome is not CallEventKind.ANSWERED:
            return
        now = time.time()
        live.run.stats["talk_seconds"] += now - (live.answered_at or now)
        self._outcomes.append(db.CallOutcome(live.call_id, "ended", ended_at=self.clock()))
        if agent is not None and agent.state is AgentState.ON_CALL:
            agent.call_ended(now, live.run.wrap_up_seconds)
            self._agent_changed(agent)
        self._emit(
            {
                "type": "call",
                "call_id": live.call_id,
                "agent_id": live.agent_id,
                "campaign_id": live.run.campaign_id,
                "status": "ended",
            }
        )

    # --- background loops ------------------------------------------------------------------

    async def _tick_loop(self) -> None:
        """Time-driven work: leads and callbacks coming due, hoppers running low, stats."""
        last_stats = 0.0
        while True:
            await asyncio.sleep(self.config.tick_seconds)
            for run in list(self.runs.values()):
                with contextlib.suppress(DomainError):
                    await self._refill(run)
                    self._dispatch(run)
            if time.time() - last_stats >= self.config.stats_seconds:
                last_stats = time.time()
                for run in self.runs.values():
                    self._emit_campaign(run)

    async def _flush_loop(self) -> None:
        while True:
            await asyncio.sleep(self.config.flush_seconds)
            try:
                await self._flush()
            except Exception:
                log.exception("write-behind flush failed; will retry")

    async def _flush(self) -> None:
        outcomes, self._outcomes = self._outcomes, []
        dirty, self._dirty_agents = self._dirty_agents, set()
        marks, self._to_mark = self._to_mark, []
        recordings, self._recordings = self._recordings, []
        if outcomes or dirty or marks or recordings:
            try:
                async with self._tx() as session:
                    await db.record_outcomes(session, outcomes)
                    await db.save_agent_sessions(session, [self.agent_snapshot(a) for a in dirty])
                    if marks:
                        await db.mark_number_suppressed(session, marks)
                    await db.record_recordings(
                        session, recordings, transcribe=self.config.transcribe
                    )
            except Exception:
                self._outcomes[:0] = outcomes
                self._dirty_agents |= dirty
                self._to_mark[:0] = marks
                self._recordings[:0] = recordings
                raise

    def _emit(self, event: dict[str, Any]) -> None:
        event["at"] = time.time()
        self._events.append(event)
        self._events_wake.set()

    async def _publish_loop(self) -> None:
        """Events go out as soon as there are some, a couple of milliseconds gathered into
        one batch: one actor call per batch, not per event (DESIGN.md)."""
        while True:
            await self._events_wake.wait()
            await asyncio.sleep(0.002)
            self._events_wake.clear()
            events, self._events = self._events, []
            if events and self.publish is not None:
                try:
                    await self.publish(events)
                except Exception:
                    log.exception("publishing %d events failed; they are dropped", len(events))

    def _emit_campaign(self, run: CampaignRun) -> None:
        if run.campaign_id in self.runs:
            self._emit({"type": "campaign", **self.campaign_snapshot(run.campaign_id)})
