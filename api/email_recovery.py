"""Messages a crash left `unknown` (store/email_recovery.py): listed, then resent or
marked sent by an operator. Campaign managers and admins."""

import contextlib
from datetime import UTC, datetime
from typing import Annotated, Self

from fastapi import APIRouter, Depends
from pydantic import Field, model_validator

from actors.email_gateway import EmailUnavailable
from api.deps import PageDep, Principal, SessionDep, require
from api.email import Email
from api.schemas import Page, ReadModel, RowId, Strict
from store import audit
from store import email as store
from store.email_recovery import Resolution, resolve_unknown, unknown_query
from store.models import EmailMessage
from store.pagination import paginate

router = APIRouter(tags=["email"])

Writer = Annotated[Principal, Depends(require("campaigns", "write"))]


class UnknownRead(ReadModel):
    id: int
    contact_id: int
    email: str = Field(validation_alias="to_email")
    step: int
    claimed_at: datetime | None
    error: str | None


class ResolveIn(Strict):
    """Either `ids` (at most 1,000) or `"all": true`."""

    ids: Annotated[list[RowId], Field(min_length=1, max_length=1000)] | None = None
    all: bool = False
    action: Resolution

    @model_validator(mode="after")
    def _one_choice(self) -> Self:
        if (self.ids is None) == (not self.all):
            raise ValueError("give either ids or all: true")
        return self


class ResolveOut(Strict):
    action: Resolution
    resolved: list[int]


@router.get("/email-campaigns/{campaign_id}/unknown")
async def list_unknown(
    campaign_id: RowId, _: Writer, session: SessionDep, page: PageDep
) -> Page[UnknownRead]:
    """The campaign's messages a crash left `unknown`: they may or may not have arrived."""
    campaign = await store.load_campaign(session, campaign_id)
    result = await paginate(
        session,
        unknown_query(campaign_id=campaign.campaign_id),
        EmailMessage.id,
        limit=page.limit,
        cursor=page.cursor,
    )
    return Page[UnknownRead](
        items=[UnknownRead.model_validate(r) for r in result.items],
        next_cursor=result.next_cursor,
    )


@router.post("/email-campaigns/{campaign_id}/unknown/resolve")
async def resolve(
    campaign_id: RowId, body: ResolveIn, principal: Writer, session: SessionDep, email: Email
) -> ResolveOut:
    """`resend`: queued again, same Message-ID, guarded again at send; `mark_sent`:
    recorded as sent, never sent again. One transaction, audited."""
    campaign = await store.load_campaign(session, campaign_id)
    resolved = await resolve_unknown(
        session, campaign, ids=body.ids, action=body.action, now=datetime.now(UTC)
    )
    audit.record(
        session,
        action="email_campaign.unknown_resolve",
        target_type="campaign",
        target_id=campaign_id,
        data={"action": body.action, "messages": resolved},
        by=principal.audit(),
    )
    await session.commit()
    # The database is the truth: pacers not running now pick resent messages up at start.
    with contextlib.suppress(EmailUnavailable):
        await email.command("unknown_resolved", campaign_id)
    return ResolveOut(action=body.action, resolved=resolved)
