"""Bounce mail as plain Python: RFC 3464 delivery status notifications (multipart/report;
report-type=delivery-status), the common non-standard bounce shapes and feedback-loop
complaints (RFC 5965 ARF, report-type=feedback-report), read into one `BounceReport`; and
the VERP return path that names our message in the bounce's address.

A report is tied to our message by what it carries back: the VERP address it was delivered
to (`bounces+ROW-MAC@…`), or our Message-ID (`<pv.ROW.MAC@…>`) in the returned headers or
anywhere in the text (Original-Message-ID, quoted headers). Both are MAC-checked, so a
forged bounce cannot name a message it never saw.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from typing import Any

from engine.email import MESSAGE_ID, message_row

HARD, SOFT, COMPLAINT = "bounce", "soft_bounce", "complaint"
# ARF feedback types that mean "the recipient does not want this mail" (not `not-spam`,
# nor the DMARC `auth-failure` reports that share the format).
COMPLAINT_TYPES = frozenset({"abuse", "fraud", "virus", "other"})
STATUS = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
SMTP_CODE = re.compile(r"\b([45])\d\d\b")
ADDRESS = re.compile(r"[^\s<>\"'();:,]+@[^\s<>\"'();:,]+\.[A-Za-z]{2,}")
# Where an MTA writes the address a message was delivered to (aiosmtpd: X-RcptTo).
DELIVERED_TO = ("Delivered-To", "X-Original-To", "Envelope-To", "X-RcptTo", "To")
# Subjects and senders of bounces that are not RFC 3464 reports (Exim, qmail, Postfix
# without DSN, Exchange, Gmail's "Delivery Status Notification (Failure)").
BOUNCE_SUBJECT = re.compile(
    r"undeliver|delivery (status notification|failure|has failed)|returned mail|"
    r"failure notice|mail delivery (failed|subsystem)|delivery incomplete",
    re.IGNORECASE,
)
BOUNCE_SENDER = re.compile(r"mailer-daemon|postmaster", re.IGNORECASE)


@dataclass(frozen=True)
class RecipientStatus:
    email: str | None
    action: str | None  # failed | delayed | delivered | relayed | expanded
    status: str | None  # 5.1.1
    diagnostic: str | None
    kind: str | None  # bounce (hard) | soft_bounce | None (not a failure)


@dataclass(frozen=True)
class BounceReport:
    report_id: str  # the bounce's own Message-ID, else a digest of it: handled once
    recipients: tuple[RecipientStatus, ...]
    message_refs: tuple[str, ...]  # our Message-IDs found in what it returned
    # The addresses the bounce was delivered to, and an ARF report's Original-Mail-From:
    # where a VERP return path names our message.
    delivered_to: tuple[str, ...]
    standard: bool  # an RFC 3464 or RFC 5965 report


def parse_bounce(raw: bytes) -> BounceReport | None:
    """The bounce in `raw` (a whole mail), or None if it is not one."""
    mail = message_from_bytes(raw, policy=policy.default)
    assert isinstance(mail, EmailMessage)
    report_id = str(mail.get("Message-ID") or "").strip()
    report_id = report_id[:150] or "sha256:" + hashlib.sha256(raw).hexdigest()
    delivered_to = tuple(
        a.lower() for name in DELIVERED_TO for v in mail.get_all(name) or () for a in _emails(v)
    )
    refs = tuple(dict.fromkeys(m.group(0) for m in MESSAGE_ID.finditer(_text(raw))))
    statuses = _delivery_status(mail)
    if statuses is not None:
        return BounceReport(report_id, statuses, refs, delivered_to, standard=True)
    feedback = _feedback(mail)
    if feedback is not None:
        complaint, mail_from = feedback
        return BounceReport(report_id, complaint, refs, delivered_to + mail_from, standard=True)
    if not _looks_like_bounce(mail):
        return None
    return BounceReport(report_id, _non_standard(mail), refs, delivered_to, standard=False)


def _delivery_status(mail: EmailMessage) -> tuple[RecipientStatus, ...] | None:
    if mail.get_content_type() != "multipart/report":
        return None
    for part in mail.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        if not isinstance(blocks, list):
            return ()
        return tuple(_recipient(b) for b in blocks[1:] if isinstance(b, Message))
    return None


def _feedback(mail: EmailMessage) -> tuple[tuple[RecipientStatus, ...], tuple[str, ...]] | None:
    """An ARF report's complaint (kind None for feedback that is not one) and the VERP
    return path it quotes in Original-Mail-From."""
    if mail.get_content_type() != "multipart/report":
        return None
    for part in mail.walk():
        if part.get_content_type() != "message/feedback-report":
            continue
        blocks = part.get_payload()
        first = blocks[0] if isinstance(blocks, list) and blocks else None
        fields = first if isinstance(first, Message) else Message()
        kind = str(fields.get("Feedback-Type") or "").strip().lower()
        rcpt = _emails(fields.get("Original-Rcpt-To") or "")
        complaint = RecipientStatus(
            rcpt[0].lower() if rcpt else None,
            None,
            None,
            f"feedback-type {kind}" if kind else None,
            COMPLAINT if kind in COMPLAINT_TYPES else None,
        )
        mail_from = tuple(a.lower() for a in _emails(fields.get("Original-Mail-From") or ""))
        return (complaint,), mail_from
    return None


def _recipient(block: Message) -> RecipientStatus:
    final = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
    email = final.split(";", 1)[-1].strip().strip("<>").lower() or None
    action = str(block.get("Action") or "").strip().lower() or None
    found = STATUS.search(str(block.get("Status") or ""))
    status = ".".join(found.groups()) if found else None
    diagnostic = " ".join(str(block.get("Diagnostic-Code") or "").split()) or None
    if action in ("delivered", "relayed", "expanded"):
        kind = None
    elif status:
        kind = {"5": HARD, "4": SOFT}.get(status[0])
    else:
        kind = HARD if action == "failed" else SOFT if action == "delayed" else None
    return RecipientStatus(email, action, status, diagnostic, kind)


def _looks_like_bounce(mail: EmailMessage) -> bool:
    if mail.get("X-Failed-Recipients"):
        return True
    sender = str(mail.get("From") or "") + " " + str(mail.get("Return-Path") or "")
    return bool(BOUNCE_SUBJECT.search(str(mail.get("Subject") or ""))) and (
        bool(BOUNCE_SENDER.search(sender)) or str(mail.get("Return-Path") or "").strip() == "<>"
    )


def _non_standard(mail: EmailMessage) -> tuple[RecipientStatus, ...]:
    """Exim's X-Failed-Recipients, else the addresses in the first lines that quote an
    SMTP answer; hard for a 5xx (or 5.x.x), soft for a 4xx, hard when nothing says."""
    body = _first_text(mail)
    found = STATUS.search(body)
    code = SMTP_CODE.search(body)
    digit = found.group(1) if found else code.group(1) if code else "5"
    kind = SOFT if digit == "4" else HARD
    status = ".".join(found.groups()) if found else None
    failed: list[str | None] = [
        a.lower() for v in mail.get_all("X-Failed-Recipients") or () for a in _emails(v)
    ]
    if not failed:
        failed = [a.lower() for a in ADDRESS.findall(body[:2000])][:1] or [None]
    line = next((ln.strip() for ln in body.splitlines() if SMTP_CODE.search(ln)), None)
    action = "delayed" if kind == SOFT else "failed"
    return tuple(
        RecipientStatus(email, action, status, line[:300] if line else None, kind)
        for email in failed
    )


def _first_text(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        return str(part.get_content())
    except (LookupError, ValueError):
        return ""


def _text(raw: bytes) -> str:
    """The mail as text, quoted-printable soft breaks undone (a Message-ID can be split)."""
    return raw.decode("utf-8", "replace").replace("=\r\n", "").replace("=\n", "")


def _emails(value: Any) -> list[str]:
    return ADDRESS.findall(str(value))


# --- tying a bounce to our message ---------------------------------------------------------


def verp_address(secret: str, message_row: int, bounce_address: str) -> str:
    """`bounces+ROW-MAC@domain` for `bounces@domain`: the return path of one message. The
    MAC is hex, since some MTAs lowercase local parts."""
    local, _, domain = bounce_address.partition("@")
    return f"{local}+{message_row}-{_verp_mac(secret, message_row)}@{domain}"


VERP = re.compile(r"[^@+\s]+\+(\d{1,18})-([0-9a-f]{16})@", re.IGNORECASE)


def verp_row(secret: str, address: str) -> int | None:
    match = VERP.match(address.strip().strip("<>"))
    if match is None:
        return None
    row = int(match.group(1))
    return row if hmac.compare_digest(match.group(2).lower(), _verp_mac(secret, row)) else None


def _verp_mac(secret: str, message_row: int) -> str:
    key = hashlib.sha256(b"pivotal-verp:" + secret.encode()).digest()
    return hmac.new(key, str(message_row).encode(), hashlib.sha256).hexdigest()[:16]


def bounced_rows(secret: str, report: BounceReport) -> list[int]:
    """Our messages this bounce is about: its VERP address first, else the Message-IDs of
    ours it quotes (checked; unknown or forged ones are dropped)."""
    rows = [r for a in report.delivered_to if (r := verp_row(secret, a)) is not None]
    if not rows:
        rows = [r for ref in report.message_refs if (r := message_row(secret, ref)) is not None]
    return list(dict.fromkeys(rows))


def bounce_kind(report: BounceReport) -> RecipientStatus | None:
    """The report's verdict on our (single-recipient) message: its hard failure if any,
    else its soft one, else None (a delivered/relayed notice)."""
    failing = [r for r in report.recipients if r.kind is not None]
    return next((r for r in failing if r.kind == HARD), None) or next(iter(failing), None)
