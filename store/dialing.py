"""What the dialer reads and writes: campaigns, hopper leads, dial intents, call outcomes,
dispositions and agent sessions. Every decision is written before it is acted on, with
unique keys (one attempt number per lead) so a retry or a restart cannot dial twice.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, exists, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from engine.disposition import Disposition as DispositionRuleSet
from engine.disposition import DispositionRule
from engine.errors import Conflict, NotFound
from engine.retry import Outcome
from store.models import (
    Activity,
    AgentSession,
    Base,
    Call,
    CallAttempt,
    Callback,
    Campaign,
    CampaignLead,
    Contact,
    Disposition,
    Lead,
    QualificationQuestion,
    Recording,
    Suppression,
    Transcript,
)
from store.segments import audience_ids

# Lead statuses in campaign_leads.
PENDING, QUEUED, DIALING, CLOSED, SUPPRESSED = (
    "pending",
    "queued",
    "dialing",
    "closed",
    "suppressed",
)
LIVE_CALL = ("dialing", "ringing", "answered")


@dataclass
class CampaignConfig:
    campaign_id: int
    name: str
    client_id: int | None
    status: str
    settings: dict[str, Any]
    dispositions: dict[str, DispositionRuleSet]
    questions: list[dict[str, Any]]


@dataclass(frozen=True)
class DueLead:
    lead_id: int
    contact_id: int
    account_id: int | None
    phone_e164: str
    priority: int
    due_at: datetime
    attempts: int
    timezone: str | None
    callback_agent_id: int | None


@dataclass(frozen=True)
class DialIntent:
    campaign_id: int
    lead_id: int
    contact_id: int
    account_id: int | None
    agent_id: int
    phone_e164: str
    attempt_no: int
    carrier: str


@dataclass(frozen=True)
class CallOutcome:
    """What the carrier told us about one call, folded into one row update."""

    call_id: int
    status: str
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    carrier_call_id: str | None = None
    outcome: str | None = None
    lead_id: int | None = None
    next_attempt_at: datetime | None = None
    close_lead: bool = False
    # Set for calls that end without reaching an agent: they get their call_ended activity.
    contact_id: int | None = None
    account_id: int | None = None
    campaign_id: int | None = None
    agent_id: int | None = None


@dataclass
class DispositionRecord:
    call_id: int
    code: str
    agent_id: int
    answers: dict[str, Any]
    notes: str | None
    close_lead: bool
    suppress_number: bool
    create_qa_lead: bool
    next_attempt_at: datetime | None
    callback_at: datetime | None
    callback_agent_id: int | None
    extra: dict[str, Any] = field(default_factory=dict)


def now_utc() -> datetime:
    return datetime.now(UTC)


def _dialect_insert(session: AsyncSession, model: type[Base]) -> Any:
    """INSERT with ON CONFLICT support, in the dialect of the session's database."""
    dialect = session.get_bind().dialect.name
    return (postgresql_insert if dialect == "postgresql" else sqlite_insert)(model)


# --- campaigns -----------------------------------------------------------------------------


async def running_call_campaigns(session: AsyncSession) -> list[int]:
    query = select(Campaign.id).where(
        Campaign.kind == "call", Campaign.status.in_(("running", "paused"))
    )
    return list(await session.scalars(query))


async def load_campaign(session: AsyncSession, campaign_id: int) -> CampaignConfig:
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None or campaign.kind != "call":
        raise NotFound("Call campaign")
    rows = await session.scalars(
        select(Disposition)
        .where(or_(Disposition.campaign_id == campaign_id, Disposition.campaign_id.is_(None)))
        .order_by(Disposition.campaign_id.is_(None))  # campaign-specific codes win
    )
    dispositions: dict[str, DispositionRuleSet] = {}
    for row in rows:
        dispositions.setdefault(
            row.code,
            DispositionRuleSet(
                row.code,
                row.label,
                DispositionRule(row.rule),
                row.shortcut,
                Outcome(row.retry_outcome) if row.retry_outcome else None,
            ),
        )
    questions = await session.scalars(
        select(QualificationQuestion)
        .where(QualificationQuestion.campaign_id == campaign_id)
        .order_by(QualificationQuestion.position)
    )
    return CampaignConfig(
        campaign_id=campaign.id,
        name=campaign.name,
        client_id=campaign.client_id,
        status=campaign.status,
        settings=dict(campaign.settings),
        dispositions=dispositions,
        questions=[
            {
                "key": q.key,
                "label": q.label,
                "answer_type": q.answer_type,
                "options": q.options,
                "required": q.required,
            }
            for q in questions
        ],
    )


