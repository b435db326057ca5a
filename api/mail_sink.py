"""The embedded SMTP sink's mail (store/mail_sink.py): what campaigns really sent, listed
and read with no mail account. Admins and campaign managers only; 404 when it is off."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from api.deps import PageDep, Principal, SessionDep, SettingsDep, require
from api.schemas import Page, RowId
from config.settings import Settings
from engine.errors import NotFound
from store import mail_sink

router = APIRouter(tags=["email"])

Writer = Annotated[Principal, Depends(require("campaigns", "write"))]


class SinkMessageRead(BaseModel):
    """`campaign_id`, `contact_id`, `email_message_id` are set when the mail's Message-ID
    is one we signed."""

    model_config = ConfigDict(populate_by_name=True)

    id: str
    received_at: datetime
    sender: str = Field(serialization_alias="from")
    to: list[str]
    subject: str
    message_id: str | None
    email_message_id: int | None
    campaign_id: int | None
    contact_id: int | None

    @classmethod
    def of(cls, m: mail_sink.SinkMessage) -> "SinkMessageRead":
        return cls(
            id=m.id,
            received_at=m.received_at,
            sender=m.sender,
            to=m.to,
            subject=m.subject,
            message_id=m.message_id,
            email_message_id=m.message_row if m.campaign_id is not None else None,
            campaign_id=m.campaign_id,
            contact_id=m.contact_id,
        )


class SinkMailRead(SinkMessageRead):
    headers: list[tuple[str, str]]
    text: str | None
    html: str | None
    raw: str


def _maildir(settings: Settings) -> str:
    if not settings.smtp_sink_enabled:
        raise NotFound("SMTP sink")
    return settings.smtp_sink_maildir


@router.get("/email/sink/messages", response_model_by_alias=True)
async def list_sink_messages(
    _: Writer,
    session: SessionDep,
    settings: SettingsDep,
    page: PageDep,
    to: Annotated[str | None, Query(max_length=320)] = None,
    campaign_id: RowId | None = None,
) -> Page[SinkMessageRead]:
    """Mail the sink received, newest first; `to` (one recipient) and `campaign_id` filter."""
    result = await mail_sink.list_messages(
        session,
        _maildir(settings),
        secret=settings.secret_key,
        limit=page.limit,
        cursor=page.cursor,
        to=to,
        campaign_id=campaign_id,
    )
    return Page[SinkMessageRead](
        items=[SinkMessageRead.of(m) for m in result.items], next_cursor=result.next_cursor
    )


@router.get("/email/sink/messages/{mail_id}", response_model_by_alias=True)
async def get_sink_message(
    mail_id: Annotated[str, Path(max_length=255)],
    _: Writer,
    session: SessionDep,
    settings: SettingsDep,
) -> SinkMailRead:
    """One mail: every header, its text and HTML parts, and its raw source."""
    mail = await mail_sink.get_message_or_raise(
        session, _maildir(settings), secret=settings.secret_key, key=mail_id
    )
    summary = SinkMessageRead.of(mail.summary).model_dump()
    return SinkMailRead(
        **summary, headers=mail.headers, text=mail.text, html=mail.html, raw=mail.raw
    )
