"""Email: templates (with preview), sender profiles, email campaign control and pre-flight,
and the public links every mail carries (one-click unsubscribe, open pixel, click redirect).
"""

import base64
import html
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import AwareDatetime, Field, ValidationInfo, field_validator

from actors.email_gateway import EmailGateway
from api.campaigns import Action, control
from api.deps import PageDep, Principal, SessionDep, SettingsDep, require
from api.schemas import Page, ReadModel, RowId, Strict
from engine import email as rules
from engine.contacts import normalize_email
from engine.credentials import seal
from engine.errors import FieldError, ValidationFailed
from store import audience, audit, campaigns
from store import email as store
from store.models import EmailTemplate, SenderProfile
from store.pagination import paginate

router = APIRouter(tags=["email"])
public = APIRouter(tags=["email links"])

Reader = Annotated[Principal, Depends(require("campaigns", "read"))]
Writer = Annotated[Principal, Depends(require("campaigns", "write"))]
Watcher = Annotated[Principal, Depends(require("live", "read"))]
Snapshot = dict[str, Any]


def get_email(request: Request) -> EmailGateway:
    gateway: EmailGateway = request.app.state.email
    return gateway


Email = Annotated[EmailGateway, Depends(get_email)]

# --- templates -----------------------------------------------------------------------------

Subject = Annotated[str, Field(min_length=1, max_length=500)]
Body = Annotated[str, Field(max_length=500_000)]