async def set_campaign_status(session: AsyncSession, campaign_id: int, status: str) -> None:
    await session.execute(update(Campaign).where(Campaign.id == campaign_id).values(status=status))


async def materialize_audience(session: AsyncSession, campaign_id: int) -> int:
    """Adds the audience's contacts with a phone to the campaign's leads (once each)."""
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound("Campaign")
    members = await audience_ids(session, campaign.audience or {})
    query = select(Contact.id).where(
        Contact.id.in_(members), Contact.direct_phone_e164.is_not(None)
    )
    known = select(CampaignLead.contact_id).where(CampaignLead.campaign_id == campaign_id)
    contact_ids = list(await session.scalars(query.where(Contact.id.not_in(known))))
    if contact_ids:
        await session.execute(
            insert(CampaignLead),
            [
                {
                    "campaign_id": campaign_id,
                    "contact_id": c,
                    "status": PENDING,
                    "priority": 0,
                    "attempts": 0,
                    "updated_at": now_utc(),
                }
                for c in contact_ids
            ],
        )
    return len(contact_ids)


# --- hopper --------------------------------------------------------------------------------


def _not_suppressed(client_id: int | None) -> Any:
    scope = or_(Suppression.client_id.is_(None), Suppression.client_id == client_id)
    phone = exists().where(
        Suppression.kind == "phone", Suppression.value == Contact.direct_phone_e164, scope
    )
    return ~phone


async def take_due_leads(
    session: AsyncSession,
    campaign_id: int,
    *,
    client_id: int | None,
    now: datetime,
    horizon: datetime,
    limit: int,
) -> list[DueLead]:
    """Moves up to `limit` dialable leads into the hopper (status `queued`) and returns them."""
    open_callback = (
        select(Callback.agent_id)
        .where(Callback.campaign_lead_id == CampaignLead.id, Callback.done_at.is_(None))
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(
            CampaignLead.id,
            CampaignLead.contact_id,
            Contact.account_id,
            Contact.direct_phone_e164,
            CampaignLead.priority,
            CampaignLead.next_attempt_at,
            CampaignLead.attempts,
            Contact.timezone,
            open_callback,
        )
        .join(Contact, Contact.id == CampaignLead.contact_id)
        .where(
            CampaignLead.campaign_id == campaign_id,
            CampaignLead.status == PENDING,
            or_(CampaignLead.next_attempt_at.is_(None), CampaignLead.next_attempt_at <= horizon),
            Contact.direct_phone_e164.is_not(None),
            _not_suppressed(client_id),
        )
        .order_by(
            CampaignLead.priority.desc(),
            CampaignLead.next_attempt_at.is_not(None),
            CampaignLead.next_attempt_at,
            CampaignLead.id,
        )
        .limit(limit)
    )
    rows = (await session.execute(query)).all()
    if not rows:
        return []
    await session.execute(
        update(CampaignLead).where(CampaignLead.id.in_([r[0] for r in rows])).values(status=QUEUED)
    )
    return [DueLead(r[0], r[1], r[2], r[3], r[4], r[5] or now, r[6], r[7], r[8]) for r in rows]


async def release_queued(session: AsyncSession, lead_ids: Sequence[int]) -> None:
    """Hands hopper leads back to the pool (campaign stopped, or dialer restarting)."""
    if lead_ids:
        await session.execute(
            update(CampaignLead)
            .where(CampaignLead.id.in_(lead_ids), CampaignLead.status == QUEUED)
            .values(status=PENDING)
        )


async def suppressed_among(
    session: AsyncSession, numbers: Iterable[str], client_id: int | None
) -> set[str]:
    numbers = list(numbers)
    if not numbers:
        return set()
    query = select(Suppression.value).where(
        Suppression.kind == "phone",
        Suppression.value.in_(numbers),
        or_(Suppression.client_id.is_(None), Suppression.client_id == client_id),
    )
    return set(await session.scalars(query))


async def mark_number_suppressed(session: AsyncSession, numbers: Sequence[str]) -> None:
    """Closes waiting leads on these numbers in every campaign (their calls are over)."""
    contacts = select(Contact.id).where(Contact.direct_phone_e164.in_(numbers))
    await session.execute(
        update(CampaignLead)
        .where(
            CampaignLead.contact_id.in_(contacts),
            CampaignLead.status.in_((PENDING, QUEUED)),
        )
        .values(status=SUPPRESSED)
    )


