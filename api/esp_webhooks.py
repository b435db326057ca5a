"""Event webhooks in from email service providers: Amazon SES (through SNS), SendGrid and
Mailgun. Each request's signature is checked before anything is read into the database; a
forged, altered or replayed one is a 401 and changes nothing. Every provider event is
stored once by its id (`webhook_events`), in the same transaction as what it changed.
The checks and the event shapes are in engine/esp.py; docs/email.md has the setup.
"""

import json
import ssl
import time
from datetime import datetime
from typing import Any, Literal

import httpx
from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from api.deps import SessionDep, SettingsDep
from config.settings import Settings
from engine import esp
from engine.email import message_row
from engine.errors import DomainError
from store import webhooks
from store.email import DeliveryEvent, apply_delivery_events

router = APIRouter(tags=["webhooks"])

SNS_MAX_AGE_S = 3600  # SNS retries a delivery for well under an hour by default
_CERTIFICATES: dict[str, bytes] = {}  # SigningCertURL → PEM: AWS rotates them rarely
_MAX_CERTIFICATES = 32
REFUSED: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing, forged or replayed signature: nothing was done."},
    503: {"description": "This provider's webhooks are not configured."},
}


class EspAck(BaseModel):
    """`accepted`: events about our messages, applied; `ignored`: stored, not about a
    message of ours or not a kind we act on; `duplicates`: seen before, nothing done."""

    status: Literal["ok", "subscribed"] = "ok"
    accepted: int = 0
    ignored: int = 0
    duplicates: int = 0


def _not_configured(what: str) -> DomainError:
    return DomainError(f"{what} webhooks are not configured.", "not_configured", 503)


async def _ingest(session: AsyncSession, settings: Settings, events: list[esp.EspEvent]) -> EspAck:
    """Stores each new event once and applies it, all in one transaction."""
    ack = EspAck()
    to_apply: list[DeliveryEvent] = []
    for event in events:
        row = message_row(settings.secret_key, event.message_ref)
        ours = row is not None and event.kind != esp.IGNORED
        new = await webhooks.claim(
            session,
            provider=event.provider,
            event_id=event.event_id[:100],
            event_type=event.provider_type[:100] or "unknown",
            payload={
                "kind": event.kind,
                "message_ref": event.message_ref,
                "recipient": event.recipient,
                "detail": dict(event.detail),
            },
            status=webhooks.DELIVERED if ours else webhooks.IGNORED,
        )
        if not new:
            ack.duplicates += 1
        elif row is not None and ours:
            to_apply.append(
                DeliveryEvent(row, event.kind, event.provider, event.event_id, dict(event.detail))
            )
        else:
            ack.ignored += 1
    applied = await apply_delivery_events(session, to_apply)
    ack.accepted, ack.ignored = applied, ack.ignored + len(to_apply) - applied
    await session.commit()
    return ack


# --- Amazon SES through SNS ----------------------------------------------------------------


async def _fetch(url: str, settings: Settings) -> httpx.Response:
    """GETs an SNS address; only ever one that `sns_url_allowed` let through."""
    verify = ssl.create_default_context(cafile=settings.sns_ca_file or None)
    async with httpx.AsyncClient(verify=verify, timeout=10, follow_redirects=False) as http:
        response = await http.get(url)
    response.raise_for_status()
    return response


async def _certificate(url: str, settings: Settings) -> bytes:
    if url not in _CERTIFICATES:
        try:
            pem = (await _fetch(url, settings)).content
        except httpx.HTTPError:
            raise esp.SignatureRefused("the signing certificate cannot be fetched") from None
        if len(_CERTIFICATES) >= _MAX_CERTIFICATES:
            _CERTIFICATES.clear()
        _CERTIFICATES[url] = pem
    return _CERTIFICATES[url]


