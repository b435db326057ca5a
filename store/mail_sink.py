"""The embedded SMTP sink: an aiosmtpd server that keeps every mail it receives in a
Maildir folder (the embedded default relay, so campaign mail needs no account), and the
reading of that folder for the API.

One sink per machine: the first API process binds the port; the others find it taken and
only read the folder. Mail ids are Maildir keys; a key is only ever looked up among the
folder's own entries, never joined into a path, so no id can reach another file.
"""

import asyncio
import base64
import binascii
import dataclasses
import hashlib
import logging
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage as Mail
from email.parser import BytesHeaderParser, BytesParser
from email.utils import getaddresses
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from engine.email import message_row
from engine.errors import FieldError, NotFound, ValidationFailed
from store.models import EmailMessage

log = logging.getLogger(__name__)


class SinkServer:
    """The aiosmtpd server, in its own thread (its writes never hold up the API's loop)."""

    def __init__(self, *, host: str, port: int, maildir: str) -> None:
        self.host, self.port, self.maildir = host, port, Path(maildir)
        self._controller: Controller | None = None

    def start(self) -> bool:
        """Starts listening; False (and only a log line) when another process has the port."""
        for folder in ("tmp", "new", "cur"):  # Maildir() makes them only for a new path
            (self.maildir / folder).mkdir(parents=True, exist_ok=True)
        if not _port_free(self.host, self.port):
            log.info("SMTP sink port %s:%s taken: listing only", self.host, self.port)
            return False
        controller = Controller(Mailbox(self.maildir), hostname=self.host, port=self.port)
        try:
            controller.start()
        except OSError:  # lost a race for the port with another process
            log.info("SMTP sink port %s:%s taken: listing only", self.host, self.port)
            return False
        self._controller = controller
        return True

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def _port_free(host: str, port: int) -> bool:
    # aiosmtpd's Controller only reports a taken port after its 5 s ready timeout.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        socket.create_server((host, port), family=family).close()
    except OSError:
        return False
    return True


# --- reading the Maildir -------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    key: str
    path: Path
    received_ns: int

    @property
    def order(self) -> tuple[int, str]:
        # A digest of the key breaks ties in the receive time and keeps cursors short.
        return (self.received_ns, hashlib.sha256(self.key.encode()).hexdigest()[:12])

    @property
    def cursor(self) -> str:
        received, digest = self.order
        raw = f"{received}:{digest}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@dataclass(frozen=True)
class SinkMessage:
    """One received mail; `message_row`, `campaign_id`, `contact_id` when our signed
    Message-ID names one of our messages."""

    id: str
    received_at: datetime
    sender: str
    to: list[str]
    subject: str
    message_id: str | None
    message_row: int | None = None
    campaign_id: int | None = None
    contact_id: int | None = None


@dataclass(frozen=True)
class SinkMail:
    summary: SinkMessage
    headers: list[tuple[str, str]]
    text: str | None
    html: str | None
    raw: str


@dataclass(frozen=True)
class SinkPage:
    items: list[SinkMessage]
    next_cursor: str | None


def _entries(maildir: Path) -> list[_Entry]:
    """Every mail in the folder, newest first."""
    found = []
    for folder in (maildir / "new", maildir / "cur"):
        if not folder.is_dir():
            continue
        with os.scandir(folder) as listing:
            for item in listing:
                if item.name.startswith(".") or not item.is_file():
                    continue
                try:
                    received = item.stat().st_mtime_ns
                except FileNotFoundError:  # moved away meanwhile
                    continue
                found.append(_Entry(item.name.split(":", 1)[0], Path(item.path), received))
    return sorted(found, key=lambda e: e.order, reverse=True)