# --- dials and outcomes --------------------------------------------------------------------


async def record_dials(session: AsyncSession, intents: Sequence[DialIntent]) -> list[int]:
    """Writes the calls and attempts before any is dialed; returns the call ids in order.
    Bulk statements: this runs for every dial at the engine's full rate."""
    now = now_utc()
    call_ids = list(
        await session.scalars(
            insert(Call).returning(Call.id, sort_by_parameter_order=True),
            [
                {
                    "campaign_id": i.campaign_id,
                    "contact_id": i.contact_id,
                    "agent_id": i.agent_id,
                    "phone_e164": i.phone_e164,
                    "status": "dialing",
                    "answers": {},
                    "started_at": now,
                }
                for i in intents
            ],
        )
    )
    pairs = list(zip(call_ids, intents, strict=True))
    await session.execute(
        insert(CallAttempt),
        [
            {
                "call_id": c,
                "campaign_lead_id": i.lead_id,
                "attempt_no": i.attempt_no,
                "carrier": i.carrier,
                "created_at": now,
            }
            for c, i in pairs
        ],
    )
    await session.execute(
        insert(Activity),
        [
            {
                "kind": "call_started",
                "contact_id": i.contact_id,
                "account_id": i.account_id,
                "campaign_id": i.campaign_id,
                "actor_id": i.agent_id,
                "created_at": now,
                "data": {"call_id": c, "attempt": i.attempt_no, "phone": i.phone_e164},
            }
            for c, i in pairs
        ],
    )
    await session.execute(
        update(CampaignLead),
        [
            {"id": i.lead_id, "status": DIALING, "attempts": i.attempt_no, "updated_at": now}
            for i in intents
        ],
    )
    await close_callbacks(session, [i.lead_id for i in intents])
    return call_ids


# Core tables for the executemany updates below (ORM bulk updates go by primary key only).
_attempts = Base.metadata.tables["call_attempts"]
_leads = Base.metadata.tables["campaign_leads"]
_OUTCOME_OF_ATTEMPT = (
    update(_attempts)
    .where(_attempts.c.call_id == bindparam("b_call"))
    .values(
        outcome=func.coalesce(bindparam("b_outcome"), _attempts.c.outcome),
        carrier_call_id=func.coalesce(bindparam("b_carrier"), _attempts.c.carrier_call_id),
    )
)
_LEAD_AFTER_CALL = (
    update(_leads)
    .where(
        _leads.c.id == bindparam("b_lead"),
        _leads.c.status == DIALING,
    )
    .values(
        status=bindparam("b_status"),
        next_attempt_at=bindparam("b_next", type_=_leads.c.next_attempt_at.type),
        last_disposition=bindparam("b_outcome"),
    )
)


async def record_outcomes(session: AsyncSession, outcomes: Sequence[CallOutcome]) -> None:
    """Folds a batch of call progress into the calls, attempts and leads, in bulk."""
    if not outcomes:
        return
    await session.execute(update(Call), [_call_row(o) for o in outcomes])
    await session.execute(
        _OUTCOME_OF_ATTEMPT,
        [
            {"b_call": o.call_id, "b_outcome": o.outcome, "b_carrier": o.carrier_call_id}
            for o in outcomes
        ],
    )
    ended = [o for o in outcomes if o.contact_id is not None]
    if ended:
        await session.execute(
            insert(Activity),
            [
                {
                    "kind": "call_ended",
                    "contact_id": o.contact_id,
                    "account_id": o.account_id,
                    "campaign_id": o.campaign_id,
                    "actor_id": o.agent_id,
                    "created_at": now_utc(),
                    "data": {"call_id": o.call_id, "disposition": o.outcome, "duration_seconds": 0},
                }
                for o in ended
            ],
        )
    leads = [o for o in outcomes if o.lead_id is not None and (o.close_lead or o.next_attempt_at)]
    if leads:
        await session.execute(
            _LEAD_AFTER_CALL,
            [
                {
                    "b_lead": o.lead_id,
                    "b_status": CLOSED if o.close_lead else PENDING,
                    "b_next": o.next_attempt_at,
                    "b_outcome": o.outcome,
                }
                for o in leads
            ],
        )


