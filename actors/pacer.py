"""Send pacers: every running email campaign's pacer, hosted together in one process.

Each campaign's pacer is a logical actor (like the campaigns of actors/floor.py): its token
bucket, per-recipient-domain limits, send window and queue of claimed messages, changed only
by its own methods. The SMTP connections are shared per relay: `connections` workers, each
holding one `aiosmtplib.SMTP` connection open and reusing it for every message.

Exactly one message per (campaign, step, contact), and at most once across a crash:

1. The intended message is a row with that unique key, written when the step is queued.
2. Right before a message goes to a relay, the guard runs again on the database and the
   row moves `queued → sending` (in small batches, `UPDATE … WHERE status = 'queued'`);
   a row that did not move is not sent.
3. After the SMTP transaction the result (`sent`, `bounced`, `failed`, or `queued` again
   for a 4xx retry) is written behind, every `flush_seconds`.
4. On start, rows still `sending` were handed to a relay by a process that died: the
   relay may have accepted them. They become `unknown` and are never sent again. At most
   `2 * connections` messages per relay are `sending` at any moment, so a crash leaves at
   most that many `unknown` (docs/email.md).
"""

import asyncio
import contextlib
import dataclasses
import logging
import math
import secrets
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import aiosmtplib
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from actors.bounces import BounceMailbox
from engine import email as rules
from engine import live
from engine.bounces import verp_address
from engine.credentials import unseal
from engine.errors import DomainError, IllegalTransition, NotFound, ValidationFailed
from store import email as db
from store.db import create_engine, session_factory

log = logging.getLogger(__name__)

Publish = Callable[[list[dict[str, Any]]], Awaitable[None]]
# How long an ended campaign's last snapshot stays listed, so the pacing monitor shows it
# completed (with its final counts) after a reload.
ENDED_KEPT_SECONDS = 3600.0
# A recount of the message counts may take at most 1/RECOUNT_SHARE of the pacers' time.
RECOUNT_SHARE = 20
# The statuses the live counts read from the database (`queued` counts `sending` too).
COUNTED_STATUSES = (db.SENT, db.FAILED, db.BOUNCED, db.EXCLUDED, db.UNKNOWN)


@dataclass
class PacerConfig:
    database_url: str
    secret_key: str
    public_base_url: str = "http://127.0.0.1:8000"
    smtp_host: str = "127.0.0.1"  # the relay of sender profiles that name none
    smtp_port: int = 8025
    connections: int = 10  # per relay
    unsubscribe_mailbox: str | None = None
    bounce_address: str | None = None  # VERP return path base: bounces+ROW-MAC@…
    bounce_maildir: str | None = None  # read for bounces every bounce_poll_seconds
    reply_maildir: str | None = None  # the reply-to mailbox, when it is another one
    bounce_poll_seconds: float = 5.0
    claim_size: int = 200
    tick_seconds: float = 0.2
    flush_seconds: float = 0.05
    stats_seconds: float = 1.0
    # Event counts (opens, bounces, replies… written by the API too) are added to the live
    # statistics from the last event id seen every stats_seconds, and recounted in full
    # this often (an id committed late, out of order, is counted then).
    events_recount_seconds: float = 60.0
    followup_seconds: float = 5.0
    retry_base_seconds: float = 30.0
    max_attempts: int = 5
    smtp_timeout: float = 30.0
    redis_url: str | None = None


RelayKey = tuple[str, int, str, str | None, str | None]


@dataclass
class EmailRun:
    """One running email campaign's pacer."""

    campaign: db.EmailCampaign
    bucket: rules.TokenBucket
    domains: rules.DomainLimits
    pending: deque[db.Outgoing] = field(default_factory=deque)
    known: set[int] = field(default_factory=set)  # message rows held in memory
    cursor: int = 0
    winners: dict[int, str] = field(default_factory=dict)  # step → winning variant
    stats: Counter[str] = field(default_factory=Counter)
    events: Counter[str] = field(default_factory=Counter)  # email_events by kind
    recent: deque[float] = field(default_factory=deque)  # send times, last minute
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    idle_until: float = 0.0
    in_flight: int = 0  # messages between this pacer and the end of their SMTP transaction
    drained: asyncio.Event = field(default_factory=asyncio.Event)  # set when in_flight is 0

    @property
    def campaign_id(self) -> int:
        return self.campaign.campaign_id

    @property
    def status(self) -> str:
        return self.campaign.status


class Relay:
    """One SMTP relay: a queue and `connections` workers, each with one reused connection."""

    def __init__(self, key: RelayKey, connections: int, timeout: float) -> None:
        self.key = key
        self.timeout = timeout
        self.queue: asyncio.Queue[Job] = asyncio.Queue()
        # Messages between "picked by a pacer" and "SMTP transaction over": the bound on
        # what a crash can leave `unknown`, and the pacers' backpressure.
        self.slots = asyncio.Semaphore(2 * connections)
        self.connections = connections
        self.workers: list[asyncio.Task[None]] = []

    def client(self) -> aiosmtplib.SMTP:
        host, port, tls, username, password = self.key
        return aiosmtplib.SMTP(
            hostname=host,
            port=port,
            username=username or None,
            password=password or None,
            use_tls=tls == "tls",
            start_tls=tls == "starttls",
            timeout=self.timeout,
        )


