"""Leads and their QA decisions. The rules are engine.qa's; this module loads and records."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from engine import qa
from engine.errors import (
    Conflict,
    DomainError,
    FieldError,
    IllegalTransition,
    NotFound,
    ValidationFailed,
)
from store import triggers
from store.models import (
    Campaign,
    Contact,
    Lead,
    QaReview,
    QualificationQuestion,
    Recording,
    Transcript,
    User,
    utcnow,
)


def leads_query(
    *,
    ids: Sequence[int] | None = None,
    qa_status: str | None = None,
    campaign_id: int | None = None,
    agent_id: int | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    min_score: int | None = None,
    max_score: int | None = None,
) -> Select[Any]:
    query = select(Lead)
    if ids is not None:
        query = query.where(Lead.id.in_(ids))
    if qa_status:
        query = query.where(Lead.qa_status == qa_status)
    if campaign_id is not None:
        query = query.where(Lead.campaign_id == campaign_id)
    if agent_id is not None:
        query = query.where(Lead.agent_id == agent_id)
    if created_from is not None:
        query = query.where(Lead.created_at >= created_from)
    if created_to is not None:
        query = query.where(Lead.created_at < created_to)
    # A score bound leaves out unscored leads (no analysis yet, or a failed one).
    if min_score is not None:
        query = query.where(Lead.ai_score >= min_score)
    if max_score is not None:
        query = query.where(Lead.ai_score <= max_score)
    return query


@dataclass
class GridNames:
    """Who a page of grid rows is about and who qualified them, by id."""

    contacts: dict[int, str | None]
    agents: dict[int, str]


async def grid_names(session: AsyncSession, rows: Sequence[Lead]) -> GridNames:
    """The contact and agent names of a page of leads, in two queries (not one per row)."""
    contact_ids = {lead.contact_id for lead in rows}
    agent_ids = {lead.agent_id for lead in rows if lead.agent_id is not None}
    contacts = await session.execute(
        select(Contact.id, Contact.full_name).where(Contact.id.in_(contact_ids))
    )
    agents = await session.execute(select(User.id, User.full_name).where(User.id.in_(agent_ids)))
    return GridNames(
        {id_: name for id_, name in contacts.all()}, {id_: name for id_, name in agents.all()}
    )


def reviews_query(*, lead_id: int) -> Select[Any]:
    return select(QaReview).where(QaReview.lead_id == lead_id)


async def get_or_raise(session: AsyncSession, *, lead_id: int) -> Lead:
    lead = await session.get(Lead, lead_id)
    if lead is None:
        raise NotFound("Lead")
    return lead


@dataclass
class LeadDetail:
    """A lead with everything the QA drawer shows beside it."""

    lead: Lead
    contact: Contact | None
    agent: User | None
    recording: Recording | None
    transcript: Transcript | None
    checklist: list[qa.ChecklistItem]


async def detail(session: AsyncSession, *, lead_id: int) -> LeadDetail:
    lead = await get_or_raise(session, lead_id=lead_id)
    recording = await _recording(session, lead.call_id)
    transcript = None
    if recording is not None:
        query = select(Transcript).where(Transcript.recording_id == recording.id)
        transcript = await session.scalar(query.order_by(Transcript.id.desc()).limit(1))
    spec = await checklist_spec(session, campaign_id=lead.campaign_id)
    facts = qa.LeadFacts(lead.answers, recording is not None)
    return LeadDetail(
        lead=lead,
        contact=await session.get(Contact, lead.contact_id),
        agent=await session.get(User, lead.agent_id) if lead.agent_id is not None else None,
        recording=recording,
        transcript=transcript,
        checklist=qa.evaluate(spec, lead.checklist, facts),
    )


async def checklist_spec(session: AsyncSession, *, campaign_id: int) -> qa.ChecklistSpec:
    """The campaign's checklist: its settings plus its required qualification questions."""
    campaign = await session.get(Campaign, campaign_id)
    raw = (campaign.settings if campaign else {}).get("qa_checklist")
    query = select(QualificationQuestion.key).where(
        QualificationQuestion.campaign_id == campaign_id, QualificationQuestion.required
    )
    required = await session.scalars(query.order_by(QualificationQuestion.position))
    return qa.ChecklistSpec.from_settings(raw, required_answers=list(required))


