"""Messages a crash left `unknown`, and the operator's decision about them.

A message is `unknown` when its pacer died between handing it to a relay and recording the
answer: it may or may not have arrived, and it is never sent again on its own (at most
once, docs/email.md). An operator may resend it (queued again; its Message-ID is derived
from the row and the sender's domain, so it is the same, and receivers that de-duplicate
by Message-ID drop a second copy; the pre-send guard runs again at send) or mark it sent.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from engine.errors import Conflict, FieldError, ValidationFailed
from store.email import QUEUED, SENT, UNKNOWN, EmailCampaign
from store.models import Campaign, EmailMessage

Resolution = Literal["resend", "mark_sent"]


def unknown_query(*, campaign_id: int) -> Select[Any]:
    return select(EmailMessage).where(
        EmailMessage.campaign_id == campaign_id, EmailMessage.status == UNKNOWN
    )


async def resolve_unknown(
    session: AsyncSession,
    campaign: EmailCampaign,
    *,
    ids: Sequence[int] | None,
    action: Resolution,
    now: datetime,
) -> list[int]:
    """Resends or marks sent these unknown messages of the campaign (`ids` None: all of
    them), in the caller's transaction; returns the ids resolved. An id that is not an
    unknown message of this campaign refuses the whole request, naming it."""
    # Locked: the pacer completing the campaign now (store/email.py `finish_if_done`)
    # either sees the resent rows or waits, and then this sees the campaign completed.
    locked = select(Campaign.status).where(Campaign.id == campaign.campaign_id).with_for_update()
    status = await session.scalar(locked)
    if action == "resend" and status in ("completed", "cancelled"):
        raise Conflict(f"The campaign is {status}: a resent message would never leave.")
    query = unknown_query(campaign_id=campaign.campaign_id)
    if ids is not None:
        query = query.where(EmailMessage.id.in_(ids))
    rows = list(await session.scalars(query.order_by(EmailMessage.id).with_for_update()))
    missing = sorted(set(ids or ()) - {r.id for r in rows})
    if missing:
        names = ", ".join(str(m) for m in missing)
        message = f"Not unknown messages of this campaign: {names}."
        raise ValidationFailed([FieldError("ids", message)], message)
    for row in rows:
        row.error = None
        if action == "resend":
            row.status, row.next_attempt_at = QUEUED, None
        else:
            row.status = SENT
            row.sent_at = row.sent_at or row.claimed_at or now
    return [r.id for r in rows]