async def record_recordings(
    session: AsyncSession, recordings: Sequence[tuple[int, str]], *, transcribe: bool = False
) -> None:
    """The carrier's recordings of answered calls, for QA (call id, where it is stored).
    With `transcribe`, each gets a queued transcript in the same transaction: the
    transcription worker (dialer/analysis_flows.py) takes it from there."""
    if recordings:
        recording_ids = await session.scalars(
            insert(Recording).returning(Recording.id, sort_by_parameter_order=True),
            [{"call_id": c, "url": url, "created_at": now_utc()} for c, url in recordings],
        )
        if transcribe:
            await session.execute(
                insert(Transcript),
                [
                    {
                        "recording_id": r,
                        "status": "queued",
                        "utterances": [],
                        "created_at": now_utc(),
                    }
                    for r in recording_ids
                ],
            )


def _call_row(o: CallOutcome) -> dict[str, Any]:
    row: dict[str, Any] = {"id": o.call_id, "status": o.status}
    for key in ("answered_at", "ended_at"):
        if getattr(o, key) is not None:
            row[key] = getattr(o, key)
    if o.outcome:
        row["disposition"] = o.outcome
    return row


async def attempts_for_call(session: AsyncSession, call_id: int) -> int:
    attempt = await session.scalar(
        select(CallAttempt.attempt_no).where(CallAttempt.call_id == call_id)
    )
    return int(attempt or 1)


@dataclass
class Disposed:
    phone_e164: str  # the number called
    qa_lead_id: int | None  # the lead the disposition created for QA, if it did


async def record_disposition(session: AsyncSession, rec: DispositionRecord) -> Disposed:
    """Applies a disposition to an answered call and its lead."""
    call = await session.get(Call, rec.call_id, with_for_update=True)
    if call is None:
        raise NotFound("Call")
    if call.status == "disposed":
        raise Conflict(f"Call {call.id} already has the disposition {call.disposition!r}.")
    now = now_utc()
    talk = ((call.ended_at or now) - call.answered_at).total_seconds() if call.answered_at else 0.0
    call.status, call.disposition, call.answers, call.notes = (
        "disposed",
        rec.code,
        rec.answers,
        rec.notes,
    )
    call.ended_at = call.ended_at or now
    call.talk_seconds = talk
    lead_id = await session.scalar(
        select(CallAttempt.campaign_lead_id).where(CallAttempt.call_id == call.id)
    )
    await _apply_to_lead(session, rec, lead_id, now)
    if rec.suppress_number:
        await _suppress_globally(session, call.phone_e164, rec.agent_id)
        await mark_number_suppressed(session, [call.phone_e164])
    qa_lead = None
    if rec.create_qa_lead:
        qa_lead = Lead(
            campaign_id=call.campaign_id,
            contact_id=call.contact_id,
            call_id=call.id,
            agent_id=rec.agent_id,
            answers=rec.answers,
        )
        session.add(qa_lead)
        await session.flush()  # its id, for the live stream
    contact = await session.get(Contact, call.contact_id)
    session.add(
        Activity(
            kind="call_ended",
            contact_id=call.contact_id,
            account_id=contact.account_id if contact else None,
            campaign_id=call.campaign_id,
            actor_id=rec.agent_id,
            data={"call_id": call.id, "disposition": rec.code, "duration_seconds": round(talk, 1)},
        )
    )
    return Disposed(call.phone_e164, qa_lead.id if qa_lead else None)


async def _suppress_globally(session: AsyncSession, phone: str, agent_id: int) -> None:
    """Adds the global DNC entry unless one exists, also when another request adds it now."""
    statement = _dialect_insert(session, Suppression)
    await session.execute(
        statement.on_conflict_do_nothing(),
        [
            {
                "kind": "phone",
                "value": phone,
                "client_id": None,
                "source": "disposition",
                "reason": "Do-not-call request during a call",
                "created_by_id": agent_id,
                "created_at": now_utc(),
            }
        ],
    )


async def _apply_to_lead(
    session: AsyncSession, rec: DispositionRecord, lead_id: int | None, now: datetime
) -> None:
    if lead_id is None:
        return
    values: dict[str, Any] = {"last_disposition": rec.code, "updated_at": now}
    if rec.close_lead or rec.suppress_number:
        values["status"] = SUPPRESSED if rec.suppress_number else CLOSED
    else:
        values["status"] = PENDING
        values["next_attempt_at"] = rec.callback_at or rec.next_attempt_at
        if rec.next_attempt_at is None and rec.callback_at is None:
            values["status"] = CLOSED
    await session.execute(update(CampaignLead).where(CampaignLead.id == lead_id).values(**values))
    if rec.callback_at is not None:
        session.add(
            Callback(
                campaign_lead_id=lead_id, agent_id=rec.callback_agent_id, due_at=rec.callback_at
            )
        )