@dataclass
class Job:
    run: EmailRun
    item: db.Outgoing
    sender: db.Sender
    relay: Relay  # the sender's, looked up once
    payload: bytes = b""
    rfc_id: str = ""
    return_path: str = ""
    template_id: int | None = None
    variant: str | None = None


class Outcome(Exception):
    """How an SMTP transaction ended, when not with 250."""

    def __init__(self, status: str, error: str) -> None:
        super().__init__(error)
        self.status, self.error = status, error


class Pacers:
    def __init__(
        self,
        config: PacerConfig,
        publish: Publish | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.config = config
        self.publish = publish
        self.clock = clock
        self.runs: dict[int, EmailRun] = {}
        self.relays: dict[RelayKey, Relay] = {}
        self.suppressed: set[str] = set()  # addresses suppressed since start
        self.recovered = 0  # `sending` rows found `unknown` at start
        self._to_send: list[Job] = []
        self._send_wake = asyncio.Event()
        self._results: list[db.SendResult] = []
        self._excluded: dict[int, str] = {}  # queued rows the guard refused in memory
        self._deferred: dict[int, datetime] = {}  # queued rows to try later (window, cap)
        self._events: list[dict[str, Any]] = []
        self._sent_today: dict[int, tuple[str, int]] = {}  # sender id → (day, count)
        self._tasks: list[asyncio.Task[None]] = []
        self._passwords: dict[str, str] = {}  # sealed → plain
        folders = dict.fromkeys(f for f in (config.bounce_maildir, config.reply_maildir) if f)
        self._mailboxes = [BounceMailbox(folder) for folder in folders]
        self._event_mark = 0  # the highest email_events id counted into runs' `events`
        self._recount_at = 0.0  # when the flush next reads the message counts again
        self.ended: dict[int, tuple[float, dict[str, Any]]] = {}  # id → (when, snapshot)
        self._turns = asyncio.Lock()
        self._flushing = asyncio.Lock()  # one write-behind at a time: results are in memory
        # or committed, never halfway, while it is held
        # Tasks are cancelled only between transactions (see _cancel): the gate holds new
        # transactions back meanwhile, `_idle` is set while none is open.
        self._open_tx = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._stoppers = 0
        self._gate = asyncio.Event()
        self._gate.set()
        self._engine: AsyncEngine | None = None
        self._sessions: async_sessionmaker[AsyncSession] | None = None

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Rebuilds from the database: `sending` rows become `unknown`, running campaigns
        resume where their rows say they are."""
        # No ping per checkout: it is a round trip per transaction on the send path, and
        # a connection that died fails that transaction, is dropped by the pool and the
        # pacers' loops try again.
        self._engine = create_engine(self.config.database_url, pool_pre_ping=False)
        self._sessions = session_factory(self._engine)
        async with self._tx() as session:
            self.recovered = await db.recover(session)
            ids = await db.running_email_campaigns(session)
            campaigns = [await db.load_campaign(session, c) for c in ids]
            await self._recall_ended(session)
        for campaign in campaigns:
            await self._host(campaign)
        loop = asyncio.get_running_loop()
        for target in (self._send_loop, self._flush_loop, self._tick_loop):
            self._tasks.append(loop.create_task(target()))

    async def close(self) -> None:
        """Stops sending: what is with a relay finishes, what is not goes back to the queue."""
        for run in list(self.runs.values()):
            await self._stop_pump(run)
        self._release_held()
        for relay in self.relays.values():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(relay.queue.join(), self.config.smtp_timeout)
        await self.abort(flush=True)

    async def abort(self, flush: bool = False) -> None:
        """Stops everything now. Without `flush` it leaves the database as a killed process
        would (tests use it to play a crash)."""
        tasks = list(self._tasks)
        tasks += [r.task for r in self.runs.values() if r.task is not None]
        tasks += [w for relay in self.relays.values() for w in relay.workers]
        await self._cancel(tasks)
        if flush:
            with contextlib.suppress(Exception):
                await self._flush()
        if self._engine is not None:
            await self._engine.dispose()

    @contextlib.asynccontextmanager
    async def _tx(self) -> Any:
        """A transaction; on SQLite the pacers' own writers take turns here."""
        assert self._sessions is not None and self._engine is not None, "not started"
        turn = self._turns if self._engine.dialect.name == "sqlite" else contextlib.nullcontext()
        await self._gate.wait()
        self._open_tx += 1
        self._idle.clear()
        try:
            async with turn, self._sessions() as session, session.begin():
                yield session
        finally:
            self._open_tx -= 1
            if not self._open_tx:
                self._idle.set()

    async def _cancel(self, tasks: Sequence[asyncio.Task[None]]) -> None:
        """Cancels the tasks where none is inside a transaction, and waits until they end.
        A transaction cut mid-statement can leave its connection checked out, past the
        engine's disposal: on SQLite it then holds the write lock until it is collected."""
        pending = {t for t in tasks if not t.done()}
        if not pending:
            return
        self._stoppers += 1
        self._gate.clear()
        try:
            with contextlib.suppress(TimeoutError):  # a hung transaction is cut after all
                await asyncio.wait_for(self._idle.wait(), self.config.smtp_timeout)
            while pending:
                for task in pending:
                    task.cancel()
                # Python 3.11's wait_for can swallow a cancel that lands as the event it
                # waits for is set (a pause wakes the pump): cancel again until it ends.
                # A task that goes on meets the closed gate, outside any transaction.
                _, pending = await asyncio.wait(pending, timeout=0.05)
            await asyncio.gather(*tasks, return_exceptions=True)  # all ended: collects them
        finally:
            self._stoppers -= 1
            if not self._stoppers:
                self._gate.set()

    # --- campaigns -------------------------------------------------------------------------

    async def start_campaign(self, campaign_id: int) -> dict[str, Any]:
        """Checks the campaign can send, writes step 1's intended messages (the guard
        excludes who it must, with the reason), then starts pacing."""
        async with self._tx() as session:
            campaign = await db.load_campaign(session, campaign_id)
            if campaign.status in ("completed", "cancelled"):
                raise IllegalTransition("Campaign", campaign.status, "running")
            _check_ready(campaign)
            await db.launch(session, campaign, now=self.clock())
            await db.set_campaign_status(session, campaign_id, "running")
        campaign.status = "running"
        run = self.runs.get(campaign_id)
        if run is None:
            await self._host(campaign)
        else:
            run.campaign = campaign
            run.bucket.set_rate(campaign.plan.rate_per_minute)
            run.cursor, run.idle_until = 0, 0.0
            run.wake.set()
        return self.campaign_snapshot(campaign_id)

    async def set_campaign_status(self, campaign_id: int, status: str) -> dict[str, Any]:
        """pause, resume (running) or stop (completed). Messages already with a relay finish."""
        run = self._run(campaign_id)
        allowed = {
            "paused": ("running",),
            "running": ("paused",),
            "completed": ("running", "paused"),
        }
        if run.status not in allowed[status]:
            raise IllegalTransition("Campaign", run.status, status)
        unsent = 0
        async with self._tx() as session:
            # Only from what this pacer saw: not over its own completion meanwhile.
            if not await db.set_campaign_status(
                session, campaign_id, status, expected=allowed[status]
            ):
                raise IllegalTransition("Campaign", run.status, status)
            if status == "completed":
                unsent = await db.exclude_unsent(session, campaign_id)
        if status == "completed":
            return await self._retire(run, "stopped", unsent)
        run.campaign.status = status
        run.wake.set()
        self._emit(run)
        return self._snapshot(run)

    async def _retire(self, run: EmailRun, verb: str, unsent: int = 0) -> dict[str, Any]:
        """The campaign is completed in the database: it stops pacing, lets the messages
        with a relay end, announces its end (a notice for the managers) and stays listed
        with its final counts for a while."""
        run.campaign.status = "completed"
        await self._stop_pump(run)
        run.pending.clear()
        run.known.clear()
        if run.in_flight:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(run.drained.wait(), self.config.smtp_timeout)
        async with self._flushing, self._tx() as session:
            self._refresh(run, await db.totals(session, run.campaign_id))
        self.runs.pop(run.campaign_id, None)
        snapshot = self._snapshot(run)
        self.ended[run.campaign_id] = (time.monotonic(), snapshot)
        self._events.append(_ended(run, verb, unsent))
        self._events.append({"type": "email_campaign", **snapshot})
        return snapshot

    async def set_rate(self, campaign_id: int, rate_per_minute: float) -> dict[str, Any]:
        """A new rate takes effect for the next message, and survives a restart."""
        run = self._run(campaign_id)
        run.bucket.set_rate(rate_per_minute)
        async with self._tx() as session:
            await db.save_rate(session, campaign_id, rate_per_minute)
        run.campaign.plan = dataclasses.replace(run.campaign.plan, rate_per_minute=rate_per_minute)
        self._emit(run)
        return self._snapshot(run)

    def suppress_emails(self, emails: Sequence[str]) -> int:
        """Addresses suppressed just now: no message to them leaves from this moment (the
        database guard catches them as well; this closes the gap to the next check)."""
        dropped = 0
        for email in emails:
            self.suppressed.add(email.lower())
        for run in self.runs.values():
            keep = deque(i for i in run.pending if i.email not in self.suppressed)
            for item in run.pending:
                if item.email in self.suppressed:
                    self._excluded[item.message_id] = rules.Exclusion.UNSUBSCRIBED.value
                    dropped += 1
            run.pending = keep
        return dropped

    async def unknown_resolved(self, campaign_id: int) -> None:
        """An operator resent or marked sent unknown messages (store/email_recovery.py):
        the counts are read again and resent messages are looked for at once."""
        run = self.runs.get(campaign_id)
        if run is None:
            return
        async with self._tx() as session:
            self._refresh(run, await db.totals(session, campaign_id))
        run.cursor, run.idle_until = 0, 0.0
        run.wake.set()
        self._emit(run)

    def campaign_snapshot(self, campaign_id: int) -> dict[str, Any]:
        """A running or paused campaign's snapshot, or an ended one's last."""
        if campaign_id not in self.runs and campaign_id in self._ended_lately():
            return self.ended[campaign_id][1]
        return self._snapshot(self._run(campaign_id))

    def campaigns_snapshot(self) -> list[dict[str, Any]]:
        """Every running or paused campaign, and those that ended in the last hour."""
        found = {c: self.ended[c][1] for c in self._ended_lately()}
        found |= {c: self._snapshot(run) for c, run in self.runs.items()}
        return [found[c] for c in sorted(found)]

    def _ended_lately(self) -> set[int]:
        since = time.monotonic() - ENDED_KEPT_SECONDS
        for campaign_id in [c for c, (at, _) in self.ended.items() if at < since]:
            del self.ended[campaign_id]
        return set(self.ended)

    def _refresh(self, run: EmailRun, counts: dict[str, int]) -> None:
        """The live counts from the database's (rows excluded by a reply, re-queued by an
        operator, bounced by a webhook… change there), plus the results not written yet."""
        unwritten = Counter(
            r.status
            for r in self._results
            if r.campaign_id == run.campaign_id and r.status != db.QUEUED
        )
        for status in COUNTED_STATUSES:
            run.stats[status] = counts.get(status, 0) + unwritten[status]
        waiting = counts.get(db.QUEUED, 0) + counts.get(db.SENDING, 0)
        run.stats[db.QUEUED] = max(waiting - unwritten.total(), 0)

    def _run(self, campaign_id: int) -> EmailRun:
        run = self.runs.get(campaign_id)
        if run is None:
            raise NotFound("Running email campaign")
        return run

    def _snapshot(self, run: EmailRun) -> dict[str, Any]:
        now = time.monotonic()
        while run.recent and run.recent[0] < now - 60:
            run.recent.popleft()
        return {
            "campaign_id": run.campaign_id,
            "name": run.campaign.name,
            "status": run.status,
            "rate_per_minute": run.bucket.rate_per_minute,
            "sent": run.stats["sent"],
            "queued": run.stats["queued"],
            "failed": run.stats["failed"],
            "bounced": run.stats["bounced"],
            "excluded": run.stats["excluded"],
            "retried": run.stats["retried"],
            "unknown": run.stats["unknown"],
            "sent_last_minute": len(run.recent),
            "throttled_domains": sorted(
                d for d, b in run.domains.buckets.items() if b.delay() > 0.5
            ),
            "domain_limits": dict(run.campaign.plan.domain_limits),
            "winners": {str(k): v for k, v in run.winners.items()},
            "events": dict(run.events),
        }

    async def _recall_ended(self, session: AsyncSession) -> None:
        """Campaigns that ended within ENDED_KEPT_SECONDS stay listed after a restart too,
        with their final counts."""
        since = self.clock() - timedelta(seconds=ENDED_KEPT_SECONDS)
        for campaign_id, ended_at in await db.completed_since(session, since):
            run = _new_run(await db.load_campaign(session, campaign_id))
            self._refresh(run, await db.totals(session, campaign_id))
            events, _ = await db.events_by_campaign(session, [campaign_id])
            run.events.update(events.get(campaign_id, {}))
            age = (self.clock() - ended_at).total_seconds()
            self.ended[campaign_id] = (time.monotonic() - age, self._snapshot(run))

    async def _host(self, campaign: db.EmailCampaign) -> EmailRun:
        run = _new_run(campaign)
        async with self._tx() as session:
            self._refresh(run, await db.totals(session, campaign.campaign_id))
            if self._event_mark:  # the next refresh counts what comes after the mark
                counts, _ = await db.events_by_campaign(
                    session, [campaign.campaign_id], upto=self._event_mark
                )
                run.events.update(counts.get(campaign.campaign_id, {}))
        self.runs[campaign.campaign_id] = run
        if campaign.sender is not None:
            self._relay(campaign.sender)
        run.task = asyncio.get_running_loop().create_task(self._pump(run))
        run.wake.set()
        return run

    async def _stop_pump(self, run: EmailRun) -> None:
        # run.task stays set until the pump has ended, so abort() waits for it too.
        if run.task is not None:
            await self._cancel([run.task])
            run.task = None

    def _release_held(self) -> None:
        for run in self.runs.values():
            run.pending.clear()
            run.known.clear()

    # --- relays ----------------------------------------------------------------------------

    def _relay(self, sender: db.Sender) -> Relay:
        key: RelayKey = (
            sender.smtp_host or self.config.smtp_host,
            sender.smtp_port or self.config.smtp_port,
            sender.smtp_tls,
            sender.smtp_username,
            self._password(sender.smtp_password),
        )
        relay = self.relays.get(key)
        if relay is None:
            relay = self.relays[key] = Relay(key, self.config.connections, self.config.smtp_timeout)
            loop = asyncio.get_running_loop()
            relay.workers = [
                loop.create_task(self._worker(relay)) for _ in range(self.config.connections)
            ]
        return relay

    def _password(self, sealed: str | None) -> str | None:
        """The relay password, decrypted once per process (it is looked up per message)."""
        if not sealed:
            return None
        if sealed not in self._passwords:
            self._passwords[sealed] = unseal(self.config.secret_key, sealed)
        return self._passwords[sealed]

    async def _worker(self, relay: Relay) -> None:
        smtp: aiosmtplib.SMTP | None = None
        try:
            while True:
                job = await relay.queue.get()
                try:
                    smtp = await self._deliver(relay, smtp, job)
                finally:
                    self._settle(job)
                    relay.queue.task_done()
        finally:
            if smtp is not None and smtp.is_connected:
                smtp.close()

    async def _deliver(
        self, relay: Relay, smtp: aiosmtplib.SMTP | None, job: Job
    ) -> aiosmtplib.SMTP | None:
        """One SMTP transaction on the worker's connection (opened again if it dropped).
        Before DATA nothing was delivered, so a failure there is safe to retry; a dropped
        connection during DATA leaves the message `unknown` (at most once)."""
        in_data = False
        try:
            if smtp is None or not smtp.is_connected:
                smtp = relay.client()
                await smtp.connect()
                await smtp.ehlo()
            await smtp.mail(job.return_path)
            await smtp.rcpt(job.item.email)
            in_data = True
            await smtp.data(job.payload)
            self._done(job, db.SENT)
        except aiosmtplib.SMTPResponseException as exc:
            with contextlib.suppress(aiosmtplib.SMTPException, OSError):
                await smtp.rset()  # type: ignore[union-attr]
            self._failed(job, exc.code, exc.message)
        except (aiosmtplib.SMTPException, OSError) as exc:
            if smtp is not None:
                smtp.close()
            smtp = None
            if in_data:
                self._done(job, db.UNKNOWN, f"connection lost during DATA: {exc}")
            else:
                self._failed(job, 421, f"relay unreachable: {exc}")
        return smtp

    def _done(self, job: Job, status: str, error: str | None = None) -> None:
        run = job.run
        run.stats[status] += 1
        run.stats["queued"] = max(run.stats["queued"] - 1, 0)
        if status == db.SENT:
            run.recent.append(time.monotonic())
        self._results.append(
            db.SendResult(
                message_id=job.item.message_id,
                status=status,
                contact_id=job.item.contact_id,
                rfc_message_id=job.rfc_id,
                template_id=job.template_id,
                variant=job.variant,
                error=error,
                sent_at=self.clock() if status == db.SENT else None,
                campaign_id=run.campaign_id,
            )
        )

    def _failed(self, job: Job, code: int, message: str) -> None:
        """4xx: tried again later, with backoff, up to max_attempts. 5xx: the address is bad."""
        error = f"{code} {message}"[:500]
        if 500 <= code < 600:
            self._done(job, db.BOUNCED, error)
            return
        attempt = job.item.attempts + 1
        if attempt >= self.config.max_attempts:
            self._done(job, db.FAILED, error)
            return
        job.run.stats["retried"] += 1
        delay = rules.retry_delay(attempt, base=self.config.retry_base_seconds)
        self._results.append(
            db.SendResult(
                message_id=job.item.message_id,
                status=db.QUEUED,
                contact_id=job.item.contact_id,
                rfc_message_id=job.rfc_id,
                error=error,
                next_attempt_at=self.clock() + timedelta(seconds=delay),
                campaign_id=job.run.campaign_id,
            )
        )
        job.run.idle_until = 0.0

    # --- pacing ----------------------------------------------------------------------------

    async def _pump(self, run: EmailRun) -> None:
        """Hands the campaign's messages to its relay at its pace, one by one."""
        while True:
            try:
                await self._pace_one(run)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("email pacer of campaign %s failed; retrying", run.campaign_id)
                await asyncio.sleep(1.0)

    async def _pace_one(self, run: EmailRun) -> None:
        if run.status != "running" or run.campaign.sender is None:
            run.wake.clear()
            await run.wake.wait()
            return
        if not run.pending and not await self._claim(run):
            run.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(run.wake.wait(), self.config.tick_seconds)
            return
        item = self._pick(run)
        if item is None:  # every held message waits for its domain's limit
            wait = min(run.domains.delay(i.email) for i in run.pending)
            await asyncio.sleep(min(wait, 1.0))
            return
        relay = self._relay(run.campaign.sender)
        await relay.slots.acquire()
        wait = run.bucket.reserve()
        if wait > 0:
            await asyncio.sleep(wait)
        if run.status != "running":
            relay.slots.release()
            run.pending.appendleft(item)
            return
        run.domains.take(item.email)
        if not self._may_send_now(run, item):
            relay.slots.release()
            return
        self._to_send.append(Job(run, item, run.campaign.sender, relay))
        run.in_flight += 1
        run.drained.clear()
        self._send_wake.set()

    def _settle(self, job: Job) -> None:
        """The job is no longer between its pacer and the end of its SMTP transaction."""
        job.relay.slots.release()
        job.run.in_flight -= 1
        if not job.run.in_flight:
            job.run.drained.set()

    def _pick(self, run: EmailRun) -> db.Outgoing | None:
        for _ in range(len(run.pending)):
            item = run.pending.popleft()
            if run.domains.delay(item.email) <= 0:
                return item
            run.pending.append(item)
        return None

    def _may_send_now(self, run: EmailRun, item: db.Outgoing) -> bool:
        """The in-memory part of the guard, the send window and the sender's daily cap."""
        if item.email in self.suppressed:
            self._excluded[item.message_id] = rules.Exclusion.UNSUBSCRIBED.value
            return False
        now = self.clock()
        plan = run.campaign.plan
        if not rules.in_send_window(plan, item.timezone, now):
            self._deferred[item.message_id] = rules.next_send_time(plan, item.timezone, now)
            return False
        sender = run.campaign.sender
        assert sender is not None
        cap = sender.cap_on(now)
        if cap is not None:
            day = now.date().isoformat()
            known_day, count = self._sent_today.get(sender.sender_id, ("", -1))
            if known_day != day:
                count = -1
            if count < 0:
                self._deferred[item.message_id] = now  # counted below, then tried again
                self._sent_today[sender.sender_id] = (day, -1)
                self._spawn_count(sender.sender_id, day)
                return False
            if count >= cap:
                tomorrow = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
                self._deferred[item.message_id] = tomorrow.replace(tzinfo=UTC)
                return False
            self._sent_today[sender.sender_id] = (day, count + 1)
        return True

    def _spawn_count(self, sender_id: int, day: str) -> None:
        async def count() -> None:
            since = datetime.fromisoformat(day).replace(tzinfo=UTC)
            async with self._tx() as session:
                sent = await db.sent_since(session, sender_id, since)
            self._sent_today[sender_id] = (day, sent)

        self._tasks.append(asyncio.get_running_loop().create_task(count()))

    async def _claim(self, run: EmailRun) -> bool:
        """Reads the next due messages into memory (their rows stay `queued`)."""
        if time.monotonic() < run.idle_until:
            return False
        per_second = run.bucket.rate_per_minute / 60
        limit = max(1, min(self.config.claim_size, math.ceil(per_second * 2)))
        async with self._tx() as session:
            items = await db.read_queued(
                session, run.campaign, limit=limit, after=run.cursor, now=self.clock()
            )
        fresh = [i for i in items if i.message_id not in run.known]
        if not items:
            if run.cursor:
                run.cursor = 0  # a full pass: start over for retries that came due
            else:
                run.idle_until = time.monotonic() + self.config.tick_seconds
            return False
        run.cursor = items[-1].message_id
        run.known.update(i.message_id for i in fresh)
        run.pending.extend(fresh)
        return bool(fresh)

    # --- the send batcher: guard, `sending`, render, hand to the relay ---------------------

    async def _send_loop(self) -> None:
        while True:
            await self._send_wake.wait()
            self._send_wake.clear()
            batch, self._to_send = self._to_send, []
            if not batch:
                continue
            try:
                await self._send_batch(batch)
            except Exception:
                log.exception("send batch failed; its messages stay queued")
                for job in batch:
                    self._settle(job)
                    job.run.known.discard(job.item.message_id)

    async def _send_batch(self, batch: list[Job]) -> None:
        """The guard on the database at this moment, then `queued → sending` for the ones
        it lets through, committed before any of them reaches a relay. Messages are
        rendered meanwhile (CPU work overlapping the guard's round trips); only those that
        moved to `sending` are handed over."""
        guard = asyncio.get_running_loop().create_task(self._guard(batch))
        try:
            for job in batch:
                await asyncio.sleep(0)  # the guard's next round trip starts
                self._render(job)
            refused, moved = await guard
        except BaseException:
            # Cancelled (between transactions, see _cancel) or a rendering failure: a guard
            # that has not committed leaves its rows `queued`.
            guard.cancel()
            raise
        for job in batch:
            if job.item.message_id in refused:
                job.run.stats["excluded"] += 1
                job.run.stats["queued"] = max(job.run.stats["queued"] - 1, 0)
            if job.item.message_id not in moved:
                self._settle(job)
                job.run.known.discard(job.item.message_id)
            else:
                job.relay.queue.put_nowait(job)

    async def _guard(self, batch: list[Job]) -> tuple[dict[int, str], set[int]]:
        """(refused message → reason, messages moved to `sending`), in one transaction."""
        now = self.clock()
        async with self._tx() as session:
            by_campaign: dict[int, list[Job]] = {}
            for job in batch:
                by_campaign.setdefault(job.run.campaign_id, []).append(job)
            refused: dict[int, str] = {}
            for jobs in by_campaign.values():
                campaign = jobs[0].run.campaign
                facts = await db.recipients(
                    session,
                    [j.item.contact_id for j in jobs],
                    client_id=campaign.client_id,
                    cap=campaign.plan.frequency_cap,
                    now=now,
                )
                for job in jobs:
                    reason = rules.exclusion(
                        facts[job.item.contact_id], campaign.plan.frequency_cap
                    )
                    if reason is not None or job.item.email in self.suppressed:
                        refused[job.item.message_id] = (
                            reason.value if reason else rules.Exclusion.UNSUBSCRIBED.value
                        )
            candidates = [j for j in batch if j.item.message_id not in refused]
            moved = await db.mark_sending(session, [j.item.message_id for j in candidates])
            await db.exclude(session, refused)
        return refused, moved

    def _render(self, job: Job) -> None:
        run, item, sender = job.run, job.item, job.sender
        plan = run.campaign.plan
        step = plan.step(item.step)
        assert step is not None, "the step was checked at launch"
        winner = run.winners.get(item.step)
        variant = next((v for v in step.variants if v.name == winner), None) or (
            rules.choose_variant(
                step.variants,
                campaign_id=run.campaign_id,
                step=item.step,
                contact_id=item.contact_id,
            )
        )
        content = run.campaign.templates[variant.template_id]
        values = rules.contact_values(
            item.contact,
            item.account,
            {
                "from_name": sender.from_name,
                "from_email": sender.from_email,
                "postal_address": sender.postal_address,
            },
        )
        rendered = rules.render(content, values)
        secret, base = self.config.secret_key, self.config.public_base_url.rstrip("/")
        token = rules.sign(secret, {"p": "u", "m": item.message_id, "e": item.email})
        unsubscribe = f"{base}/u/{token}"
        body = rendered.html
        if plan.track_clicks:
            body = rules.rewrite_links(
                body,
                lambda url: (
                    f"{base}/t/c/" + rules.sign(secret, {"p": "c", "m": item.message_id, "u": url})
                ),
            )
        if plan.track_opens:
            pixel = rules.sign(secret, {"p": "o", "m": item.message_id})
            body += f'<img src="{base}/t/o/{pixel}" width="1" height="1" alt="">'
        rendered = rules.with_footer(
            rules.Content(rendered.subject, body, rendered.text),
            rules.Footer(sender.from_name, sender.postal_address, unsubscribe),
        )
        mailbox = self.config.unsubscribe_mailbox or f"unsubscribe@{sender.domain}"
        job.rfc_id = rules.message_id_header(secret, item.message_id, sender.domain)
        job.return_path = (
            verp_address(secret, item.message_id, self.config.bounce_address)
            if self.config.bounce_address
            else sender.from_email
        )
        job.template_id, job.variant = variant.template_id, variant.name
        job.payload = rules.build_message(
            rules.Envelope(
                from_name=sender.from_name,
                from_email=sender.from_email,
                to=item.email,
                message_id=job.rfc_id,
                unsubscribe_url=unsubscribe,
                unsubscribe_mailto=f"mailto:{mailbox}?subject={quote('unsubscribe ' + token)}",
                reply_to=sender.reply_to,
                campaign_ref=f"c{run.campaign_id}s{item.step}",
            ),
            rendered,
            boundary=f"=_pv_{secrets.token_hex(12)}",
        )

    # --- background loops ------------------------------------------------------------------

    async def _flush_loop(self) -> None:
        while True:
            await asyncio.sleep(self.config.flush_seconds)
            try:
                await self._flush()
            except Exception:
                log.exception("email write-behind failed; will retry")

    async def _flush(self) -> None:
        """Writes the results behind, then publishes the events gathered meanwhile."""
        async with self._flushing:
            await self._write_behind()
        events, self._events = self._events, []
        if events and self.publish is not None:
            await self.publish(events)

    async def _write_behind(self) -> None:
        """Writes the results; every `stats_seconds` or so it then reads the message counts
        again. Both run under `_flushing`, so the live counts are exact: the database's
        plus what is not written yet."""
        results, self._results = self._results, []
        excluded, self._excluded = self._excluded, {}
        deferred, self._deferred = self._deferred, {}
        if results or excluded or deferred:
            try:
                async with self._tx() as session:
                    await db.record_results(session, results)
                    await db.exclude(session, excluded)
                    await db.defer(session, deferred)
            except BaseException:  # cancelled too (close): the final flush writes them
                self._results[:0] = results
                self._excluded.update(excluded)
                self._deferred.update(deferred)
                raise
            settled = {r.message_id for r in results} | set(excluded) | set(deferred)
            for run in self.runs.values():
                run.known -= settled
                if deferred or any(r.status == db.QUEUED for r in results):
                    run.idle_until = 0.0
        if self.runs and time.monotonic() >= self._recount_at:
            await self._recount()

    async def _recount(self) -> None:
        """Every hosted campaign's message counts in one grouped query, in a read-only
        transaction (on SQLite it does not hold the write lock). The query reads each
        campaign's every row (0.1 to 0.2 s for a million), so the next one waits RECOUNT_SHARE
        times as long as this one took (and at least stats_seconds)."""
        started = time.monotonic()
        async with self._tx() as session:
            counts = await db.totals_by_campaign(session, list(self.runs))
        took = time.monotonic() - started
        self._recount_at = time.monotonic() + max(self.config.stats_seconds, took * RECOUNT_SHARE)
        for campaign_id, found in counts.items():
            if campaign_id in self.runs:
                self._refresh(self.runs[campaign_id], found)

    async def _tick_loop(self) -> None:
        """Follow-up steps coming due, A/B winners, statistics on the event stream."""
        last_followup = last_stats = last_bounces = last_recount = 0.0
        while True:
            await asyncio.sleep(self.config.tick_seconds)
            now = time.monotonic()
            if self._mailboxes and now - last_bounces >= self.config.bounce_poll_seconds:
                last_bounces = now
                for box in self._mailboxes:
                    try:
                        await self._read_mailbox(box)
                    except Exception:
                        log.exception("reading the bounce/reply mailbox failed; will retry")
            if now - last_followup >= self.config.followup_seconds:
                last_followup = now
                for run in list(self.runs.values()):
                    try:
                        await self._followups(run)
                    except DomainError:
                        pass
                    except Exception:
                        log.exception("follow-ups of campaign %s failed", run.campaign_id)
            if now - last_stats >= self.config.stats_seconds:
                last_stats = now
                full = now - last_recount >= self.config.events_recount_seconds
                last_recount = now if full else last_recount
                try:
                    await self._count_events(full)
                except Exception:
                    log.exception("counting email events failed; will retry")
                for run in self.runs.values():
                    self._emit(run)

    async def _count_events(self, full: bool) -> None:
        """Adds the events written since the last count (by the API too: webhooks, bounces,
        replies, opens…) to each campaign's live statistics: one grouped query."""
        ids = list(self.runs)
        if not ids:
            return
        async with self._tx() as session:
            after = 0 if full else self._event_mark
            counts, top = await db.events_by_campaign(session, ids, after=after)
        for campaign_id in ids:  # not a campaign hosted meanwhile: it counted its own
            run = self.runs.get(campaign_id)
            if run is None:
                continue
            if full:
                run.events.clear()
            run.events.update(counts.get(campaign_id, {}))
        self._event_mark = max(self._event_mark, top)

    async def _read_mailbox(self, box: BounceMailbox) -> None:
        """Bounces, complaints and replies in the mailbox become events of the messages
        they name (each once); other mails, or mails about no message of ours, are set
        aside."""
        mails = await asyncio.to_thread(box.take)
        events = [e for _, raw in mails for e in db.inbound_events(self.config.secret_key, raw)]
        if events:
            async with self._tx() as session:
                await db.apply_delivery_events(session, events)
        await asyncio.to_thread(box.done, [key for key, _ in mails])

    async def _followups(self, run: EmailRun) -> None:
        """Queues the follow-ups that came due, picks A/B winners, and completes the
        campaign when nothing is left to send (in the same transaction)."""
        if run.status != "running":
            return
        plan = run.campaign.plan
        finished = False
        async with self._tx() as session:
            queued = await db.queue_followups(session, run.campaign, now=self.clock())
            if not queued and not run.pending:
                finished = await db.finish_if_done(session, run.campaign)
            if plan.winner_metric:
                for step in plan.steps:
                    if len(step.variants) > 1 and step.number not in run.winners:
                        results = await db.variant_results(
                            session, run.campaign_id, step.number, plan.winner_metric
                        )
                        winner = rules.pick_winner(results, after=plan.winner_after)
                        if winner:
                            run.winners[step.number] = winner
        if finished:
            await self._retire(run, "finished")
            return
        if queued:
            run.stats["queued"] += queued
            run.idle_until = 0.0
            run.wake.set()

    def _emit(self, run: EmailRun) -> None:
        self._events.append({"type": "email_campaign", **self._snapshot(run)})


def _ended(run: EmailRun, verb: str, unsent: int) -> dict[str, Any]:
    """`<name> finished|stopped: 98 sent, 2 bounced`, what the stop left unsent, and what
    waits for an operator."""
    counts = run.stats
    parts = [f"{counts[db.SENT]} sent", f"{counts[db.BOUNCED]} bounced"]
    excluded = counts[db.EXCLUDED] - unsent
    parts += [f"{n} {s}" for s, n in ((db.FAILED, counts[db.FAILED]), (db.EXCLUDED, excluded)) if n]
    parts += [f"{unsent} not sent (stopped)"] if unsent else []
    message = f"{run.campaign.name} {verb}: {', '.join(parts)}."
    if counts[db.UNKNOWN]:
        message += (
            f" {counts[db.UNKNOWN]} may or may not have been sent when the pacer stopped:"
            " resolve them on the email pacing monitor."
        )
    link = f"#/campaigns/email/{run.campaign_id}"
    return live.job_ended(
        "email_campaign", run.campaign_id, status="completed", message=message, link=link
    )


def _new_run(campaign: db.EmailCampaign) -> EmailRun:
    return EmailRun(
        campaign=campaign,
        bucket=rules.TokenBucket(campaign.plan.rate_per_minute),
        domains=rules.DomainLimits(campaign.plan.domain_limits),
    )


def _check_ready(campaign: db.EmailCampaign) -> None:
    errors = db.readiness(campaign)
    if errors:
        raise ValidationFailed(errors, "The campaign cannot start yet.")
