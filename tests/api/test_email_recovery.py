"""Messages a crash left `unknown`: listed, then resent (same Message-ID, guarded again at
send) or marked sent, through the API, with the real pacers and a real SMTP server."""

import asyncio
import inspect
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.email_gateway import EmailGateway
from actors.pacer import Pacers
from engine.roles import Role
from store.models import AuditEntry, EmailMessage, Suppression
from tests.actors.emails import (
    Sink,
    add_contacts,
    add_email_campaign,
    add_sender,
    add_template,
    pacer_config,
    started,
)
from tests.conftest import Actors
from tests.support.waits import wait_for

EMAILS = ["ann@ok.com", "bob@ok.com", "cy@ok.com"]


class InProcessEmail(EmailGateway):
    """The API's port to pacers running in this process (no Ray)."""

    def __init__(self, pacers: Pacers) -> None:
        self.pacers = pacers

    async def command(self, method: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.pacers, method)(*args, **kwargs)
        return await result if inspect.isawaitable(result) else result


@pytest.fixture
async def manager(actors: Actors) -> dict[str, str]:
    return await actors.headers_for(Role.CAMPAIGN_MANAGER)


async def _rows(sessions: async_sessionmaker[AsyncSession], campaign: int) -> dict[str, Any]:
    async with sessions() as session:
        query = select(EmailMessage).where(EmailMessage.campaign_id == campaign)
        return {r.to_email: r for r in await session.scalars(query)}


async def _crashed_campaign(
    app: FastAPI,
    sessions: async_sessionmaker[AsyncSession],
    sink: Sink,
    database_url: str,
    interrupted: list[str],
) -> tuple[int, Pacers]:
    """A campaign sent to the sink, whose `interrupted` rows are left `sending` as by a
    killed pacer; new pacers start (and find them `unknown`) behind the app's gateway."""
    sender = await add_sender(sessions)
    template = await add_template(sessions)
    contacts = await add_contacts(sessions, EMAILS)
    # step 2 is a day away: the campaign still runs when the operator decides
    steps = [{"template_id": template}, {"template_id": template, "delay_days": 1}]
    campaign = await add_email_campaign(
        sessions, contacts, sender_id=sender, steps=steps, rate_per_minute=6e4
    )
    config = pacer_config(database_url, sink.port)
    first = await started(config)
    await first.start_campaign(campaign)
    await wait_for(lambda: _all_sent(sessions, campaign))
    await first.close()
    async with sessions() as session, session.begin():
        await session.execute(
            update(EmailMessage)
            .where(EmailMessage.to_email.in_(interrupted))
            .values(status="sending")
        )
    pacers = await started(config)
    assert pacers.recovered == len(interrupted)
    app.state.email = InProcessEmail(pacers)
    return campaign, pacers


async def _all_sent(sessions: async_sessionmaker[AsyncSession], campaign: int) -> bool:
    rows = await _rows(sessions, campaign)
    return len(rows) == len(EMAILS) and all(r.status == "sent" for r in rows.values())


