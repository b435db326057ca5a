"""Campaign records. Running them (start, pause, pacing) is the actors' work."""

import contextlib
from datetime import datetime
from typing import Annotated, Any, Literal, Protocol

from fastapi import APIRouter, Depends, Query
from pydantic import Field, model_validator

from actors.gateway import DialerGateway, DialerUnavailable
from api.deps import Dialer, PageDep, Principal, SessionDep, require
from api.schemas import Page, ReadModel, RowId, Strict
from engine.campaign import check_call_settings
from engine.email import EmailPlan
from engine.errors import FieldError, NotFound, ValidationFailed
from store import audit, campaigns, triggers
from store.models import Campaign
from store.pagination import paginate

router = APIRouter(tags=["campaigns"])

Reader = Annotated[Principal, Depends(require("campaigns", "read"))]
Writer = Annotated[Principal, Depends(require("campaigns", "write"))]


class Audience(Strict):
    """Who the campaign reaches: one source at most (none: nobody yet)."""

    all_contacts: bool = False
    contact_ids: Annotated[list[RowId], Field(max_length=100_000)] | None = None
    list_id: RowId | None = None
    segment_id: RowId | None = None
    domain_set_id: RowId | None = None

    @model_validator(mode="after")
    def _one_source(self) -> "Audience":
        chosen = [k for k, v in self.model_dump(exclude_defaults=True).items() if v]
        if len(chosen) > 1:
            raise ValueError(f"Choose one audience source, not {' and '.join(chosen)}.")
        return self


class CampaignCreate(Strict):
    kind: Literal["call", "email"]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    client_id: RowId | None = None
    audience: Audience = Audience()
    settings: dict[str, Any] = {}


class CampaignUpdate(Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    client_id: RowId | None = None
    audience: Audience | None = None
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


def _check_settings(kind: str, settings: dict[str, Any]) -> None:
    """Settings are checked when saved, so a bad plan never reaches the dialer or pacers."""
    if kind == "call":
        check_call_settings(settings)
    else:
        EmailPlan.from_settings(settings)


@router.get("/campaigns")
async def list_campaigns(
    _: Reader,
    session: SessionDep,
    page: PageDep,
    kind: Literal["call", "email"] | None = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    client_id: RowId | None = None,
) -> Page[CampaignRead]:
    """`q` finds campaigns whose name contains it; `client_id` keeps one client's."""
    query = campaigns.campaigns_query(kind=kind, status=status, name=q, client_id=client_id)
    result = await paginate(session, query, Campaign.id, limit=page.limit, cursor=page.cursor)
    return Page[CampaignRead](
        items=[CampaignRead.model_validate(c) for c in result.items],
        next_cursor=result.next_cursor,
    )


@router.post("/campaigns", status_code=201)
async def create_campaign(
    body: CampaignCreate, principal: Writer, session: SessionDep
) -> CampaignRead:
    _check_settings(body.kind, body.settings)
    campaign = Campaign(owner_id=principal.user_id, **body.model_dump(exclude_defaults=True))
    campaign.audience = body.audience.model_dump(exclude_defaults=True)
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
    campaign_id: RowId, body: CampaignUpdate, principal: Writer, session: SessionDep, dialer: Dialer
) -> CampaignRead:
    """Settings of a running call campaign (calling window, retry rules, wrap-up) take
    effect in the dialer at once, without a restart."""
    campaign = await campaigns.get_or_raise(session, campaign_id=campaign_id)
    changes = body.model_dump(exclude_unset=True)
    if body.settings is not None:
        _check_settings(campaign.kind, body.settings)
    if body.audience is not None:
        changes["audience"] = body.audience.model_dump(exclude_defaults=True)
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
    await reload_if_live(dialer, campaign)
    return CampaignRead.model_validate(campaign)


async def reload_if_live(dialer: DialerGateway, campaign: Campaign) -> None:
    """A running (or paused) call campaign's saved changes take effect in the dialer now. A
    dialer that is down, or not hosting the campaign yet, reads them when it loads it."""
    if campaign.kind == "call" and campaign.status in ("running", "paused"):
        with contextlib.suppress(DialerUnavailable, NotFound):
            await dialer.command("reload_campaign", campaign.id)


# --- running campaigns: the dialer (call) and the send pacers (email) share these -------

Action = Literal["start", "pause", "resume", "stop"]
STATUS_OF = {"pause": "paused", "resume": "running", "stop": "completed"}


class Runner(Protocol):
    async def command(self, method: str, *args: Any, **kwargs: Any) -> Any: ...


async def control(
    *,
    session: SessionDep,
    principal: Principal,
    runner: Runner,
    campaign_id: int,
    kind: Literal["call", "email"],
    action: Action,
) -> dict[str, Any]:
    """Starts, pauses, resumes or stops a campaign in the actors that run its kind."""
    campaign = await campaigns.get_or_raise(session, campaign_id=campaign_id)
    if campaign.kind != kind:
        raise ValidationFailed([FieldError("campaign_id", f"Not a {kind} campaign.")])
    if action == "start":
        snapshot: dict[str, Any] = await runner.command("start_campaign", campaign_id)
    else:
        snapshot = await runner.command("set_campaign_status", campaign_id, STATUS_OF[action])
    await triggers.campaign_event(session, campaign, event=action)
    audit.record(
        session,
        action=f"campaign.{action}",
        target_type="campaign",
        target_id=campaign_id,
        by=principal.audit(),
    )
    await session.commit()
    return snapshot