async def close_callbacks(session: AsyncSession, lead_ids: Sequence[int]) -> None:
    if lead_ids:
        await session.execute(
            update(Callback)
            .where(Callback.campaign_lead_id.in_(lead_ids), Callback.done_at.is_(None))
            .values(done_at=now_utc())
        )


# --- recovery and statistics ---------------------------------------------------------------


async def recover(session: AsyncSession) -> list[tuple[int, int | None, int]]:
    """After a restart: calls that were live are over; their leads go back to the pool and
    queued leads are released. Returns (call id, agent id, campaign id) of calls that had
    been answered, whose agents owe a disposition."""
    now = now_utc()
    live = (
        await session.execute(
            select(Call.id, Call.agent_id, Call.campaign_id, Call.answered_at).where(
                Call.status.in_(LIVE_CALL)
            )
        )
    ).all()
    answered = [(r[0], r[1], r[2]) for r in live if r[3] is not None]
    unanswered = [r[0] for r in live if r[3] is None]
    if unanswered:
        await session.execute(
            update(Call)
            .where(Call.id.in_(unanswered))
            .values(status="interrupted", ended_at=now, disposition="interrupted")
        )
        leads = select(CallAttempt.campaign_lead_id).where(CallAttempt.call_id.in_(unanswered))
        await session.execute(
            update(CampaignLead)
            .where(CampaignLead.id.in_(leads), CampaignLead.status == DIALING)
            .values(status=PENDING, next_attempt_at=now)
        )
    if answered:
        await session.execute(
            update(Call)
            .where(Call.id.in_([a[0] for a in answered]))
            .values(status="ended", ended_at=now)
        )
    await session.execute(
        update(CampaignLead).where(CampaignLead.status == QUEUED).values(status=PENDING)
    )
    return answered


async def undisposed_calls(session: AsyncSession) -> dict[int, tuple[int, int]]:
    """Agent id → (call id, campaign id) of answered calls still waiting for a disposition."""
    rows = (
        await session.execute(
            select(Call.agent_id, Call.id, Call.campaign_id).where(
                Call.status == "ended", Call.answered_at.is_not(None), Call.agent_id.is_not(None)
            )
        )
    ).all()
    return {r[0]: (r[1], r[2]) for r in rows if r[0] is not None}


async def campaign_totals(session: AsyncSession, campaign_id: int) -> dict[str, Any]:
    row = (
        await session.execute(
            select(
                func.count(Call.id),
                func.count(Call.answered_at),
                func.coalesce(func.sum(Call.talk_seconds), 0.0),
            ).where(Call.campaign_id == campaign_id)
        )
    ).one()
    by_code = (
        await session.execute(
            select(Call.disposition, func.count())
            .where(Call.campaign_id == campaign_id, Call.disposition.is_not(None))
            .group_by(Call.disposition)
        )
    ).all()
    return {
        "dials": int(row[0]),
        "connects": int(row[1]),
        "talk_seconds": float(row[2] or 0),
        "dispositions": {code: int(n) for code, n in by_code},
    }


# --- agent sessions ------------------------------------------------------------------------


async def save_agent_sessions(session: AsyncSession, snapshots: Sequence[dict[str, Any]]) -> None:
    """Upserts the agents' console state (one statement for the whole batch)."""
    if not snapshots:
        return
    rows = [
        {
            "agent_id": snap["agent_id"],
            "campaign_ids": snap["campaigns"],
            "state": snap["state"],
            "reason": snap["reason"],
            "call_id": snap.get("call_id"),
            "updated_at": now_utc(),
        }
        for snap in snapshots
    ]
    upsert = _dialect_insert(session, AgentSession)
    changed = {
        k: upsert.excluded[k] for k in ("campaign_ids", "state", "reason", "call_id", "updated_at")
    }
    await session.execute(
        upsert.on_conflict_do_update(index_elements=["agent_id"], set_=changed), rows
    )


async def agent_sessions(session: AsyncSession) -> list[AgentSession]:
    return list(await session.scalars(select(AgentSession).where(AgentSession.state != "offline")))
