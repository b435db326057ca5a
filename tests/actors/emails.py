"""Builders for email tests: a real SMTP server (aiosmtpd) and campaigns with contacts."""

import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.pacer import PacerConfig, Pacers
from store.models import Account, Campaign, Contact, EmailTemplate, SenderProfile
from tests.support.server import free_port

POSTAL = "Pivotal Inc., 1 Main Street, Springfield"


@dataclass
class Received:
    rcpt: str
    data: bytes
    at: float
    mail_from: str = ""

    @property
    def message(self) -> Message:
        return message_from_bytes(self.data)


@dataclass
class SinkHandler:
    """Accepts mail; answers 550 for `reject` recipients and 451 for the first `defer[r]`
    tries of others."""

    received: list[Received] = field(default_factory=list)
    reject: set[str] = field(default_factory=set)
    defer: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.reject:
            return "550 5.1.1 No such user"
        with self.lock:
            if self.defer[address] > 0:
                self.defer[address] -= 1
                return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append(
                    Received(rcpt, envelope.content, time.monotonic(), envelope.mail_from)
                )
        return "250 Message accepted"

    def recipients(self) -> Counter[str]:
        with self.lock:
            return Counter(r.rcpt for r in self.received)


@dataclass
class Sink:
    port: int
    handler: SinkHandler


def smtp_sink() -> Iterator[Sink]:
    handler = SinkHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield Sink(port, handler)
    finally:
        controller.stop()


def maildir_mx(folder: Path) -> Iterator[tuple[int, Path]]:
    """A real SMTP server delivering into a Maildir, as the reply or bounce address's MTA:
    (its port, the Maildir)."""
    port = free_port()
    controller = Controller(Mailbox(folder), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, folder
    finally:
        controller.stop()


def pacer_config(database_url: str, port: int, **overrides: Any) -> PacerConfig:
    values: dict[str, Any] = {
        "database_url": database_url,
        "secret_key": "t" * 40,
        "public_base_url": "https://pivotal.test",
        "smtp_port": port,
        "connections": 3,
        "tick_seconds": 0.02,
        "flush_seconds": 0.01,
        "stats_seconds": 0.2,
        "followup_seconds": 0.1,
        "retry_base_seconds": 0.05,
    }
    return PacerConfig(**(values | overrides))


async def started(config: PacerConfig, **kwargs: Any) -> Pacers:
    pacers = Pacers(config, **kwargs)
    await pacers.start()
    return pacers


@asynccontextmanager
async def running(config: PacerConfig, *campaigns: int, **kwargs: Any) -> AsyncIterator[Pacers]:
    """Pacers started on `config` (`kwargs` go to `Pacers`) with these campaigns started;
    closed on the way out, whatever happened inside."""
    pacers = await started(config, **kwargs)
    try:
        for campaign in campaigns:
            await pacers.start_campaign(campaign)
        yield pacers
    finally:
        await pacers.close()


async def add_sender(sessions: async_sessionmaker[AsyncSession], **fields: Any) -> int:
    async with sessions() as session, session.begin():
        sender = SenderProfile(
            name="Main",
            from_name="Pivotal Sales",
            from_email="sales@pivotal.test",
            reply_to="replies@pivotal.test",
            postal_address=POSTAL,
            **fields,
        )
        session.add(sender)
    return sender.id


async def add_template(
    sessions: async_sessionmaker[AsyncSession],
    subject: str = "Hello {{contact.first_name|there}}",
    html: str = "<p>Hi {{contact.first_name|there}} from {{account.name|your company}}</p>"
    '<a href="https://example.com/offer">offer</a>',
    text: str = "Hi {{contact.first_name|there}}",
) -> int:
    async with sessions() as session, session.begin():
        template = EmailTemplate(name="t", subject=subject, html=html, text_body=text)
        session.add(template)
    return template.id


async def add_contacts(
    sessions: async_sessionmaker[AsyncSession], emails: list[str], **fields: Any
) -> list[int]:
    async with sessions() as session, session.begin():
        account = Account(name="Acme & Co")
        session.add(account)
        await session.flush()
        contacts = [
            Contact(email=e, first_name=f"N{n}", account_id=account.id, **fields)
            for n, e in enumerate(emails)
        ]
        session.add_all(contacts)
    return [c.id for c in contacts]


async def add_email_campaign(
    sessions: async_sessionmaker[AsyncSession],
    contact_ids: list[int],
    *,
    sender_id: int,
    steps: list[dict[str, Any]],
    **email: Any,
) -> int:
    settings = {"email": {"sender_profile_id": sender_id, "steps": steps} | email}
    async with sessions() as session, session.begin():
        campaign = Campaign(
            kind="email",
            name="Email campaign",
            audience={"contact_ids": contact_ids},
            settings=settings,
        )
        session.add(campaign)
    return campaign.id


async def one_step_campaign(
    sessions: async_sessionmaker[AsyncSession], emails: list[str], **options: Any
) -> int:
    """A one-step campaign to new contacts at these addresses; `options` as for
    `one_step_campaign_to` (a sender and a template are added unless given)."""
    contacts = await add_contacts(sessions, emails)
    return await one_step_campaign_to(sessions, contacts, **options)


async def one_step_campaign_to(
    sessions: async_sessionmaker[AsyncSession],
    contact_ids: list[int],
    *,
    sender_id: int | None = None,
    template_id: int | None = None,
    **email: Any,
) -> int:
    """A one-step campaign to these existing contacts; a sender and a template are added
    for it unless given."""
    sender_id = sender_id or await add_sender(sessions)
    template_id = template_id or await add_template(sessions)
    steps = [{"template_id": template_id}]
    return await add_email_campaign(
        sessions, contact_ids, sender_id=sender_id, steps=steps, **email
    )


async def two_step_campaign(
    sessions: async_sessionmaker[AsyncSession],
    emails: list[str],
    delay_days: float,
    *,
    sender_id: int | None = None,
    **email: Any,
) -> int:
    """A campaign to new contacts at these addresses: a mail titled "First", then one
    titled "Second" `delay_days` later; a sender is added for it unless given."""
    sender_id = sender_id or await add_sender(sessions)
    first = await add_template(sessions, subject="First")
    second = await add_template(sessions, subject="Second")
    contacts = await add_contacts(sessions, emails)
    steps = [{"template_id": first}, {"template_id": second, "delay_days": delay_days}]
    return await add_email_campaign(sessions, contacts, sender_id=sender_id, steps=steps, **email)
