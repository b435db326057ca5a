"""Inbound mail and provider events over HTTP: replies posted to /email/inbound stop the
contact's later steps (once per reply; forgeries and auto-replies stop nothing); a complaint
(SendGrid webhook, ARF report) suppresses the address and the next send skips it; a webhook
bounce reaches the pacer's live statistics within a bounded time."""

import asyncio
import json
import time
from email import message_from_string
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from config.settings import Settings
from engine.bounces import verp_address
from engine.email import message_row
from engine.roles import Role
from store.models import AuditEntry, Contact, EmailEvent, EmailMessage
from tests.actors.emails import Sink, one_step_campaign_to, pacer_config, running
from tests.api.test_esp_webhooks import (
    SECRET,
    SENDGRID_PUBLIC,
    sendgrid_event,
    sendgrid_post,
    sent_messages,
)
from tests.conftest import Actors, settings_for
from tests.support.bounces import arf_complaint, reply_to
from tests.support.published import Published
from tests.support.waits import wait_for

RFC822 = {"content-type": "message/rfc822"}


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return settings_for(database_url, tmp_path, sendgrid_webhook_public_key=SENDGRID_PUBLIC)


@pytest.fixture
async def manager(actors: Actors) -> dict[str, str]:
    return await actors.headers_for(Role.CAMPAIGN_MANAGER)


def _original(message_id: str, to: str) -> Any:
    return message_from_string(
        f"From: s@pivotal.test\nTo: {to}\nSubject: Hi\nMessage-ID: {message_id}\n\nx"
    )


async def _queue_step_two(sessions: async_sessionmaker[AsyncSession], campaign: int) -> None:
    """Step 2 queued for everyone (e.g. waiting for the send window)."""
    async with sessions() as session, session.begin():
        firsts = (await session.scalars(select(EmailMessage))).all()
        for m in firsts:
            session.add(
                EmailMessage(
                    campaign_id=campaign, step=2, contact_id=m.contact_id, to_email=m.to_email
                )
            )


async def _step_two(sessions: async_sessionmaker[AsyncSession]) -> dict[str, tuple[str, Any]]:
    async with sessions() as session:
        query = select(EmailMessage.to_email, EmailMessage.status, EmailMessage.error)
        rows = (await session.execute(query.where(EmailMessage.step == 2))).all()
    return {email: (status, error) for email, status, error in rows}


