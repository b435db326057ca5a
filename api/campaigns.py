"""Campaign records. Running them (start, pause, pacing) is the actors' work."""

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import Field

from api.deps import PageDep, Principal, SessionDep, require
from api.schemas import Page, ReadModel, RowId, Strict
from store import audit, campaigns
from store.models import Campaign
from store.pagination import paginate

router = APIRouter(tags=["campaigns"])

Reader = Annotated[Principal, Depends(require("campaigns", "read"))]
Writer = Annotated[Principal, Depends(require("campaigns", "write"))]


class CampaignCreate(Strict):
    kind: Literal["call", "email"]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    client_id: RowId | None = None
    audience: dict[str, Any] = {}
    settings: dict[str, Any] = {}


class CampaignUpdate(Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    client_id: RowId | None = None
    audience: dict[str, Any] | None = None
    settings: dict[str, Any] | None = None


class CampaignRead(ReadModel):
    id: int
    kind: str
    name: str
    status: str
    client_id: int | None
    audience: dict[str, Any]
    settings: dict[str, Any]
    created_at: datetime


@router.get("/campaigns")
async def list_campaigns(
    _: Reader,
    session: SessionDep,
    page: PageDep,
    kind: Literal["call", "email"] | None = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
) -> Page[CampaignRead]:
    query = campaigns.campaigns_query(kind=kind, status=status)
    result = await paginate(session, query, Campaign.id, limit=page.limit, cursor=page.cursor)
    return Page[CampaignRead](
        items=[CampaignRead.model_validate(c) for c in result.items],
        next_cursor=result.next_cursor,
    )


@router.post("/campaigns", status_code=201)
async def create_campaign(
    body: CampaignCreate, principal: Writer, session: SessionDep
) -> CampaignRead:
    campaign = Campaign(owner_id=principal.user_id, **body.model_dump())
    session.add(campaign)
    await session.flush()
    audit.record(
        session,
        action="campaign.create",
        target_type="campaign",
        target_id=campaign.id,
        by=principal.audit(),
    )
    await session.commit()
    return CampaignRead.model_validate(campaign)


@router.get("/campaigns/{campaign_id}")
async def get_campaign(campaign_id: RowId, _: Reader, session: SessionDep) -> CampaignRead:
    return CampaignRead.model_validate(
        await campaigns.get_or_raise(session, campaign_id=campaign_id)
    )


@router.patch("/campaigns/{campaign_id}")
async def update_campaign(
    campaign_id: RowId, body: CampaignUpdate, principal: Writer, session: SessionDep
) -> CampaignRead:
    campaign = await campaigns.get_or_raise(session, campaign_id=campaign_id)
    changes = body.model_dump(exclude_unset=True)
    for key, value in changes.items():
        setattr(campaign, key, value)
    audit.record(
        session,
        action="campaign.update",
        target_type="campaign",
        target_id=campaign_id,
        data={"fields": sorted(changes)},
        by=principal.audit(),
    )
    await session.commit()
    return CampaignRead.model_validate(campaign)
