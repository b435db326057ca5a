"""Replies on real SMTP: the pacer sends step 1 through a real SMTP server, contacts answer
through another one that delivers into the reply Maildir (and a feedback loop reports a
complaint into the bounce Maildir); the pacer reads both, and step 2 goes only to those
who did not reply."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosmtplib
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from store.models import EmailEvent, EmailMessage, Suppression
from tests.actors.emails import Sink, maildir_mx, pacer_config, running, two_step_campaign
from tests.support.bounces import arf_complaint, reply_to
from tests.support.published import Published
from tests.support.waits import wait_for


@pytest.fixture
def reply_mx(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    yield from maildir_mx(tmp_path / "replies")


async def _event_kinds(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessions() as session:
        return sorted(await session.scalars(select(EmailEvent.kind)))


async def _deliver(port: int, to: str, mails: list[bytes]) -> None:
    async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port) as smtp:
        for raw in mails:
            await smtp.sendmail("someone@example.net", [to], raw)


async def test_a_reply_stops_the_sequence_and_auto_replies_forgeries_do_not(
    sink: Sink,
    reply_mx: tuple[int, Path],
    bounce_mx: tuple[int, Path],
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emails = ["replier@ok.com", "away@ok.com", "silent@ok.com", "forger@ok.com", "angry@ok.com"]
    # the default sender's Reply-To is replies@pivotal.test
    campaign = await two_step_campaign(sessions, emails, 1, rate_per_minute=60_000)
    shift = [timedelta(0)]  # the pacer's clock: moved a day on to make step 2 due
    published = Published()

    config = pacer_config(
        database_url,
        sink.port,
        bounce_address="bounces@pivotal.test",
        bounce_maildir=str(bounce_mx[1]),
        reply_maildir=str(reply_mx[1]),
        bounce_poll_seconds=0.05,
        events_recount_seconds=0.5,  # full recounts between the incremental ones
    )

    def clock() -> datetime:
        return datetime.now(UTC) + shift[0]

    async with running(config, campaign, publish=published, clock=clock) as pacers:
        await wait_for(lambda: len(sink.handler.received) == 5)
        sent = {r.rcpt: r for r in sink.handler.received}
        forged = sent["forger@ok.com"].message
        forged.replace_header("Message-ID", forged["Message-ID"].replace("pv.", "pv.9"))
        answer = reply_to(sent["replier@ok.com"].message, Message_ID="<r-1@mail.ok.com>")
        await _deliver(
            reply_mx[0],
            "replies@pivotal.test",
            [
                answer,
                answer,  # the same reply twice (a redelivery) counts once
                reply_to(sent["away@ok.com"].message, Auto_Submitted="auto-replied"),
                reply_to(forged),
            ],
        )
        angry = sent["angry@ok.com"]
        await _deliver(
            bounce_mx[0],
            "fbl@pivotal.test",
            [arf_complaint(angry.message, mail_from=angry.mail_from)],
        )
        expected = ["auto_reply", "complaint", "reply"]
        await wait_for(lambda: _event_kinds_are(sessions, expected))
        # Events written outside the pacer's own sends reach its live statistics.
        await wait_for(
            lambda: (
                pacers.campaign_snapshot(campaign)["events"]
                == {"reply": 1, "auto_reply": 1, "complaint": 1}
            )
        )
        await wait_for(lambda: any(e.get("events", {}).get("reply") for e in published))

        shift[0] = timedelta(days=1, minutes=1)
        await wait_for(lambda: len(sink.handler.received) == 8)
        await wait_for(lambda: _none_queued(sessions, campaign))

    seconds = sorted(r.rcpt for r in sink.handler.received[5:])
    assert seconds == ["away@ok.com", "forger@ok.com", "silent@ok.com"]
    assert await _event_kinds(sessions) == ["auto_reply", "complaint", "reply"]
    async with sessions() as session:
        suppressed = (
            await session.execute(select(Suppression.value, Suppression.consent_basis))
        ).all()
    assert suppressed == [("angry@ok.com", "complaint")]
    assert len(list((reply_mx[1] / ".Processed" / "new").iterdir())) == 4


async def _event_kinds_are(sessions: async_sessionmaker[AsyncSession], kinds: list[str]) -> bool:
    return await _event_kinds(sessions) == kinds


async def _none_queued(sessions: async_sessionmaker[AsyncSession], campaign: int) -> bool:
    async with sessions() as session:
        query = select(EmailMessage.id).where(
            EmailMessage.campaign_id == campaign, EmailMessage.status.in_(("queued", "sending"))
        )
        return not (await session.scalars(query)).first()