async def _recording(session: AsyncSession, call_id: int | None) -> Recording | None:
    if call_id is None:
        return None
    query = select(Recording).where(Recording.call_id == call_id)
    return await session.scalar(query.order_by(Recording.id.desc()).limit(1))


async def _has_recording(session: AsyncSession, call_id: int | None) -> bool:
    if call_id is None:
        return False
    return bool(await session.scalar(select(exists().where(Recording.call_id == call_id))))


# --- decisions -------------------------------------------------------------------------------


async def decide(
    session: AsyncSession,
    *,
    lead_id: int,
    to: str,
    reason: str | None,
    ticks: Mapping[str, bool],
    reviewer_id: int | None,
) -> Lead:
    """Move one lead (with the reviewer's checklist ticks) and record the review."""
    lead = await get_or_raise(session, lead_id=lead_id)
    spec = await checklist_spec(session, campaign_id=lead.campaign_id)
    await _move(session, lead, spec, to=to, reason=reason, ticks=ticks, reviewer_id=reviewer_id)
    return lead


async def decide_many(
    session: AsyncSession,
    *,
    lead_ids: Sequence[int],
    to: str,
    reason: str | None,
    reviewer_id: int | None,
) -> list[Lead]:
    """Move every lead or none: the error lists each lead that cannot move, and why."""
    lead_ids = list(dict.fromkeys(lead_ids))
    found = await session.scalars(select(Lead).where(Lead.id.in_(lead_ids)))
    by_id = {lead.id: lead for lead in found}
    missing = [i for i in lead_ids if i not in by_id]
    if missing:
        message = f"No such leads: {', '.join(map(str, missing))}."
        raise ValidationFailed([FieldError("ids", message)])
    specs: dict[int, qa.ChecklistSpec] = {}
    refusals = []
    for lead_id in lead_ids:
        lead = by_id[lead_id]
        if lead.campaign_id not in specs:
            specs[lead.campaign_id] = await checklist_spec(session, campaign_id=lead.campaign_id)
        try:
            await _move(
                session,
                lead,
                specs[lead.campaign_id],
                to=to,
                reason=reason,
                ticks={},
                reviewer_id=reviewer_id,
            )
        except (ValidationFailed, IllegalTransition, Conflict) as exc:
            refusals.append(FieldError(f"leads.{lead_id}", qa.describe(exc)))
    if refusals:
        raise DomainError(
            message=f"{len(refusals)} of {len(lead_ids)} leads cannot move to {to!r}; none moved.",
            code="conflict",
            status=409,
            errors=refusals,
        )
    return [by_id[i] for i in lead_ids]


async def _move(
    session: AsyncSession,
    lead: Lead,
    spec: qa.ChecklistSpec,
    *,
    to: str,
    reason: str | None,
    ticks: Mapping[str, bool],
    reviewer_id: int | None,
) -> None:
    merged = qa.merge_ticks(spec, lead.checklist, ticks)
    facts = qa.LeadFacts(lead.answers, await _has_recording(session, lead.call_id))
    current = lead.qa_status
    target = qa.decide(
        current, to, spec=spec, ticks=merged, facts=facts, reason=reason, what=f"Lead {lead.id}"
    )
    now = utcnow()
    values: dict[str, Any] = {"qa_status": target.value, "checklist": merged, "updated_at": now}
    if target is qa.QaStatus.APPROVED:
        values["approved_at"] = now
    # Conditional on the status we read: of two reviewers deciding at once, one wins.
    result = await session.execute(
        update(Lead)
        .where(Lead.id == lead.id, Lead.qa_status == current)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise Conflict(f"Lead {lead.id} was changed by someone else; reload it.")
    for key, value in values.items():
        set_committed_value(lead, key, value)  # already written; no second UPDATE
    session.add(
        QaReview(
            lead_id=lead.id,
            reviewer_id=reviewer_id,
            from_status=current,
            to_status=target.value,
            reason=reason,
        )
    )
    await triggers.qa_decided(session, lead, before=current)
