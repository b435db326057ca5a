"""Replies as plain Python: whether an inbound mail answers one of our messages, and whether
a person wrote it or an autoresponder (out of office, vacation notice, ticket robot).

A reply names our message the way mail clients thread: our Message-ID
(`<pv.ROW.MAC@…>`) in `In-Reply-To`, else in `References`. The MAC is checked
(`engine.email.message_row`), so a forged Message-ID names nothing. Bounces and
feedback-loop reports are not replies: the caller reads those with engine/bounces.py first.
"""

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from engine.email import MESSAGE_ID, message_row

REPLY, AUTO_REPLY = "reply", "auto_reply"
# RFC 3834 and the de-facto headers autoresponders set (Exchange, Gmail vacation, Zendesk…).
AUTO_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoresponder")
AUTO_PRECEDENCE = frozenset({"auto_reply", "bulk", "junk"})
# Autoresponders that set none of the headers still say so in the subject.
AUTO_SUBJECT = re.compile(
    r"^\s*(auto(matic)?[ -]?(reply|response|antwort)|out of (the )?office|abwesenheit|"
    r"r[ée]ponse automatique)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Reply:
    inbound_id: str  # the reply's own Message-ID, else a digest of it: recorded once
    kind: str  # reply | auto_reply
    refs: tuple[str, ...]  # Message-IDs it answers, the one it replies to first
    sender: str | None
    subject: str | None


def parse_reply(raw: bytes) -> Reply | None:
    """The reply in `raw` (a whole mail), or None if it answers no Message-ID of ours
    (checked for the pattern only: `replied_row` checks the MAC)."""
    mail = message_from_bytes(raw, policy=policy.default)
    assert isinstance(mail, EmailMessage)
    direct = _ours(mail.get_all("In-Reply-To") or ())
    # References run oldest first: the last of ours is the latest message of the thread.
    thread = _ours(mail.get_all("References") or ())[::-1]
    refs = tuple(dict.fromkeys(direct + thread))
    if not refs:
        return None
    inbound_id = str(mail.get("Message-ID") or "").strip()[:150]
    return Reply(
        inbound_id=inbound_id or "sha256:" + hashlib.sha256(raw).hexdigest(),
        kind=AUTO_REPLY if is_automatic(mail) else REPLY,
        refs=refs,
        sender=str(mail.get("From") or "")[:320] or None,
        subject=str(mail.get("Subject") or "")[:300] or None,
    )


def is_automatic(mail: EmailMessage) -> bool:
    """An autoresponder wrote it (RFC 3834 `Auto-Submitted` other than `no`, the common
    X- headers, `Precedence: auto_reply|bulk|junk`, or an out-of-office subject)."""
    submitted = str(mail.get("Auto-Submitted") or "").strip().lower()
    if submitted and not submitted.startswith("no"):
        return True
    if any(mail.get(name) is not None for name in AUTO_HEADERS):
        return True
    if str(mail.get("Precedence") or "").strip().lower() in AUTO_PRECEDENCE:
        return True
    return AUTO_SUBJECT.search(str(mail.get("Subject") or "")) is not None


def replied_row(secret: str, reply: Reply) -> int | None:
    """Our message the reply answers: the first of its references whose MAC is ours."""
    return next((r for ref in reply.refs if (r := message_row(secret, ref)) is not None), None)


def _ours(values: Iterable[object]) -> list[str]:
    return [m.group(0) for v in values for m in MESSAGE_ID.finditer(str(v))]
