"""A running email campaign completes by itself once nothing is left to send (no message
queued or sending, no later step still due), says so once on the stream, and stays
completed across a restart; its live counts follow the database."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.pacer import Pacers
from store import email as store
from store.email_recovery import resolve_unknown
from store.models import Campaign, EmailMessage
from tests.actors.emails import (
    Sink,
    add_sender,
    one_step_campaign,
    pacer_config,
    running,
    two_step_campaign,
)
from tests.support.waits import wait_for

FAST = 60_000.0


class Recorded:
    """The pacers' stream events."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    async def __call__(self, events: list[dict[str, Any]]) -> None:
        self.events.extend(events)

    def ended(self) -> list[dict[str, Any]]:
        return [e for e in self.events if e["type"] == "email_campaign.ended"]


async def _status(sessions: async_sessionmaker[AsyncSession], campaign: int) -> str:
    async with sessions() as session:
        return str(await session.scalar(select(Campaign.status).where(Campaign.id == campaign)))


async def _settled(sessions: async_sessionmaker[AsyncSession], campaign: int) -> bool:
    async with sessions() as session:
        query = select(EmailMessage.status).where(EmailMessage.campaign_id == campaign)
        statuses = set(await session.scalars(query))
    return bool(statuses) and not statuses & {"queued", "sending"}


async def _message(sessions: async_sessionmaker[AsyncSession], email: str, step: int) -> int:
    async with sessions() as session:
        query = select(EmailMessage.id).where(
            EmailMessage.to_email == email, EmailMessage.step == step
        )
        return int(await session.scalar(query) or 0)


def _counts(pacers: Pacers, campaign: int) -> tuple[int, int, int]:
    snapshot = pacers.campaign_snapshot(campaign)
    return snapshot["sent"], snapshot["queued"], snapshot["excluded"]


async def _reply(sessions: async_sessionmaker[AsyncSession], message: int) -> None:
    """The contact answered `message` (as an inbound mail read by any process would say)."""
    event = store.DeliveryEvent(message, "reply", "mail", f"r-{message}", {})
    async with sessions() as session, session.begin():
        await store.apply_delivery_events(session, [event])


