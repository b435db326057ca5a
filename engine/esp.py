"""Email service providers' event webhooks as plain Python: each provider's signature check
and the reading of its events into one shape (`EspEvent`).

- Amazon SES via SNS: the SNS message is signed with RSA (SignatureVersion 1: SHA1, 2:
  SHA256) by the certificate at `SigningCertURL`, which must be https on an SNS host.
- SendGrid Event Webhook: ECDSA P-256 / SHA-256 over `timestamp + raw body` (headers
  X-Twilio-Email-Event-Webhook-Signature and -Timestamp), with the account's public key.
- Mailgun: HMAC-SHA256 of `timestamp + token` with the webhook signing key.

Fetching the SNS certificate and remembering tokens are the caller's (api/esp_webhooks.py).
"""

import base64
import binascii
import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key

from engine.errors import DomainError

DELIVERED, BOUNCE, SOFT_BOUNCE, COMPLAINT, IGNORED = (
    "delivered",
    "bounce",
    "soft_bounce",
    "complaint",
    "ignored",
)


class SignatureRefused(DomainError):
    """A webhook that is not provably from the provider, or is replayed: nothing is done."""

    def __init__(self, why: str) -> None:
        super().__init__(f"The webhook signature is not valid: {why}.", "invalid_signature", 401)


@dataclass(frozen=True)
class EspEvent:
    """One provider event about one message we sent."""

    provider: str  # ses | sendgrid | mailgun
    event_id: str  # the provider's id: stored once
    kind: str  # delivered | bounce | soft_bounce | complaint | ignored
    provider_type: str  # the provider's own name for it
    message_ref: str | None  # the Message-ID header we set, as the provider quotes it
    recipient: str | None
    detail: Mapping[str, Any] = field(default_factory=dict)


# --- Amazon SES through SNS ----------------------------------------------------------------

SNS_HOST = re.compile(r"sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?")
_SNS_SIGNED = {
    "Notification": ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"),
    "SubscriptionConfirmation": (
        "Message",
        "MessageId",
        "SubscribeURL",
        "Timestamp",
        "Token",
        "TopicArn",
        "Type",
    ),
}
_SNS_SIGNED["UnsubscribeConfirmation"] = _SNS_SIGNED["SubscriptionConfirmation"]
_SNS_HASHES: dict[str, type[hashes.HashAlgorithm]] = {"1": hashes.SHA1, "2": hashes.SHA256}


def sns_url_allowed(url: object, extra_hosts: Iterable[str] = ()) -> bool:
    """Only https on an SNS host (`sns.<region>.amazonaws.com`) or one of `extra_hosts`
    (`host` or `host:port`, for a local emulator) may be fetched: anything else would let a
    forger choose the certificate, or make us GET any address."""
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        return False
    allowed = set(extra_hosts)
    return (
        SNS_HOST.fullmatch(parts.hostname) is not None and parts.port in (None, 443)
    ) or parts.netloc in allowed


def sns_message(body: bytes) -> dict[str, Any]:
    """The SNS envelope, checked for the fields its signature covers."""
    try:
        message = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SignatureRefused("the body is not an SNS message") from None
    kind = message.get("Type") if isinstance(message, dict) else None
    if kind not in _SNS_SIGNED:
        raise SignatureRefused("the body is not an SNS message")
    needed = [k for k in _SNS_SIGNED[kind] if k != "Subject"]
    needed += ["Signature", "SignatureVersion", "SigningCertURL"]
    if any(not isinstance(message.get(k), str) for k in needed):
        raise SignatureRefused("an SNS message needs " + ", ".join(needed))
    return message


