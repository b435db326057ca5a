"""Stopping an email campaign: what is with a relay finishes and is counted; what is still
queued is never sent, and the counts and the end notice say so."""

from collections import Counter

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from store.models import EmailMessage
from tests.actors.emails import Sink, one_step_campaign, pacer_config, running
from tests.support.published import Published
from tests.support.waits import wait_for

EMAILS = [f"s{n}@ok.com" for n in range(30)]


async def test_a_stop_leaves_the_queued_messages_unsent_and_says_how_many(
    sink: Sink, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    campaign = await one_step_campaign(sessions, EMAILS, rate_per_minute=600)  # 10/s
    published = Published()

    config = pacer_config(database_url, sink.port)
    async with running(config, campaign, publish=published) as pacers:
        await wait_for(lambda: len(sink.handler.received) >= 3)
        snapshot = await pacers.set_campaign_status(campaign, "completed")
        await wait_for(lambda: published.of("email_campaign.ended"))
        received = len(sink.handler.received)
        unsent = len(EMAILS) - received
        assert snapshot["sent"] == received and snapshot["queued"] == 0
        assert snapshot["excluded"] == unsent > 0
    async with sessions() as session:
        query = select(EmailMessage.status, EmailMessage.error).where(
            EmailMessage.campaign_id == campaign
        )
        rows = Counter(tuple(r) for r in await session.execute(query))
    assert rows == {("sent", None): received, ("excluded", "campaign_stopped"): unsent}
    assert len(sink.handler.received) == received  # nothing left after the stop
    [ended] = published.of("email_campaign.ended")
    assert ended["message"] == (
        f"Email campaign stopped: {received} sent, 0 bounced, {unsent} not sent (stopped)."
    )
    async with running(config) as restarted:  # still listed, with its final counts
        [listed] = restarted.campaigns_snapshot()
    final = {k: snapshot[k] for k in ("campaign_id", "status", "sent", "queued", "excluded")}
    assert {k: listed[k] for k in final} == final