async def test_a_reply_posted_to_inbound_stops_the_later_steps_once(
    client: httpx.AsyncClient,
    manager: dict[str, str],
    actors: Actors,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emails = ["yes@x.com", "away@x.com", "forged@x.com"]
    campaign, ids = await sent_messages(sessions, emails)
    await _queue_step_two(sessions, campaign)
    url = "/api/v1/email/inbound"
    answer = reply_to(_original(ids["yes@x.com"], "yes@x.com"), Message_ID="<a1@x.com>")
    agent = await actors.headers_for(Role.AGENT)
    assert (await client.post(url, content=answer, headers=agent | RFC822)).status_code == 403

    for _ in range(2):  # the same reply twice counts once
        response = await client.post(url, content=answer, headers=manager | RFC822)
        assert response.status_code == 200, response.text
        replied = message_row(SECRET, ids["yes@x.com"])
        assert response.json() == {"bounce": False, "kind": "reply", "messages": [replied]}
    auto = reply_to(_original(ids["away@x.com"], "away@x.com"), X_Autoreply="yes")
    assert (await client.post(url, content=auto, headers=manager)).json()["kind"] == "auto_reply"
    forged_id = ids["forged@x.com"].replace("pv.", "pv.9")
    forged = reply_to(_original(forged_id, "forged@x.com"))
    assert (await client.post(url, content=forged, headers=manager)).json() == {
        "bounce": False,
        "kind": None,
        "messages": [],
    }
    empty = await client.post(url, content=b" ", headers=manager)
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "body"

    assert await _step_two(sessions) == {
        "yes@x.com": ("excluded", "replied"),
        "away@x.com": ("queued", None),
        "forged@x.com": ("queued", None),
    }
    async with sessions() as session:
        events = (await session.execute(select(EmailEvent.kind, EmailEvent.data))).all()
        audited = list(await session.scalars(select(AuditEntry.action)))
    assert sorted(k for k, _ in events) == ["auto_reply", "reply"]
    assert {d["from"] for _, d in events} == {"yes@x.com", "away@x.com"}
    assert audited.count("email.inbound") == 4
    stats = await client.get(f"/api/v1/email-campaigns/{campaign}/stats", headers=manager)
    assert stats.json()["events"] == {"reply": 1, "auto_reply": 1}


async def test_a_complaint_suppresses_the_address_and_the_next_send_skips_it(
    client: httpx.AsyncClient,
    manager: dict[str, str],
    sink: Sink,
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    _, ids = await sent_messages(sessions, ["angry@x.com", "fbl@x.com", "fine@x.com"])
    events = [sendgrid_event("spamreport", "angry@x.com", ids["angry@x.com"])]
    raw = json.dumps(events).encode()
    url = "/api/v1/webhooks/sendgrid"
    for _ in range(2):  # a redelivery changes nothing
        response = await client.post(url, content=raw, headers=sendgrid_post(raw))
        assert response.status_code == 200, response.text
    row = message_row(SECRET, ids["fbl@x.com"])
    assert row is not None
    report = arf_complaint(
        _original(ids["fbl@x.com"], "fbl@x.com"),
        mail_from=verp_address(SECRET, row, "bounces@pivotal.test"),
    )
    posted = await client.post("/api/v1/email/bounces", content=report, headers=manager)
    assert posted.json() == {"bounce": True, "kind": "complaint", "messages": [row]}

    listed = await client.get("/api/v1/suppressions?kind=email", headers=manager)
    assert listed.status_code == 200, listed.text
    entries = [
        (s["value"], s["client_id"], s["consent_basis"], s["source"])
        for s in listed.json()["items"]
    ]
    assert sorted(entries) == [
        ("angry@x.com", None, "complaint", "sendgrid"),
        ("fbl@x.com", None, "complaint", "arf"),
    ]

    # The suppression holds on its own: even with the contacts' status set back to
    # active (a re-import, say), a new campaign does not mail them.
    async with sessions() as session, session.begin():
        await session.execute(update(Contact).values(email_status="active"))
        contacts = list(await session.scalars(select(Contact.id).order_by(Contact.id)))
    campaign = await one_step_campaign_to(sessions, contacts, rate_per_minute=60_000)
    async with running(pacer_config(database_url, sink.port), campaign):
        await wait_for(lambda: len(sink.handler.received) == 1)
        await wait_for(lambda: _settled(sessions, campaign))
    assert [r.rcpt for r in sink.handler.received] == ["fine@x.com"]
    async with sessions() as session:
        query = select(EmailMessage.to_email, EmailMessage.status, EmailMessage.error)
        rows = (await session.execute(query.where(EmailMessage.campaign_id == campaign))).all()
    assert sorted(rows) == [
        ("angry@x.com", "excluded", "suppressed_email"),
        ("fbl@x.com", "excluded", "suppressed_email"),
        ("fine@x.com", "sent", None),
    ]


async def test_a_webhook_bounce_reaches_the_live_snapshot_and_stream_promptly(
    client: httpx.AsyncClient,
    sink: Sink,
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    campaign, ids = await sent_messages(sessions, ["gone@x.com", "open@x.com"])
    later, later_ids = await sent_messages(sessions, ["read@x.com"])  # started later
    read = message_row(SECRET, later_ids["read@x.com"])
    assert read is not None
    published = Published()
    config = pacer_config(database_url, sink.port)
    # step 1 went out already: nothing to send
    async with running(config, campaign, publish=published) as pacers:
        await _record(sessions, read, "open")  # before the counted events
        assert pacers.campaign_snapshot(campaign)["events"] == {}
        events = [sendgrid_event("bounce", "gone@x.com", ids["gone@x.com"], type="bounce")]
        raw = json.dumps(events).encode()
        posted_at = time.monotonic()
        response = await client.post(
            "/api/v1/webhooks/sendgrid", content=raw, headers=sendgrid_post(raw)
        )
        assert response.json()["accepted"] == 1
        await wait_for(lambda: pacers.campaign_snapshot(campaign)["events"] == {"bounce": 1}, 5)
        await wait_for(lambda: _streamed(published, campaign, {"bounce": 1}), 5)
        assert time.monotonic() - posted_at < 5  # stats_seconds is 0.2 in these tests

        # A campaign started later counts its events before and after the pacers' mark
        # once each.
        await _record(sessions, read, "click")
        await pacers.start_campaign(later)
        await asyncio.sleep(0.6)  # a few statistics ticks
        assert pacers.campaign_snapshot(later)["events"] == {"open": 1, "click": 1}
        assert pacers.campaign_snapshot(campaign)["events"] == {"bounce": 1}
    assert sink.handler.received == []


async def _record(sessions: async_sessionmaker[AsyncSession], message: int, kind: str) -> None:
    async with sessions() as session, session.begin():
        session.add(EmailEvent(message_id=message, kind=kind))


def _streamed(published: list[dict[str, Any]], campaign: int, events: dict[str, int]) -> bool:
    return any(
        e["type"] == "email_campaign" and e["campaign_id"] == campaign and e["events"] == events
        for e in published
    )


async def _settled(sessions: async_sessionmaker[AsyncSession], campaign: int) -> bool:
    async with sessions() as session:
        query = select(EmailMessage.status).where(EmailMessage.campaign_id == campaign)
        return not {"queued", "sending"} & set(await session.scalars(query))
