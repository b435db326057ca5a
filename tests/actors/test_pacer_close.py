"""A pacer closed right after its last send records every result: closing cancels the
write-behind loop, and a flush it cancels must hand its results to the final flush (else
sent messages stay `sending` and the next start calls them `unknown`)."""

import asyncio
import sqlite3

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from store.models import EmailMessage
from tests.actors.emails import (
    Sink,
    add_sender,
    add_template,
    one_step_campaign,
    pacer_config,
    running,
    started,
)
from tests.support.waits import wait_for


async def test_closing_right_after_the_last_send_records_every_result(
    sink: Sink, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    sender = await add_sender(sessions)
    template = await add_template(sessions)
    for round_ in range(5):  # the race is a few ms wide: try it a few times
        emails = [f"c{round_}-{n}@ok.com" for n in range(20)]
        campaign = await one_step_campaign(
            sessions, emails, sender_id=sender, template_id=template, rate_per_minute=60_000
        )
        config = pacer_config(database_url, sink.port, flush_seconds=0.001)
        async with running(config, campaign):
            expected = 20 * (round_ + 1)
            await wait_for(lambda: len(sink.handler.received) == expected)  # noqa: B023
        async with sessions() as session:
            query = select(EmailMessage.status).where(EmailMessage.campaign_id == campaign)
            statuses = list(await session.scalars(query))
        assert statuses == ["sent"] * 20, round_


async def test_closing_while_a_write_waits_for_the_database_leaves_it_unlocked(
    sink: Sink, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's file lock")
    emails = [f"w-{n}@ok.com" for n in range(20)]
    campaign = await one_step_campaign(sessions, emails, rate_per_minute=60_000)
    pacers = await started(pacer_config(database_url, sink.port, flush_seconds=0.001))
    await pacers.start_campaign(campaign)
    await wait_for(lambda: len(sink.handler.received) == 20)
    path = database_url.split("///", 1)[1]
    blocker = sqlite3.connect(path, timeout=30, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # the pacer's next writes wait for this lock
    closing = asyncio.get_running_loop().create_task(pacers.close())
    await asyncio.sleep(0.5)
    blocker.execute("ROLLBACK")
    blocker.close()
    await closing
    probe = sqlite3.connect(path, timeout=2, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")  # "database is locked" if a write was left open
        probe.execute("ROLLBACK")
    finally:
        probe.close()
    async with sessions() as session:
        query = select(EmailMessage.status).where(EmailMessage.campaign_id == campaign)
        assert list(await session.scalars(query)) == ["sent"] * 20