async def test_a_resent_unknown_message_is_delivered_once_more_with_the_same_message_id(
    app: FastAPI,
    client: httpx.AsyncClient,
    manager: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
    sink: Sink,
    database_url: str,
) -> None:
    campaign, pacers = await _crashed_campaign(app, sessions, sink, database_url, ["cy@ok.com"])
    try:
        rows = await _rows(sessions, campaign)
        cy = rows["cy@ok.com"]
        listed = await client.get(f"/api/v1/email-campaigns/{campaign}/unknown", headers=manager)
        assert listed.status_code == 200, listed.text
        (item,) = listed.json()["items"]
        assert item["id"] == cy.id and item["email"] == "cy@ok.com" and item["step"] == 1
        assert item["contact_id"] == cy.contact_id and item["claimed_at"] is not None
        stats = await client.get(f"/api/v1/email-campaigns/{campaign}/stats", headers=manager)
        assert stats.json()["unknown"] == 1 and stats.json()["messages"]["unknown"] == 1
        live = await client.get("/api/v1/live/email-campaigns", headers=manager)
        assert live.json()[0]["unknown"] == 1

        sent = rows["ann@ok.com"].id
        wrong = await client.post(
            f"/api/v1/email-campaigns/{campaign}/unknown/resolve",
            json={"ids": [cy.id, sent, 999_999], "action": "resend"},
            headers=manager,
        )
        assert wrong.status_code == 422, wrong.text
        assert f"{sent}, 999999" in wrong.json()["errors"][0]["message"]
        assert (await _rows(sessions, campaign))["cy@ok.com"].status == "unknown"  # untouched
        for bad in ({"action": "resend"}, {"ids": [cy.id], "all": True, "action": "resend"}):
            response = await client.post(
                f"/api/v1/email-campaigns/{campaign}/unknown/resolve", json=bad, headers=manager
            )
            assert response.status_code == 422, bad

        resolved = await client.post(
            f"/api/v1/email-campaigns/{campaign}/unknown/resolve",
            json={"ids": [cy.id], "action": "resend"},
            headers=manager,
        )
        assert resolved.status_code == 200, resolved.text
        assert resolved.json() == {"action": "resend", "resolved": [cy.id]}
        await wait_for(lambda: sink.handler.recipients()["cy@ok.com"] == 2)
        await wait_for(lambda: _all_sent(sessions, campaign))
        await asyncio.sleep(0.3)  # nothing more arrives
    finally:
        await pacers.close()
    copies = [r.message for r in sink.handler.received if r.rcpt == "cy@ok.com"]
    assert len(copies) == 2 and copies[0]["Message-ID"] == copies[1]["Message-ID"]
    assert (await _rows(sessions, campaign))["cy@ok.com"].message_id == copies[0]["Message-ID"]
    assert sink.handler.recipients() == {e: 1 for e in EMAILS} | {"cy@ok.com": 2}
    assert pacers.campaign_snapshot(campaign)["unknown"] == 0
    async with sessions() as session:
        entry = await session.scalar(
            select(AuditEntry).where(AuditEntry.action == "email_campaign.unknown_resolve")
        )
    assert entry is not None and entry.data == {"action": "resend", "messages": [cy.id]}


async def test_mark_sent_never_sends_and_a_suppressed_address_is_not_resent(
    app: FastAPI,
    client: httpx.AsyncClient,
    manager: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
    sink: Sink,
    database_url: str,
    actors: Actors,
) -> None:
    campaign, pacers = await _crashed_campaign(
        app, sessions, sink, database_url, ["bob@ok.com", "cy@ok.com"]
    )
    try:
        rows = await _rows(sessions, campaign)
        agent = await actors.headers_for(Role.AGENT)
        forbidden = await client.post(
            f"/api/v1/email-campaigns/{campaign}/unknown/resolve",
            json={"all": True, "action": "mark_sent"},
            headers=agent,
        )
        assert forbidden.status_code == 403
        async with sessions() as session, session.begin():
            session.add(Suppression(kind="email", value="cy@ok.com", source="test"))
        resend = await client.post(
            f"/api/v1/email-campaigns/{campaign}/unknown/resolve",
            json={"ids": [rows["cy@ok.com"].id], "action": "resend"},
            headers=manager,
        )
        assert resend.status_code == 200, resend.text
        await wait_for(lambda: _status_of(sessions, campaign, "cy@ok.com", "excluded"), within=10)
        marked = await client.post(
            f"/api/v1/email-campaigns/{campaign}/unknown/resolve",
            json={"all": True, "action": "mark_sent"},
            headers=manager,
        )
        assert marked.json() == {"action": "mark_sent", "resolved": [rows["bob@ok.com"].id]}
        await asyncio.sleep(0.3)
        await pacers.set_campaign_status(campaign, "completed")
        too_late = await client.post(
            f"/api/v1/email-campaigns/{campaign}/unknown/resolve",
            json={"all": True, "action": "resend"},
            headers=manager,
        )
        assert too_late.status_code == 409, too_late.text
    finally:
        await pacers.close()
    after = await _rows(sessions, campaign)
    assert after["bob@ok.com"].status == "sent" and after["bob@ok.com"].sent_at is not None
    assert after["cy@ok.com"].error == "suppressed_email"
    assert sink.handler.recipients() == {e: 1 for e in EMAILS}  # nothing sent twice
    listed = await client.get(f"/api/v1/email-campaigns/{campaign}/unknown", headers=manager)
    assert listed.json()["items"] == []
    stats = await client.get(f"/api/v1/email-campaigns/{campaign}/stats", headers=manager)
    assert stats.json()["excluded_by_reason"] == {"suppressed_email": 1}


async def _status_of(
    sessions: async_sessionmaker[AsyncSession], campaign: int, email: str, status: str
) -> bool:
    return bool((await _rows(sessions, campaign))[email].status == status)