@router.post("/webhooks/ses", responses=REFUSED)
async def ses_webhook(request: Request, session: SessionDep, settings: SettingsDep) -> EspAck:
    """Amazon SES bounce, complaint and delivery notifications through an SNS topic
    subscribed to this URL (HTTPS). The subscription is confirmed here too."""
    if not settings.ses_topic_arns:
        raise _not_configured("SES")
    message = esp.sns_message(await request.body())
    hosts = settings.sns_extra_cert_hosts
    if not esp.sns_url_allowed(message["SigningCertURL"], hosts):
        raise esp.SignatureRefused("SigningCertURL is not an SNS address")
    esp.verify_sns(message, await _certificate(message["SigningCertURL"], settings))
    if message["TopicArn"] not in settings.ses_topic_arns:
        raise esp.SignatureRefused("the topic is not one of ours")
    try:
        signed_at = datetime.fromisoformat(message["Timestamp"].replace("Z", "+00:00"))
    except ValueError:
        raise esp.SignatureRefused("the Timestamp cannot be read") from None
    if time.time() - signed_at.timestamp() > SNS_MAX_AGE_S:
        raise esp.SignatureRefused("the message is older than an hour (a replay?)")
    if message["Type"] == "Notification":
        return await _ingest(session, settings, esp.ses_events(message))
    return await _subscription(session, settings, message)


async def _subscription(session: AsyncSession, settings: Settings, message: Any) -> EspAck:
    """Confirms a subscription to one of our topics by GETting its SubscribeURL (same host
    rule as the certificate); an unsubscribe confirmation is only recorded."""
    new = await webhooks.claim(
        session,
        provider="ses",
        event_id=message["MessageId"][:100],
        event_type=message["Type"],
        payload={"topic": message["TopicArn"]},
    )
    if not new:
        return EspAck(status="subscribed", duplicates=1)
    if message["Type"] == "SubscriptionConfirmation":
        if not esp.sns_url_allowed(message["SubscribeURL"], settings.sns_extra_cert_hosts):
            raise esp.SignatureRefused("SubscribeURL is not an SNS address")
        try:
            await _fetch(message["SubscribeURL"], settings)
        except httpx.HTTPError:  # not stored: SNS sends the confirmation again
            raise HTTPException(502, "The subscription could not be confirmed.") from None
    await session.commit()
    return EspAck(status="subscribed", accepted=1)


# --- SendGrid and Mailgun ------------------------------------------------------------------


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise HTTPException(400, "The body is not JSON.") from None


@router.post("/webhooks/sendgrid", responses=REFUSED)
async def sendgrid_webhook(request: Request, session: SessionDep, settings: SettingsDep) -> EspAck:
    """SendGrid's Signed Event Webhook (a JSON array of events)."""
    if not settings.sendgrid_webhook_public_key:
        raise _not_configured("SendGrid")
    body = await request.body()
    esp.verify_sendgrid(
        body,
        request.headers,
        public_key=settings.sendgrid_webhook_public_key,
        tolerance_s=settings.esp_webhook_tolerance_seconds,
        now=time.time(),
    )
    return await _ingest(session, settings, esp.sendgrid_events(_json(body)))


@router.post("/webhooks/mailgun", responses=REFUSED)
async def mailgun_webhook(request: Request, session: SessionDep, settings: SettingsDep) -> EspAck:
    """Mailgun's JSON webhooks (`{"signature": {…}, "event-data": {…}}`); a signature's
    token is accepted once."""
    if not settings.mailgun_webhook_signing_key:
        raise _not_configured("Mailgun")
    payload = _json(await request.body())
    if not isinstance(payload, dict):
        raise esp.SignatureRefused("the body needs a signature object")
    stamp, token = esp.verify_mailgun(
        payload.get("signature"),
        signing_key=settings.mailgun_webhook_signing_key,
        tolerance_s=settings.esp_webhook_tolerance_seconds,
        now=time.time(),
    )
    fresh = await webhooks.claim(
        session,
        provider="mailgun-token",
        event_id=token[:100],
        event_type="signature",
        payload={"timestamp": stamp},
    )
    if not fresh:
        raise esp.SignatureRefused("this token was used before (a replay)")
    return await _ingest(session, settings, esp.mailgun_events(payload))