def _decode_cursor(cursor: str) -> tuple[int, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        received, key = raw.split(":", 1)
        return int(received), key
    except (ValueError, binascii.Error) as exc:
        raise ValidationFailed([FieldError("cursor", "Not a cursor from this API.")]) from exc


def _summary(entry: _Entry, headers: Any, secret: str) -> SinkMessage:
    recipients = headers.get_all("X-RcptTo") or headers.get_all("To") or []
    message_id = str(headers.get("Message-ID", "")).strip() or None
    return SinkMessage(
        id=entry.key,
        received_at=datetime.fromtimestamp(entry.received_ns / 1e9, UTC),
        sender=str(headers.get("From", "")),
        to=[address.lower() for _, address in getaddresses([str(r) for r in recipients])],
        subject=str(headers.get("Subject", "")),
        message_id=message_id,
        message_row=message_row(secret, message_id),
    )


def _read_summaries(entries: Sequence[_Entry], secret: str) -> list[SinkMessage]:
    summaries = []
    parser = BytesHeaderParser(policy=policy.default)
    for entry in entries:
        try:
            with entry.path.open("rb") as file:
                summaries.append(_summary(entry, parser.parse(file), secret))
        except FileNotFoundError:
            continue
    return summaries


async def _with_campaigns(session: AsyncSession, summaries: list[SinkMessage]) -> list[SinkMessage]:
    rows = {s.message_row for s in summaries if s.message_row is not None}
    if not rows:
        return summaries
    query = select(EmailMessage.id, EmailMessage.campaign_id, EmailMessage.contact_id).where(
        EmailMessage.id.in_(rows)
    )
    known = {row: (campaign, contact) for row, campaign, contact in await session.execute(query)}
    out = []
    for s in summaries:
        campaign, contact = known.get(s.message_row or 0, (None, None))
        out.append(dataclasses.replace(s, campaign_id=campaign, contact_id=contact))
    return out


async def list_messages(
    session: AsyncSession,
    maildir: str,
    *,
    secret: str,
    limit: int,
    cursor: str | None,
    to: str | None = None,
    campaign_id: int | None = None,
) -> SinkPage:
    """Received mail, newest first, `limit` a page; `to` (a recipient) and `campaign_id`
    filter. Headers are read only as far as the page needs."""
    entries = await asyncio.to_thread(_entries, Path(maildir))
    if cursor:
        after = _decode_cursor(cursor)
        entries = [e for e in entries if e.order < after]
    wanted = to.strip().lower() if to else None
    found: list[SinkMessage] = []
    chunk = max(limit + 1, 100)
    for start in range(0, len(entries), chunk):
        part = await asyncio.to_thread(_read_summaries, entries[start : start + chunk], secret)
        for summary in await _with_campaigns(session, part):
            if wanted is not None and wanted not in summary.to:
                continue
            if campaign_id is not None and summary.campaign_id != campaign_id:
                continue
            found.append(summary)
        if len(found) > limit:
            break
    more = len(found) > limit
    items = found[:limit]
    last = next(e for e in entries if e.key == items[-1].id) if more else None
    return SinkPage(items=items, next_cursor=last.cursor if last else None)


def _read_mail(maildir: Path, key: str, secret: str) -> SinkMail | None:
    entry = next((e for e in _entries(maildir) if e.key == key), None)
    if entry is None:
        return None
    raw = entry.path.read_bytes()
    mail = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(mail, Mail)
    return SinkMail(
        summary=_summary(entry, mail, secret),
        headers=[(name, str(value)) for name, value in mail.items()],
        text=_part(mail, "plain"),
        html=_part(mail, "html"),
        raw=raw.decode("utf-8", errors="replace"),
    )


def _part(mail: Mail, subtype: str) -> str | None:
    body = mail.get_body(preferencelist=(subtype,))
    if body is None or body.get_content_subtype() != subtype:
        return None
    content = body.get_content()
    return content if isinstance(content, str) else None


async def get_message_or_raise(
    session: AsyncSession, maildir: str, *, secret: str, key: str
) -> SinkMail:
    mail = await asyncio.to_thread(_read_mail, Path(maildir), key, secret)
    if mail is None:
        raise NotFound("Mail")
    (summary,) = await _with_campaigns(session, [mail.summary])
    return SinkMail(summary, mail.headers, mail.text, mail.html, mail.raw)