class TemplateCreate(Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    subject: Subject
    html: Body
    text: Body
    campaign_id: RowId | None = None


class TemplateUpdate(Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    subject: Subject | None = None
    html: Body | None = None
    text: Body | None = None


class TemplateRead(ReadModel):
    id: int
    name: str
    subject: str
    html: str
    text: str
    campaign_id: int | None
    created_at: datetime

    @classmethod
    def of(cls, row: EmailTemplate) -> "TemplateRead":
        return cls(
            id=row.id,
            name=row.name,
            subject=row.subject,
            html=row.html,
            text=row.text_body,
            campaign_id=row.campaign_id,
            created_at=row.created_at,
        )


class PreviewIn(Strict):
    contact_id: RowId
    sender_profile_id: RowId | None = None


class PreviewOut(Strict):
    subject: str
    html: str
    text: str


@router.get("/email-templates")
async def list_templates(
    _: Reader, session: SessionDep, page: PageDep, campaign_id: RowId | None = None
) -> Page[TemplateRead]:
    query = store.templates_query(campaign_id=campaign_id)
    result = await paginate(session, query, EmailTemplate.id, limit=page.limit, cursor=page.cursor)
    return Page[TemplateRead](
        items=[TemplateRead.of(t) for t in result.items], next_cursor=result.next_cursor
    )


@router.post("/email-templates", status_code=201)
async def create_template(
    body: TemplateCreate, principal: Writer, session: SessionDep
) -> TemplateRead:
    rules.check_template(rules.Content(body.subject, body.html, body.text))
    if body.campaign_id is not None:
        await campaigns.get_or_raise(session, campaign_id=body.campaign_id)
    row = EmailTemplate(
        name=body.name,
        subject=body.subject,
        html=body.html,
        text_body=body.text,
        campaign_id=body.campaign_id,
    )
    session.add(row)
    await session.flush()
    audit.record(
        session,
        action="email_template.create",
        target_type="email_template",
        target_id=row.id,
        by=principal.audit(),
    )
    await session.commit()
    return TemplateRead.of(row)


@router.get("/email-templates/{template_id}")
async def get_template(template_id: RowId, _: Reader, session: SessionDep) -> TemplateRead:
    return TemplateRead.of(await store.get_template_or_raise(session, template_id=template_id))


@router.patch("/email-templates/{template_id}")
async def update_template(
    template_id: RowId, body: TemplateUpdate, principal: Writer, session: SessionDep
) -> TemplateRead:
    row = await store.get_template_or_raise(session, template_id=template_id)
    changes = body.model_dump(exclude_unset=True)
    subject = changes.get("subject", row.subject)
    html = changes.get("html", row.html)
    text = changes.get("text", row.text_body)
    rules.check_template(rules.Content(subject, html, text))
    row.name = changes.get("name", row.name)
    row.subject, row.html, row.text_body = subject, html, text
    audit.record(
        session,
        action="email_template.update",
        target_type="email_template",
        target_id=template_id,
        data={"fields": sorted(changes)},
        by=principal.audit(),
    )
    await session.commit()
    return TemplateRead.of(row)


@router.delete("/email-templates/{template_id}", status_code=204)
async def delete_template(template_id: RowId, principal: Writer, session: SessionDep) -> None:
    row = await store.get_template_or_raise(session, template_id=template_id)
    await session.delete(row)
    audit.record(
        session,
        action="email_template.delete",
        target_type="email_template",
        target_id=template_id,
        by=principal.audit(),
    )
    await session.commit()


@router.post("/email-templates/{template_id}/preview")
async def preview_template(
    template_id: RowId, body: PreviewIn, _: Reader, session: SessionDep, settings: SettingsDep
) -> PreviewOut:
    """The template as this contact would receive it, footer included (with a sample
    unsubscribe link that does nothing)."""
    row = await store.get_template_or_raise(session, template_id=template_id)
    contact = await audience.get_contact_or_raise(session, contact_id=body.contact_id)
    account = (
        await audience.get_account_or_raise(session, account_id=contact.account_id)
        if contact.account_id
        else None
    )
    sender = (
        await store.get_sender_or_raise(session, sender_id=body.sender_profile_id)
        if body.sender_profile_id
        else None
    )
    values = rules.contact_values(
        _fields(contact, [*rules.CONTACT_FIELDS, "custom_fields"]),
        _fields(account, [*rules.ACCOUNT_FIELDS, "custom_fields"]) if account else None,
        _fields(sender, list(rules.SENDER_FIELDS)) if sender else {},
    )
    content = rules.render(rules.Content(row.subject, row.html, row.text_body), values)
    if sender is not None:
        base = settings.public_base_url.rstrip("/")
        footer = rules.Footer(sender.from_name, sender.postal_address, f"{base}/u/preview")
        content = rules.with_footer(content, footer)
    return PreviewOut(subject=content.subject, html=content.html, text=content.text)


def _fields(row: Any, names: list[str]) -> dict[str, Any]:
    return {name: getattr(row, name, None) for name in names}


# --- sender profiles -----------------------------------------------------------------------

Tls = Literal["none", "starttls", "tls"]


class SenderCreate(Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    from_name: Annotated[str, Field(min_length=1, max_length=200)]
    from_email: Annotated[str, Field(max_length=320)]
    reply_to: Annotated[str, Field(max_length=320)] | None = None
    postal_address: Annotated[str, Field(min_length=5, max_length=1000)]
    client_id: RowId | None = None
    smtp_host: Annotated[str, Field(min_length=1, max_length=253)] | None = None
    smtp_port: Annotated[int, Field(ge=1, le=65535)] | None = None
    smtp_tls: Tls = "none"
    smtp_username: Annotated[str, Field(max_length=320)] | None = None
    smtp_password: Annotated[str, Field(max_length=500)] | None = None
    daily_cap: Annotated[int, Field(ge=1)] | None = None
    warmup_plan: Annotated[list[Annotated[int, Field(ge=1)]], Field(max_length=365)] = []
    warmup_started_at: AwareDatetime | None = None

    @field_validator("from_email", "reply_to")
    @classmethod
    def _email(cls, value: str | None, info: ValidationInfo) -> str | None:
        return normalize_email(value, info.field_name or "email") if value else value


class SenderUpdate(Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    from_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    from_email: Annotated[str, Field(max_length=320)] | None = None
    reply_to: Annotated[str, Field(max_length=320)] | None = None
    postal_address: Annotated[str, Field(min_length=5, max_length=1000)] | None = None
    smtp_host: Annotated[str, Field(min_length=1, max_length=253)] | None = None
    smtp_port: Annotated[int, Field(ge=1, le=65535)] | None = None
    smtp_tls: Tls | None = None
    smtp_username: Annotated[str, Field(max_length=320)] | None = None
    smtp_password: Annotated[str, Field(max_length=500)] | None = None
    daily_cap: Annotated[int, Field(ge=1)] | None = None
    warmup_plan: Annotated[list[Annotated[int, Field(ge=1)]], Field(max_length=365)] | None = None
    warmup_started_at: AwareDatetime | None = None

    @field_validator("from_email", "reply_to")
    @classmethod
    def _email(cls, value: str | None, info: ValidationInfo) -> str | None:
        return normalize_email(value, info.field_name or "email") if value else value


class SenderRead(ReadModel):
    """Never the password: only whether one is set."""

    id: int
    name: str
    client_id: int | None
    from_name: str
    from_email: str
    reply_to: str | None
    postal_address: str
    smtp_host: str | None
    smtp_port: int | None
    smtp_tls: str
    smtp_username: str | None
    has_password: bool
    daily_cap: int | None
    warmup_plan: list[int]
    warmup_started_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, row: SenderProfile) -> "SenderRead":
        fields = {name: getattr(row, name) for name in cls.model_fields if hasattr(row, name)}
        return cls(**fields, has_password=bool(row.smtp_password))


@router.get("/sender-profiles")
async def list_senders(_: Reader, session: SessionDep, page: PageDep) -> Page[SenderRead]:
    query = store.senders_query()
    result = await paginate(session, query, SenderProfile.id, limit=page.limit, cursor=page.cursor)
    return Page[SenderRead](
        items=[SenderRead.of(s) for s in result.items], next_cursor=result.next_cursor
    )


def _sealed(changes: dict[str, Any], secret_key: str) -> dict[str, Any]:
    """The relay password is stored encrypted (engine/credentials.py), never as given."""
    if changes.get("smtp_password"):
        changes["smtp_password"] = seal(secret_key, changes["smtp_password"])
    return changes


@router.post("/sender-profiles", status_code=201)
async def create_sender(
    body: SenderCreate, principal: Writer, session: SessionDep, settings: SettingsDep
) -> SenderRead:
    row = SenderProfile(**_sealed(body.model_dump(), settings.secret_key))
    session.add(row)
    await session.flush()
    audit.record(
        session,
        action="sender_profile.create",
        target_type="sender_profile",
        target_id=row.id,
        by=principal.audit(),
    )
    await session.commit()
    return SenderRead.of(row)


@router.get("/sender-profiles/{sender_id}")
async def get_sender(sender_id: RowId, _: Reader, session: SessionDep) -> SenderRead:
    return SenderRead.of(await store.get_sender_or_raise(session, sender_id=sender_id))


@router.patch("/sender-profiles/{sender_id}")
async def update_sender(
    sender_id: RowId,
    body: SenderUpdate,
    principal: Writer,
    session: SessionDep,
    settings: SettingsDep,
) -> SenderRead:
    row = await store.get_sender_or_raise(session, sender_id=sender_id)
    changes = body.model_dump(exclude_unset=True)
    for key, value in _sealed(dict(changes), settings.secret_key).items():
        setattr(row, key, value)
    audit.record(
        session,
        action="sender_profile.update",
        target_type="sender_profile",
        target_id=sender_id,
        data={"fields": sorted(changes)},  # names only: never the password
        by=principal.audit(),
    )
    await session.commit()
    return SenderRead.of(row)


@router.delete("/sender-profiles/{sender_id}", status_code=204)
async def delete_sender(sender_id: RowId, principal: Writer, session: SessionDep) -> None:
    await session.delete(await store.get_sender_or_raise(session, sender_id=sender_id))
    audit.record(
        session,
        action="sender_profile.delete",
        target_type="sender_profile",
        target_id=sender_id,
        by=principal.audit(),
    )
    await session.commit()


# --- email campaigns -----------------------------------------------------------------------


class Exclusion(Strict):
    contact_id: int
    email: str | None
    reason: str


class Problem(Strict):
    field: str
    message: str


class PreflightOut(Strict):
    ready: bool
    problems: list[Problem]
    audience: int
    sendable: int
    excluded: dict[str, int]
    items: list[Exclusion]


class RateIn(Strict):
    rate_per_minute: Annotated[float, Field(gt=0, le=1_000_000)]


@router.post("/email-campaigns/{campaign_id}/preflight")
async def preflight(campaign_id: RowId, _: Reader, session: SessionDep) -> PreflightOut:
    """What launching now would do: who would be excluded and why, and what is missing."""
    campaign = await store.load_campaign(session, campaign_id)
    result = await store.preflight(session, campaign, now=datetime.now(UTC))
    problems = store.readiness(campaign)
    return PreflightOut(
        ready=not problems,
        problems=[Problem(field=p.field, message=p.message) for p in problems],
        audience=result.audience,
        sendable=result.sendable,
        excluded=result.excluded,
        items=[Exclusion(contact_id=c, email=e, reason=r) for c, e, r in result.items],
    )


class CampaignStats(Strict):
    messages: dict[str, int]
    events: dict[str, int]
    unknown: int  # messages a crash left unknown, waiting for an operator's decision
    excluded_by_reason: dict[str, int]


@router.get("/email-campaigns/{campaign_id}/stats")
async def campaign_stats(campaign_id: RowId, _: Reader, session: SessionDep) -> CampaignStats:
    """Messages by status, events by kind (open, click, delivered, bounce, soft_bounce,
    complaint, unsubscribe, reply) and excluded messages by reason, from the database."""
    campaign = await store.load_campaign(session, campaign_id)
    messages = await store.totals(session, campaign.campaign_id)
    return CampaignStats(
        messages=messages,
        events=await store.event_counts(session, campaign.campaign_id),
        unknown=messages.get(store.UNKNOWN, 0),
        excluded_by_reason=await store.exclusions(session, campaign.campaign_id),
    )


@router.post("/email-campaigns/{campaign_id}/rate")
async def set_rate(
    campaign_id: RowId, body: RateIn, principal: Writer, session: SessionDep, email: Email
) -> Snapshot:
    snapshot: Snapshot = await email.command("set_rate", campaign_id, body.rate_per_minute)
    audit.record(
        session,
        action="campaign.rate",
        target_type="campaign",
        target_id=campaign_id,
        data={"rate_per_minute": body.rate_per_minute},
        by=principal.audit(),
    )
    await session.commit()
    return snapshot


@router.post("/email-campaigns/{campaign_id}/{action}")
async def control_campaign(
    campaign_id: RowId, action: Action, principal: Writer, session: SessionDep, email: Email
) -> Snapshot:
    return await control(
        session=session,
        principal=principal,
        runner=email,
        campaign_id=campaign_id,
        kind="email",
        action=action,
    )


@router.get("/live/email-campaigns")
async def live(_: Watcher, email: Email) -> list[Snapshot]:
    result: list[Snapshot] = await email.command("campaigns_snapshot")
    return result


# --- inbound mail: bounces, complaints, replies --------------------------------------------


class InboundOut(Strict):
    """`kind`: what the mail says about messages of ours (`bounce`, `soft_bounce`,
    `complaint`, `reply`, `auto_reply`), null when it names none; `bounce`: it is a bounce
    or complaint about them; `messages`: their ids."""

    bounce: bool
    kind: str | None
    messages: list[int]


RFC822 = {"requestBody": {"content": {"message/rfc822": {"schema": {"type": "string"}}}}}


async def _ingest_mail(
    request: Request, principal: Principal, session: SessionDep, secret: str, action: str
) -> InboundOut:
    """One raw mail, applied like a mail read from the bounce or reply Maildir."""
    raw = await request.body()
    if not raw.strip() or len(raw) > 10_000_000:
        raise ValidationFailed([FieldError("body", "Send one raw mail, ≤ 10 MB.")])
    events = store.inbound_events(secret, raw)
    applied = await store.apply_delivery_events(session, events)
    audit.record(
        session,
        action=action,
        target_type="email_message",
        data={"messages": [e.message_row for e in events], "applied": applied},
        by=principal.audit(),
    )
    await session.commit()
    kind = events[0].kind if applied else None
    return InboundOut(
        bounce=kind in ("bounce", "soft_bounce", "complaint"),
        kind=kind,
        messages=[e.message_row for e in events] if applied else [],
    )


@router.post("/email/inbound", openapi_extra=RFC822)
async def ingest_inbound(
    request: Request, principal: Writer, session: SessionDep, settings: SettingsDep
) -> InboundOut:
    """A raw inbound mail, e.g. piped from the reply-to address's MTA: a bounce or
    feedback-loop complaint, else a reply (or auto-reply) to one of our messages."""
    return await _ingest_mail(request, principal, session, settings.secret_key, "email.inbound")


@router.post("/email/bounces", openapi_extra=RFC822)
async def ingest_bounce(
    request: Request, principal: Writer, session: SessionDep, settings: SettingsDep
) -> InboundOut:
    """A raw bounce mail (RFC 3464 report or a common non-standard one), e.g. piped from
    the bounce address's MTA; read like `/email/inbound` (a reply sent there counts too)."""
    return await _ingest_mail(request, principal, session, settings.secret_key, "email.bounce")


# --- public links (no sign-in: the signed token is the permission) -------------------------

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Unsubscribed</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto">
<h1>You are unsubscribed</h1><p>{email} will receive no more marketing email from us.</p>
</body></html>"""
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


async def _unsubscribe(
    token: str, session: SessionDep, settings: SettingsDep, email: EmailGateway, source: str
) -> str:
    payload = rules.verify(settings.secret_key, token, "u")
    address = str(payload["e"])
    message_id = payload.get("m")
    known = await store.get_message(session, int(message_id)) if message_id else None
    await store.unsubscribe(
        session, message_id=known.id if known else None, email=address, source=source
    )
    await session.commit()
    await email.emails_suppressed([address])
    return address


@public.get("/u/{token}", response_class=HTMLResponse)
async def unsubscribe_page(
    token: str, session: SessionDep, settings: SettingsDep, email: Email
) -> HTMLResponse:
    """The link in the footer: unsubscribes at once and says so."""
    address = await _unsubscribe(token, session, settings, email, "unsubscribe_link")
    return HTMLResponse(PAGE.format(email=html.escape(address)))


@public.post("/u/{token}")
async def unsubscribe_one_click(
    token: str, session: SessionDep, settings: SettingsDep, email: Email
) -> Response:
    """RFC 8058 one-click: the mailbox provider POSTs `List-Unsubscribe=One-Click` here."""
    await _unsubscribe(token, session, settings, email, "one_click")
    return Response(status_code=200, content="Unsubscribed.", media_type="text/plain")


@public.get("/t/o/{token}")
async def open_pixel(token: str, session: SessionDep, settings: SettingsDep) -> Response:
    try:
        payload = rules.verify(settings.secret_key, token, "o")
    except rules.InvalidToken:
        return Response(PIXEL, media_type="image/gif")  # a forged pixel counts nothing
    if await store.get_message(session, int(payload["m"])) is not None:
        await store.record_events(session, [(int(payload["m"]), "open", {}, None)])
        await session.commit()
    return Response(PIXEL, media_type="image/gif", headers={"Cache-Control": "no-store"})


@public.get("/t/c/{token}")
async def click(token: str, session: SessionDep, settings: SettingsDep) -> RedirectResponse:
    """Only to a URL we signed into that message: never an open redirect."""
    payload = rules.verify(settings.secret_key, token, "c")
    url = str(payload["u"])
    if not url.startswith(("https://", "http://")):
        raise rules.InvalidToken
    if await store.get_message(session, int(payload["m"])) is not None:
        await store.record_events(session, [(int(payload["m"]), "click", {"url": url}, None)])
        await session.commit()
    return RedirectResponse(url, status_code=302)
