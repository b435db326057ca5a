"""The send pacer tells the live stream when an email campaign ends."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.pacer import Pacers
from tests.actors.emails import (
    Sink,
    add_contacts,
    add_email_campaign,
    add_sender,
    add_template,
    pacer_config,
)
from tests.support.waits import wait_for


async def test_a_stopped_campaign_sends_its_end_once(
    sink: Sink, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    sender = await add_sender(sessions)
    template = await add_template(sessions)
    contacts = await add_contacts(sessions, ["a@ok.com", "b@ok.com"])
    # step 2 is a day away: the campaign runs until it is stopped
    steps = [{"template_id": template}, {"template_id": template, "delay_days": 1}]
    campaign = await add_email_campaign(sessions, contacts, sender_id=sender, steps=steps)
    published: list[dict[str, Any]] = []

    async def publish(events: list[dict[str, Any]]) -> None:
        published.extend(events)

    pacers = Pacers(pacer_config(database_url, sink.port), publish=publish)
    await pacers.start()
    try:
        await pacers.start_campaign(campaign)
        await wait_for(lambda: len(sink.handler.received) == 2)
        await wait_for(lambda: any(e["type"] == "email_campaign" for e in published))
        assert not [e for e in published if e["type"] == "email_campaign.ended"]
        await pacers.set_campaign_status(campaign, "completed")
        await wait_for(lambda: any(e["type"] == "email_campaign.ended" for e in published))
    finally:
        await pacers.close()
    [ended] = [e for e in published if e["type"] == "email_campaign.ended"]
    assert ended == {
        "type": "email_campaign.ended",
        "id": campaign,
        "status": "completed",
        "message": "Email campaign stopped: 2 sent, 0 bounced.",
        "link": f"#/campaigns/email/{campaign}",
    }