def verify_sns(message: Mapping[str, Any], certificate_pem: bytes) -> None:
    """Raises SignatureRefused unless the certificate's key signed the message."""
    algorithm = _SNS_HASHES.get(str(message.get("SignatureVersion")))
    if algorithm is None:
        raise SignatureRefused("SignatureVersion must be 1 or 2")
    try:
        key = x509.load_pem_x509_certificate(certificate_pem).public_key()
        signature = base64.b64decode(message["Signature"], validate=True)
    except (ValueError, binascii.Error, UnsupportedAlgorithm):
        raise SignatureRefused("the signature or the certificate cannot be read") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureRefused("the certificate's key is not RSA")
    signed = "".join(
        f"{name}\n{message[name]}\n"
        for name in _SNS_SIGNED[message["Type"]]
        if message.get(name) is not None
    )
    try:
        key.verify(signature, signed.encode(), padding.PKCS1v15(), algorithm())
    except InvalidSignature:
        raise SignatureRefused("it does not match the message") from None


def ses_events(envelope: Mapping[str, Any]) -> list[EspEvent]:
    """The SES events inside an SNS Notification (notification or event publishing
    format); one per recipient. Anything else is one `ignored` event."""
    sns_id = str(envelope["MessageId"])
    try:
        note = json.loads(envelope["Message"])
    except (TypeError, json.JSONDecodeError):
        note = None
    if not isinstance(note, dict):
        return [EspEvent("ses", sns_id, IGNORED, "not-ses", None, None)]
    kind = str(note.get("notificationType") or note.get("eventType") or "")
    mail = _object(note.get("mail"))
    ref = _ses_message_id(mail)
    if kind == "Bounce":
        bounce = note.get("bounce") or {}
        hard = bounce.get("bounceType") == "Permanent"
        people = [
            (
                r.get("emailAddress"),
                {"status": r.get("status"), "diagnostic": r.get("diagnosticCode")},
            )
            for r in bounce.get("bouncedRecipients") or []
            if isinstance(r, dict)
        ]
        return _each(sns_id, "ses", BOUNCE if hard else SOFT_BOUNCE, kind, ref, people)
    if kind == "Complaint":
        complaint = note.get("complaint") or {}
        feedback = {"feedback_type": complaint.get("complaintFeedbackType")}
        people = [
            (r.get("emailAddress"), feedback)
            for r in complaint.get("complainedRecipients") or []
            if isinstance(r, dict)
        ]
        return _each(sns_id, "ses", COMPLAINT, kind, ref, people)
    if kind == "Delivery":
        delivery = note.get("delivery") or {}
        people = [(r, {}) for r in delivery.get("recipients") or [] if isinstance(r, str)]
        return _each(sns_id, "ses", DELIVERED, kind, ref, people)
    return [EspEvent("ses", sns_id, IGNORED, kind or "unknown", ref, None)]


def _ses_message_id(mail: Mapping[str, Any]) -> str | None:
    common = mail.get("commonHeaders")
    if isinstance(common, dict) and isinstance(common.get("messageId"), str):
        return str(common["messageId"])
    for header in mail.get("headers") or []:
        if isinstance(header, dict) and str(header.get("name", "")).lower() == "message-id":
            return str(header.get("value"))
    return None


def _each(
    event_id: str,
    provider: str,
    kind: str,
    provider_type: str,
    ref: str | None,
    people: list[tuple[Any, dict[str, Any]]],
) -> list[EspEvent]:
    if not people:
        return [EspEvent(provider, event_id, kind, provider_type, ref, None)]
    return [
        EspEvent(
            provider,
            event_id if n == 0 else f"{event_id}:{n}",
            kind,
            provider_type,
            ref,
            str(email) if email else None,
            detail,
        )
        for n, (email, detail) in enumerate(people)
    ]


# --- SendGrid ------------------------------------------------------------------------------

SENDGRID_SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature"
SENDGRID_TIMESTAMP = "X-Twilio-Email-Event-Webhook-Timestamp"