async def test_a_one_step_campaign_completes_by_itself_once_and_stays_completed(
    sink: Sink, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    emails = ["a@ok.com", "b@ok.com", "gone@ok.com"]
    campaign = await one_step_campaign(sessions, emails, rate_per_minute=FAST)
    sink.handler.reject.add("gone@ok.com")
    config = pacer_config(database_url, sink.port)
    published = Recorded()
    async with running(config, campaign, publish=published) as pacers:
        await wait_for(lambda: published.ended())
        await asyncio.sleep(0.5)  # several follow-up ticks: the end is told once
        assert campaign not in pacers.runs
        # still listed, completed, with its final counts (the pacing monitor shows it)
        [listed] = pacers.campaigns_snapshot()
        assert listed == pacers.campaign_snapshot(campaign)
        assert listed["status"] == "completed"
        assert (listed["sent"], listed["bounced"], listed["queued"]) == (2, 1, 0)
    assert published.ended() == [
        {
            "type": "email_campaign.ended",
            "id": campaign,
            "status": "completed",
            "message": "Email campaign finished: 2 sent, 1 bounced.",
            "link": f"#/campaigns/email/{campaign}",
        }
    ]
    last = [e for e in published.events if e["type"] == "email_campaign"][-1]
    assert last["status"] == "completed" and last["sent"] == 2
    assert await _status(sessions, campaign) == "completed"

    async with running(config, publish=Recorded()) as restarted:
        await asyncio.sleep(0.3)
        assert restarted.runs == {}  # not resurrected, but listed as it ended
        [listed] = restarted.campaigns_snapshot()
        assert (listed["status"], listed["sent"], listed["bounced"]) == ("completed", 2, 1)
    assert await _status(sessions, campaign) == "completed"
    assert sink.handler.recipients() == {"a@ok.com": 1, "b@ok.com": 1}


async def test_a_sequence_runs_until_its_last_step_is_sent_or_stopped_by_replies(
    sink: Sink, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    campaign = await two_step_campaign(sessions, ["a@ok.com", "b@ok.com"], 2, rate_per_minute=FAST)
    config = pacer_config(database_url, sink.port)
    shift = [timedelta(0)]

    def clock() -> datetime:
        return datetime.now(UTC) + shift[0]

    published = Recorded()
    async with running(config, campaign, publish=published, clock=clock) as pacers:
        await wait_for(lambda: _settled(sessions, campaign))
        await asyncio.sleep(0.5)  # several follow-up ticks: step 2 is still to come
        assert campaign in pacers.runs and not published.ended()
    assert await _status(sessions, campaign) == "running"

    async with running(config, publish=published, clock=clock) as restarted:
        await asyncio.sleep(0.5)
        assert campaign in restarted.runs and not published.ended()  # not completed early
        await _reply(sessions, await _message(sessions, "b@ok.com", 1))
        shift[0] = timedelta(days=2, minutes=1)  # step 2 comes due: only a gets it
        await wait_for(lambda: published.ended())
    assert [e["message"] for e in published.ended()] == [
        "Email campaign finished: 3 sent, 0 bounced."
    ]
    assert sink.handler.recipients() == {"a@ok.com": 2, "b@ok.com": 1}
    assert await _status(sessions, campaign) == "completed"


async def test_a_paused_campaign_does_not_complete_until_it_runs_again(
    sink: Sink, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    campaign = await one_step_campaign(sessions, ["a@ok.com", "b@ok.com"], rate_per_minute=FAST)
    # A pacer whose next completion check is an hour away sends everything, then pauses.
    slow = pacer_config(database_url, sink.port, followup_seconds=3600)
    async with running(slow, publish=Recorded()) as first:
        await asyncio.sleep(0.1)  # its first check has passed
        await first.start_campaign(campaign)
        await wait_for(lambda: _settled(sessions, campaign))
        await first.set_campaign_status(campaign, "paused")

    published = Recorded()
    async with running(pacer_config(database_url, sink.port), publish=published) as pacers:
        await asyncio.sleep(0.5)  # several checks: nothing to send, but paused
        assert pacers.campaign_snapshot(campaign)["status"] == "paused"
        assert not published.ended() and await _status(sessions, campaign) == "paused"
        await pacers.set_campaign_status(campaign, "running")
        await wait_for(lambda: published.ended())
    assert await _status(sessions, campaign) == "completed"
    assert len(published.ended()) == 1


async def test_live_counts_follow_rows_changed_outside_the_pacer(
    sink: Sink, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Step 2 waits for tomorrow (the sender's daily cap is spent); a reply excludes one
    of its messages in the database: the snapshot's counts follow within a tick."""
    sender = await add_sender(sessions, daily_cap=2)
    campaign = await two_step_campaign(
        sessions, ["a@ok.com", "b@ok.com"], 1 / 86400, sender_id=sender, rate_per_minute=FAST
    )
    config = pacer_config(database_url, sink.port)
    async with running(config, campaign, publish=Recorded()) as pacers:
        # step 2 queued, held by the cap
        await wait_for(lambda: _counts(pacers, campaign) == (2, 2, 0))
        await _reply(sessions, await _message(sessions, "b@ok.com", 1))
        await wait_for(lambda: _counts(pacers, campaign) == (2, 1, 1), within=3)
        assert pacers.campaign_snapshot(campaign)["status"] == "running"
    assert len(sink.handler.received) == 2


async def test_unknown_messages_keep_a_campaign_running_until_an_operator_decides(
    sink: Sink, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """A resend must still be able to leave: the campaign waits for the decision."""
    emails = ["a@ok.com", "b@ok.com", "lost@ok.com"]
    campaign = await one_step_campaign(sessions, emails, rate_per_minute=120)
    published = Recorded()
    config = pacer_config(database_url, sink.port)
    async with running(config, campaign, publish=published) as pacers:
        lost = await _message(sessions, "lost@ok.com", 1)
        async with sessions() as session, session.begin():  # as a crash leaves it
            row = await session.get(EmailMessage, lost)
            assert row is not None and row.status == "queued"
            row.status = "unknown"
        await wait_for(lambda: len(sink.handler.received) == 2)
        await asyncio.sleep(0.5)  # several follow-up ticks
        assert await _status(sessions, campaign) == "running" and not published.ended()
        async with sessions() as session, session.begin():
            loaded = await store.load_campaign(session, campaign)
            await resolve_unknown(
                session, loaded, ids=None, action="mark_sent", now=datetime.now(UTC)
            )
        await pacers.unknown_resolved(campaign)
        await wait_for(lambda: published.ended())
    assert await _status(sessions, campaign) == "completed"
    assert len(sink.handler.received) == 2  # marked sent, never sent
