"""Lead QA: the grid, the lead drawer, single and bulk decisions, and the review history."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import AwareDatetime, Field, StrictBool

from api.deps import PageDep, Principal, SessionDep, require
from api.schemas import Page, ReadModel, RowId, Strict
from engine import live
from engine.qa import QaStatus
from store import leads
from store.models import Lead, QaReview
from store.pagination import paginate

router = APIRouter(tags=["leads"])

Reader = Annotated[Principal, Depends(require("leads", "read"))]
Reviewer = Annotated[Principal, Depends(require("leads", "write"))]
Reason = Annotated[str, Field(min_length=1, max_length=500)]
Score = Annotated[int, Query(ge=0, le=100)]
# `?id=1&id=2`: the rows the live stream said changed (at most one bulk decision's worth).
LeadIds = Annotated[list[RowId] | None, Query(alias="id", max_length=500)]
# Ids the databases can hold (BIGINT): a bigger one is a 422, not a driver error.


class LeadTransition(Strict):
    to: QaStatus
    reason: Reason | None = None
    checklist: dict[Annotated[str, Field(max_length=64)], StrictBool] = {}


class LeadBulkTransition(Strict):
    ids: Annotated[list[RowId], Field(min_length=1, max_length=500)]
    to: QaStatus
    reason: Reason | None = None


class LeadRead(ReadModel):
    id: int
    campaign_id: int
    contact_id: int
    call_id: int | None
    agent_id: int | None
    qa_status: str
    ai_score: int | None
    approved_at: datetime | None
    created_at: datetime
    updated_at: datetime


class LeadRowRead(LeadRead):
    """A grid row: the lead with its contact's and agent's names."""

    contact_name: str | None
    agent_name: str | None


class ChecklistItemRead(ReadModel):
    key: str
    label: str
    automatic: bool
    done: bool
    problem: str | None


class PersonRead(ReadModel):
    id: int
    full_name: str | None


class ContactBrief(PersonRead):
    email: str | None
    direct_phone_e164: str | None
    job_title: str | None
    account_id: int | None
    consent_basis: str | None


class RecordingRead(ReadModel):
    id: int
    url: str
    duration_seconds: float | None


class TranscriptRead(ReadModel):
    status: str
    text: str | None
    utterances: list[Any]


class LeadDetailRead(LeadRead):
    answers: dict[str, Any]
    checklist: list[ChecklistItemRead]
    ai_analysis: dict[str, Any]
    contact: ContactBrief | None
    agent: PersonRead | None
    recording: RecordingRead | None
    transcript: TranscriptRead | None


class LeadBulkResult(Strict):
    moved: int
    items: list[LeadRead]


class QaReviewRead(ReadModel):
    id: int
    lead_id: int
    reviewer_id: int | None
    from_status: str
    to_status: str
    reason: str | None
    created_at: datetime


async def _detail(session: SessionDep, lead_id: int) -> LeadDetailRead:
    found = await leads.detail(session, lead_id=lead_id)
    lead = found.lead
    return LeadDetailRead(
        **LeadRead.model_validate(lead).model_dump(),
        answers=lead.answers,
        ai_analysis=lead.ai_analysis,
        checklist=[ChecklistItemRead.model_validate(item) for item in found.checklist],
        contact=ContactBrief.model_validate(found.contact) if found.contact else None,
        agent=PersonRead.model_validate(found.agent) if found.agent else None,
        recording=RecordingRead.model_validate(found.recording) if found.recording else None,
        transcript=TranscriptRead.model_validate(found.transcript) if found.transcript else None,
    )


@router.get("/leads")
async def list_leads(
    _: Reader,
    session: SessionDep,
    page: PageDep,
    qa_status: QaStatus | None = None,
    campaign_id: RowId | None = None,
    agent_id: RowId | None = None,
    created_from: AwareDatetime | None = None,
    created_to: AwareDatetime | None = None,
    min_score: Score | None = None,
    max_score: Score | None = None,
    ids: LeadIds = None,
) -> Page[LeadRowRead]:
    query = leads.leads_query(
        ids=ids,
        qa_status=qa_status,
        campaign_id=campaign_id,
        agent_id=agent_id,
        created_from=created_from,
        created_to=created_to,
        min_score=min_score,
        max_score=max_score,
    )
    result = await paginate(session, query, Lead.id, limit=page.limit, cursor=page.cursor)
    names = await leads.grid_names(session, result.items)
    items = [
        LeadRowRead(
            **LeadRead.model_validate(lead).model_dump(),
            contact_name=names.contacts.get(lead.contact_id),
            agent_name=names.agents.get(lead.agent_id) if lead.agent_id is not None else None,
        )
        for lead in result.items
    ]
    return Page[LeadRowRead](items=items, next_cursor=result.next_cursor)


@router.get("/leads/{lead_id}")
async def get_lead(lead_id: RowId, _: Reader, session: SessionDep) -> LeadDetailRead:
    return await _detail(session, lead_id)


def _changed(request: Request, ids: list[int]) -> None:
    """Every QA grid that is open hears of the decision (as ids: one event per request)."""
    if ids:
        request.app.state.outbox.emit([live.leads_changed(ids, "decided")])


@router.post("/leads/{lead_id}/transition")
async def transition_lead(
    lead_id: RowId,
    body: LeadTransition,
    principal: Reviewer,
    session: SessionDep,
    request: Request,
) -> LeadDetailRead:
    await leads.decide(
        session,
        lead_id=lead_id,
        to=body.to.value,
        reason=body.reason,
        ticks=body.checklist,
        reviewer_id=principal.user_id,
    )
    await session.commit()
    _changed(request, [lead_id])
    return await _detail(session, lead_id)


@router.post("/leads/bulk")
async def transition_leads(
    body: LeadBulkTransition, principal: Reviewer, session: SessionDep, request: Request
) -> LeadBulkResult:
    moved = await leads.decide_many(
        session,
        lead_ids=body.ids,
        to=body.to.value,
        reason=body.reason,
        reviewer_id=principal.user_id,
    )
    await session.commit()
    _changed(request, [lead.id for lead in moved])
    return LeadBulkResult(moved=len(moved), items=[LeadRead.model_validate(x) for x in moved])


@router.get("/leads/{lead_id}/reviews")
async def list_reviews(
    lead_id: RowId, _: Reader, session: SessionDep, page: PageDep
) -> Page[QaReviewRead]:
    await leads.get_or_raise(session, lead_id=lead_id)
    query = leads.reviews_query(lead_id=lead_id)
    result = await paginate(session, query, QaReview.id, limit=page.limit, cursor=page.cursor)
    return Page[QaReviewRead](
        items=[QaReviewRead.model_validate(r) for r in result.items],
        next_cursor=result.next_cursor,
    )