def verify_sendgrid(
    body: bytes, headers: Mapping[str, str], *, public_key: str, tolerance_s: int, now: float
) -> None:
    """ECDSA (P-256, SHA-256) over `timestamp + body`; `public_key` is the base64 DER key
    SendGrid shows under Signed Event Webhook."""
    signature, stamp = headers.get(SENDGRID_SIGNATURE), headers.get(SENDGRID_TIMESTAMP)
    if not signature or not stamp:
        raise SignatureRefused(f"{SENDGRID_SIGNATURE} and {SENDGRID_TIMESTAMP} are required")
    _fresh(stamp, tolerance_s, now)
    try:
        raw = base64.b64decode(signature, validate=True)
    except binascii.Error:
        raise SignatureRefused("the signature is not base64") from None
    try:
        key = load_der_public_key(base64.b64decode(public_key, validate=True))
    except (binascii.Error, ValueError, UnsupportedAlgorithm):
        message = "PIVOTAL_SENDGRID_WEBHOOK_PUBLIC_KEY is not a base64 DER public key."
        raise DomainError(message, "not_configured", 503) from None
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise DomainError("The SendGrid key is not an EC key.", "not_configured", 503)
    try:
        key.verify(raw, stamp.encode() + body, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise SignatureRefused("it does not match the body") from None


def sendgrid_events(payload: Any) -> list[EspEvent]:
    """SendGrid posts a JSON array of events, each with its `sg_event_id`."""
    if not isinstance(payload, list):
        raise SignatureRefused("a SendGrid body is a JSON array")
    events = []
    for item in payload:
        if not isinstance(item, dict) or not isinstance(item.get("sg_event_id"), str):
            continue
        kind = str(item.get("event", ""))
        if kind == "bounce":
            ours = BOUNCE if item.get("type", "bounce") == "bounce" else SOFT_BOUNCE
        else:
            ours = {"delivered": DELIVERED, "deferred": SOFT_BOUNCE, "spamreport": COMPLAINT}.get(
                kind, IGNORED
            )
        detail = {k: item[k] for k in ("reason", "status", "response") if k in item}
        ref = item.get("smtp-id") if isinstance(item.get("smtp-id"), str) else None
        email = item.get("email") if isinstance(item.get("email"), str) else None
        events.append(EspEvent("sendgrid", item["sg_event_id"], ours, kind, ref, email, detail))
    return events


# --- Mailgun -------------------------------------------------------------------------------


def verify_mailgun(
    signature: Any, *, signing_key: str, tolerance_s: int, now: float
) -> tuple[str, str]:
    """Checks the body's `signature` object; returns (timestamp, token). The caller must
    refuse a token it has seen before (a replay within the tolerance)."""
    if not isinstance(signature, dict):
        raise SignatureRefused("the body needs a signature object")
    stamp, token, mac = (signature.get(k) for k in ("timestamp", "token", "signature"))
    if not all(isinstance(v, str) and v for v in (stamp, token, mac)):
        raise SignatureRefused("timestamp, token and signature are required")
    assert isinstance(stamp, str) and isinstance(token, str) and isinstance(mac, str)
    _fresh(stamp, tolerance_s, now)
    expected = hmac.new(signing_key.encode(), (stamp + token).encode(), hashlib.sha256)
    if not hmac.compare_digest(expected.hexdigest(), mac.lower()):
        raise SignatureRefused("it does not match the timestamp and token")
    return stamp, token


def mailgun_events(payload: Mapping[str, Any]) -> list[EspEvent]:
    data = payload.get("event-data")
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise SignatureRefused("a Mailgun body needs event-data with an id")
    kind = str(data.get("event", ""))
    if kind == "failed":
        ours = BOUNCE if data.get("severity") == "permanent" else SOFT_BOUNCE
    else:
        ours = {"delivered": DELIVERED, "complained": COMPLAINT}.get(kind, IGNORED)
    message = _object(data.get("message"))
    headers = _object(message.get("headers"))
    ref = headers.get("message-id") if isinstance(headers.get("message-id"), str) else None
    status = _object(data.get("delivery-status"))
    detail: dict[str, Any] = {
        k: status[k] for k in ("code", "message", "description") if k in status
    }
    email = data.get("recipient") if isinstance(data.get("recipient"), str) else None
    return [EspEvent("mailgun", data["id"], ours, kind, ref, email, detail)]


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _fresh(stamp: str, tolerance_s: int, now: float) -> None:
    if not stamp.isdigit():
        raise SignatureRefused("the timestamp is not a Unix time")
    if abs(now - int(stamp)) > tolerance_s:
        raise SignatureRefused(f"signed more than {tolerance_s} s away from now (a replay?)")
