"""The send pacer tells the live stream when an email campaign ends."""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.actors.emails import Sink, pacer_config, running, two_step_campaign
from tests.support.published import Published
from tests.support.waits import wait_for


async def test_a_stopped_campaign_sends_its_end_once(
    sink: Sink, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    # step 2 is a day away: the campaign runs until it is stopped
    campaign = await two_step_campaign(sessions, ["a@ok.com", "b@ok.com"], 1)
    published = Published()
    config = pacer_config(database_url, sink.port)
    async with running(config, campaign, publish=published) as pacers:
        await wait_for(lambda: len(sink.handler.received) == 2)
        await wait_for(lambda: published.of("email_campaign"))
        assert not published.of("email_campaign.ended")
        await pacers.set_campaign_status(campaign, "completed")
        await wait_for(lambda: published.of("email_campaign.ended"))
    [ended] = published.of("email_campaign.ended")
    assert ended == {
        "type": "email_campaign.ended",
        "id": campaign,
        "status": "completed",
        "message": "Email campaign stopped: 2 sent, 0 bounced.",
        "link": f"#/campaigns/email/{campaign}",
    }
