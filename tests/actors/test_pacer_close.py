"""A pacer closed right after its last send records every result: closing cancels the
write-behind loop, and a flush it cancels must hand its results to the final flush (else
sent messages stay `sending` and the next start calls them `unknown`)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from store.models import EmailMessage
from tests.actors.emails import (
    Sink,
    add_contacts,
    add_email_campaign,
    add_sender,
    add_template,
    pacer_config,
    started,
    wait_for,
)


async def test_closing_right_after_the_last_send_records_every_result(
    sink: Sink, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    sender = await add_sender(sessions)
    template = await add_template(sessions)
    for round_ in range(5):  # the race is a few ms wide: try it a few times
        emails = [f"c{round_}-{n}@ok.com" for n in range(20)]
        contacts = await add_contacts(sessions, emails)
        campaign = await add_email_campaign(
            sessions, contacts, sender_id=sender, steps=[{"template_id": template}],
            rate_per_minute=60_000,
        )  # fmt: skip
        pacers = await started(pacer_config(database_url, sink.port, flush_seconds=0.001))
        try:
            await pacers.start_campaign(campaign)
            expected = 20 * (round_ + 1)
            await wait_for(lambda: len(sink.handler.received) == expected)  # noqa: B023
        finally:
            await pacers.close()
        async with sessions() as session:
            query = select(EmailMessage.status).where(EmailMessage.campaign_id == campaign)
            statuses = list(await session.scalars(query))
        assert statuses == ["sent"] * 20, round_
