"""Webhooks in from providers. Telnyx Call Control: verified, stored once, handed to the dialer.

Telnyx signs each webhook with Ed25519 over `"{telnyx-timestamp}|{raw body}"` (headers
`telnyx-signature-ed25519`, base64, and `telnyx-timestamp`, Unix seconds); the SDK's helper
does the same check but needs PyNaCl, so it is done here with `cryptography`. Telnyx
redelivers a webhook that did not get a 2xx, may deliver one twice and does not keep them in
order; every event is stored once by its id, and acted on until it has been delivered.
"""

import base64
import binascii
import json
import time
from collections.abc import Mapping
from typing import Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel

from api.deps import Dialer, SessionDep, SettingsDep
from dialer.telnyx import CALL_EVENTS
from engine.errors import DomainError, FieldError, ValidationFailed
from store import webhooks

router = APIRouter(tags=["webhooks"])

SIGNATURE_HEADER = "telnyx-signature-ed25519"
TIMESTAMP_HEADER = "telnyx-timestamp"


class WebhookAck(BaseModel):
    """`accepted`: handed to the dialer; `duplicate`: seen before, nothing done;
    `ignored`: stored, but not an event the dialer acts on."""

    status: Literal["accepted", "duplicate", "ignored"]
    event_id: str


class SignatureRefused(HTTPException):
    def __init__(self, why: str) -> None:
        super().__init__(401, f"The webhook signature is not valid: {why}.")


def verify_telnyx_signature(
    body: bytes, headers: Mapping[str, str], *, public_key: str, tolerance_s: int, now: float
) -> None:
    """Raises SignatureRefused unless `body` was signed by `public_key` (base64 Ed25519)
    within `tolerance_s` seconds of `now`."""
    signature, stamp = headers.get(SIGNATURE_HEADER), headers.get(TIMESTAMP_HEADER)
    if not signature or not stamp:
        raise SignatureRefused(f"{SIGNATURE_HEADER} and {TIMESTAMP_HEADER} are required")
    if not stamp.isdigit():
        raise SignatureRefused(f"{TIMESTAMP_HEADER} is not a Unix time")
    if abs(now - int(stamp)) > tolerance_s:
        raise SignatureRefused(f"signed more than {tolerance_s} s away from now (a replay?)")
    try:
        raw_signature = base64.b64decode(signature, validate=True)
    except binascii.Error:
        raise SignatureRefused("the signature is not base64") from None
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
    except (binascii.Error, ValueError):
        message = "PIVOTAL_TELNYX_PUBLIC_KEY is not a base64 Ed25519 public key."
        raise DomainError(message, "not_configured", 503) from None
    try:
        key.verify(raw_signature, stamp.encode() + b"|" + body)
    except InvalidSignature:
        raise SignatureRefused("it does not match the body") from None


@router.post(
    "/webhooks/telnyx",
    responses={
        400: {"description": "The body is not JSON."},
        401: {"description": "Missing, forged or stale signature (replay)."},
        422: {"description": "JSON, but not a Telnyx event."},
        503: {"description": "The dialer is down; Telnyx delivers the event again later."},
    },
)
async def telnyx_webhook(
    request: Request, session: SessionDep, settings: SettingsDep, dialer: Dialer
) -> WebhookAck:
    """Receives Telnyx Call Control webhooks (set this URL on the Call Control application).
    An event the dialer could not take (503) stays `received` and is handed over again when
    Telnyx redelivers it; the carrier drops what it has already seen."""
    if not settings.telnyx_public_key:
        raise DomainError("Telnyx webhooks are not configured.", "not_configured", 503)
    body = await request.body()
    verify_telnyx_signature(
        body,
        request.headers,
        public_key=settings.telnyx_public_key,
        tolerance_s=settings.telnyx_webhook_tolerance_seconds,
        now=time.time(),
    )
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise HTTPException(400, "The body is not JSON.") from None
    data = payload.get("data") if isinstance(payload, dict) else None
    event_id = data.get("id") if isinstance(data, dict) else None
    event_type = data.get("event_type") if isinstance(data, dict) else None
    if not isinstance(event_id, str) or not 0 < len(event_id) <= 100:
        raise ValidationFailed([FieldError("data.id", "An event id is required.")])
    if not isinstance(event_type, str) or not 0 < len(event_type) <= 100:
        raise ValidationFailed([FieldError("data.event_type", "An event type is required.")])

    stored = await webhooks.receive(
        session, provider="telnyx", event_id=event_id, event_type=event_type, payload=payload
    )
    if stored.status != webhooks.RECEIVED:
        return WebhookAck(status="duplicate", event_id=event_id)
    if event_type not in CALL_EVENTS:
        await webhooks.mark(session, event_pk=stored.id, status=webhooks.IGNORED)
        return WebhookAck(status="ignored", event_id=event_id)
    await dialer.command("carrier_webhooks", [payload])  # DialerUnavailable: 503
    await webhooks.mark(session, event_pk=stored.id, status=webhooks.DELIVERED)
    return WebhookAck(status="accepted", event_id=event_id)
