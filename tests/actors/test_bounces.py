"""Bounce mail on real SMTP: the pacer sends with a VERP return path, MTAs' bounces are
delivered by a real aiosmtpd server into a Maildir, and the pacer reads them from there."""

import asyncio
from pathlib import Path

import aiosmtplib
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.bounces import verp_row
from store.models import Contact, EmailEvent, EmailMessage
from tests.actors.emails import Sink, one_step_campaign, pacer_config, running
from tests.support.bounces import exim_bounce, postfix_dsn
from tests.support.waits import wait_for

SECRET = "t" * 40  # pacer_config's secret key


async def _statuses(sessions: async_sessionmaker[AsyncSession]) -> dict[str, str]:
    async with sessions() as session:
        return dict(
            (await session.execute(select(EmailMessage.to_email, EmailMessage.status))).all()
        )


async def test_bounces_delivered_to_the_bounce_mailbox_mark_messages_and_contacts(
    sink: Sink,
    bounce_mx: tuple[int, Path],
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    mx_port, maildir = bounce_mx
    emails = ["hard@example.net", "later@example.net", "exim@example.org", "fine@example.net"]
    campaign = await one_step_campaign(sessions, emails, rate_per_minute=6000)
    config = pacer_config(
        database_url,
        sink.port,
        bounce_address="bounces@pivotal.test",
        bounce_maildir=str(maildir),
        bounce_poll_seconds=0.05,
    )
    async with running(config, campaign):
        await wait_for(lambda: len(sink.handler.received) == 4)
        await wait_for(lambda: _all_sent(sessions))
        sent = {r.rcpt: r for r in sink.handler.received}
        for received in sent.values():  # every return path names its own message
            assert received.mail_from.startswith("bounces+")
            row = verp_row(SECRET, received.mail_from)
            assert row is not None and str(row) in str(received.message["Message-ID"])

        bounces = [
            postfix_dsn(sent["hard@example.net"].message, to=sent["hard@example.net"].mail_from),
            postfix_dsn(  # a report to the From address: tied by the Message-ID it quotes
                sent["later@example.net"].message,
                to="sales@pivotal.test",
                status="4.2.2",
                action="delayed",
            ),
            exim_bounce(to=sent["exim@example.org"].mail_from, failed="exim@example.org"),
            b"From: fine@example.net\r\nSubject: Re: Hello\r\n\r\nThanks, not now.\r\n",
        ]
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=mx_port) as smtp:
            for raw, to in zip(bounces, [sent[e].mail_from for e in emails], strict=True):
                await smtp.sendmail("", [to], raw)
        await wait_for(lambda: _inbox_empty(maildir))
        await asyncio.sleep(0.05)

    assert await _statuses(sessions) == {
        "hard@example.net": "bounced",
        "later@example.net": "sent",
        "exim@example.org": "bounced",
        "fine@example.net": "sent",
    }
    async with sessions() as session:
        people = dict((await session.execute(select(Contact.email, Contact.email_status))).all())
        events = (await session.execute(select(EmailEvent.kind, EmailEvent.data))).all()
    assert people["hard@example.net"] == people["exim@example.org"] == "bounced"
    assert people["later@example.net"] == people["fine@example.net"] == "active"
    kinds = sorted(kind for kind, _ in events)
    assert kinds == ["bounce", "bounce", "soft_bounce"]
    assert {d["status"] for k, d in events if k == "soft_bounce"} == {"4.2.2"}
    assert len(list((maildir / ".Processed" / "new").iterdir())) == 4  # kept, set aside


async def _all_sent(sessions: async_sessionmaker[AsyncSession]) -> bool:
    return set((await _statuses(sessions)).values()) == {"sent"}


def _inbox_empty(maildir: Path) -> bool:
    return maildir.exists() and not any((maildir / "new").iterdir())
