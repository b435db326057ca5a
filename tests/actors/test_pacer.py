"""Send pacers against a real SMTP server (aiosmtpd): headers, guard, unsubscribes, exactly
one message per (campaign, step, contact) across a crash, pacing, retries and bounces."""

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.credentials import seal
from engine.email import verify
from store import email as store
from store.models import Contact, EmailEvent, EmailMessage, Suppression
from tests.actors.emails import (
    POSTAL,
    Sink,
    SinkHandler,
    add_contacts,
    add_sender,
    add_template,
    one_step_campaign,
    one_step_campaign_to,
    pacer_config,
    running,
    started,
    two_step_campaign,
)
from tests.support.server import free_port
from tests.support.waits import wait_for

FAST = 60_000.0  # messages per minute: as fast as the sink takes them


async def _rows(sessions: async_sessionmaker[AsyncSession], campaign: int) -> list[EmailMessage]:
    async with sessions() as session:
        query = select(EmailMessage).where(EmailMessage.campaign_id == campaign)
        return list(await session.scalars(query.order_by(EmailMessage.contact_id)))


async def _statuses(sessions: async_sessionmaker[AsyncSession], campaign: int) -> Counter[str]:
    return Counter(r.status for r in await _rows(sessions, campaign))


async def test_a_sent_message_carries_the_compliance_headers_and_footer(
    sink: Sink, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    emails = ["ann@example.com", "bob@example.org"]
    campaign = await one_step_campaign(sessions, emails, rate_per_minute=FAST)
    async with running(pacer_config(database_url, sink.port), campaign):
        await wait_for(lambda: len(sink.handler.received) == 2)
        await wait_for(lambda: _all_settled(sessions, campaign))
    rows = {r.to_email: r for r in await _rows(sessions, campaign)}
    for received in sink.handler.received:
        message = received.message
        row = rows[received.rcpt]
        assert row.status == "sent" and row.sent_at is not None
        assert message["Message-ID"] == row.message_id
        assert message["Subject"] == "Hello N0" if received.rcpt.startswith("ann") else True
        # RFC 8058: an HTTPS URI in List-Unsubscribe and the one-click POST header.
        links = [part.strip(" <>") for part in message["List-Unsubscribe"].split(",")]
        https = next(link for link in links if link.startswith("https://pivotal.test/u/"))
        assert any(link.startswith("mailto:unsubscribe@pivotal.test?subject=") for link in links)
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        token = verify("t" * 40, https.rsplit("/", 1)[1], "u")
        assert token == {"p": "u", "m": row.id, "e": received.rcpt}
        assert message["From"] == "Pivotal Sales <sales@pivotal.test>"
        assert message["Reply-To"] == "replies@pivotal.test"
        text, html = (p.get_payload(decode=True).decode() for p in message.get_payload())
        assert POSTAL in text and POSTAL in html
        assert "Acme &amp; Co" in html and "{{" not in html + text
        assert "https://pivotal.test/t/c/" in html and "https://example.com/offer" not in html
        assert https in text


async def _all_settled(sessions: async_sessionmaker[AsyncSession], campaign: int) -> bool:
    statuses = await _statuses(sessions, campaign)
    return bool(statuses) and not statuses.keys() & {"queued", "sending"}


async def test_the_guard_excludes_every_kind_of_bad_address_with_its_reason(
    sink: Sink, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    sender = await add_sender(sessions)
    template = await add_template(sessions)
    good = await add_contacts(sessions, ["good@ok.com"])
    kinds = {
        "unsubscribed": {"email_status": "unsubscribed"},
        "bounced": {"email_status": "bounced"},
        "complained": {"email_status": "complained"},
        "invalid": {"email_verification_status": "invalid"},
    }
    ids = {}
    for reason, fields in kinds.items():
        ids[reason] = (await add_contacts(sessions, [f"{reason}@ok.com"], **fields))[0]
    ids["suppressed_email"] = (await add_contacts(sessions, ["blocked@ok.com"]))[0]
    ids["suppressed_domain"] = (await add_contacts(sessions, ["x@mail.blocked.com"]))[0]
    ids["frequency_cap"] = (await add_contacts(sessions, ["busy@ok.com"]))[0]
    async with sessions() as session, session.begin():
        session.add(Suppression(kind="email", value="blocked@ok.com", source="test"))
        session.add(Suppression(kind="domain", value="blocked.com", source="test"))
    earlier = await one_step_campaign_to(
        sessions, [ids["frequency_cap"]], sender_id=sender, template_id=template
    )
    async with sessions() as session, session.begin():
        for step in (1, 2):
            session.add(
                EmailMessage(
                    campaign_id=earlier,
                    step=step,
                    contact_id=ids["frequency_cap"],
                    to_email="busy@ok.com",
                    status="sent",
                    sent_at=datetime.now(UTC) - timedelta(days=1),
                )
            )
    campaign = await one_step_campaign_to(
        sessions,
        good + list(ids.values()),
        sender_id=sender,
        template_id=template,
        rate_per_minute=FAST,
        frequency_cap={"max": 2, "days": 7},
    )
    async with sessions() as session:
        loaded = await store.load_campaign(session, campaign)
        preview = await store.preflight(session, loaded, now=datetime.now(UTC))
    assert preview.sendable == 1
    assert preview.excluded == dict.fromkeys(ids, 1)

    async with running(pacer_config(database_url, sink.port), campaign):
        await wait_for(lambda: _all_settled(sessions, campaign))
    assert list(sink.handler.recipients()) == ["good@ok.com"]
    reasons = {r.contact_id: r.error for r in await _rows(sessions, campaign) if r.error}
    assert reasons == {contact: reason for reason, contact in ids.items()}


async def test_an_address_unsubscribed_mid_campaign_is_never_mailed(
    sink: Sink, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    emails = [f"p{n}@ok.com" for n in range(8)]
    campaign = await one_step_campaign(sessions, emails, rate_per_minute=300)
    async with running(pacer_config(database_url, sink.port), campaign) as pacers:
        await wait_for(lambda: len(sink.handler.received) >= 1)
        # One through the database only (e.g. another API process), one told to the pacer.
        async with sessions() as session, session.begin():
            await store.unsubscribe(session, message_id=None, email="p7@ok.com", source="test")
            await store.unsubscribe(session, message_id=None, email="p6@ok.com", source="test")
        pacers.suppress_emails(["p6@ok.com"])
        await wait_for(lambda: _all_settled(sessions, campaign))
    received = sink.handler.recipients()
    assert "p7@ok.com" not in received and "p6@ok.com" not in received
    assert set(received) == set(emails[:6])
    async with sessions() as session:
        contact = await session.scalar(select(Contact).where(Contact.email == "p7@ok.com"))
    assert contact is not None and contact.email_status == "unsubscribed"


async def test_a_killed_pacer_resumes_with_no_duplicate_and_no_lost_message(
    sink: Sink, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    emails = [f"k{n}@ok.com" for n in range(60)]
    campaign = await one_step_campaign(sessions, emails, rate_per_minute=1200)
    config = pacer_config(database_url, sink.port, connections=2)
    first = await started(config)
    await first.start_campaign(campaign)
    await wait_for(lambda: len(sink.handler.received) >= 15)
    await first.abort()  # as a killed process: nothing flushed, rows left as they were

    second = await started(config)
    try:
        assert second.recovered <= 2 * config.connections
        await wait_for(lambda: _all_settled(sessions, campaign), within=30)
    finally:
        await second.close()
    received = sink.handler.recipients()
    assert max(received.values()) == 1  # never two mails to one contact
    rows = await _rows(sessions, campaign)
    statuses = Counter(r.status for r in rows)
    assert statuses.keys() <= {"sent", "unknown"}
    assert statuses["unknown"] == second.recovered
    sent = {r.to_email for r in rows if r.status == "sent"}
    unknown = {r.to_email for r in rows if r.status == "unknown"}
    assert sent <= set(received)  # every row marked sent was received ...
    assert set(received) <= sent | unknown  # ... and nothing else was
    assert len(sent) + len(unknown) == len(emails)


async def test_pacing_follows_the_rate_which_changes_live_and_pauses(
    sink: Sink, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    emails = [f"r{n}@ok.com" for n in range(60)]
    campaign = await one_step_campaign(sessions, emails, rate_per_minute=600)
    async with running(pacer_config(database_url, sink.port), campaign) as pacers:
        await wait_for(lambda: len(sink.handler.received) >= 21)
        times = [r.at for r in sink.handler.received[:21]]
        assert 1.7 < times[-1] - times[0] < 3.0  # 20 intervals of 0.1 s

        await pacers.set_campaign_status(campaign, "paused")
        paused_at = len(sink.handler.received)
        await wait_for(lambda: pacers.campaign_snapshot(campaign)["status"] == "paused")
        await asyncio.sleep(0.5)
        assert len(sink.handler.received) <= paused_at + 2 * 3  # only those already in flight
        snap = await pacers.set_rate(campaign, 1200)
        assert snap["rate_per_minute"] == 1200
        await pacers.set_campaign_status(campaign, "running")
        start = len(sink.handler.received)
        await wait_for(lambda: len(sink.handler.received) >= start + 11)
        times = [r.at for r in sink.handler.received[start : start + 11]]
        assert 0.35 < times[-1] - times[0] < 1.0  # 10 intervals of 0.05 s
    async with sessions() as session:
        loaded = await store.load_campaign(session, campaign)
    assert loaded.plan.rate_per_minute == 1200  # a restart keeps the new rate


async def test_4xx_is_retried_with_backoff_and_5xx_marks_the_address_bounced(
    sink: Sink, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    emails = ["later@ok.com", "gone@ok.com", "fine@ok.com"]
    campaign = await one_step_campaign(sessions, emails, rate_per_minute=FAST)
    sink.handler.defer["later@ok.com"] = 2
    sink.handler.reject.add("gone@ok.com")
    async with running(pacer_config(database_url, sink.port), campaign) as pacers:
        await wait_for(lambda: _all_settled(sessions, campaign))
        snapshot = pacers.campaign_snapshot(campaign)
    assert sink.handler.recipients() == Counter({"later@ok.com": 1, "fine@ok.com": 1})
    rows = {r.to_email: r for r in await _rows(sessions, campaign)}
    assert rows["later@ok.com"].status == "sent" and rows["later@ok.com"].attempts == 3
    assert rows["gone@ok.com"].status == "bounced"
    assert rows["gone@ok.com"].error is not None and rows["gone@ok.com"].error.startswith("550")
    assert snapshot["bounced"] == 1 and snapshot["retried"] == 2
    async with sessions() as session:
        gone = await session.scalar(select(Contact).where(Contact.email == "gone@ok.com"))
        events = list(await session.scalars(select(EmailEvent.kind)))
    assert gone is not None and gone.email_status == "bounced"
    assert events == ["bounce"]


async def test_step_two_follows_after_its_delay_except_for_contacts_who_replied(
    sink: Sink, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    emails = ["a@ok.com", "b@ok.com", "c@ok.com"]
    campaign = await two_step_campaign(sessions, emails, 1 / 86400, rate_per_minute=FAST)
    async with running(pacer_config(database_url, sink.port, followup_seconds=0.5), campaign):
        await wait_for(lambda: len(sink.handler.received) == 3)
        async with sessions() as session, session.begin():
            replied = await session.scalar(
                select(EmailMessage.id).where(EmailMessage.to_email == "b@ok.com")
            )
            assert replied is not None
            session.add(EmailEvent(message_id=replied, kind="reply"))
        await wait_for(lambda: len(sink.handler.received) == 5)
        await asyncio.sleep(1.0)
    seconds = [(r.rcpt, r.message["Subject"]) for r in sink.handler.received[3:]]
    assert sorted(seconds) == [("a@ok.com", "Second"), ("c@ok.com", "Second")]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # a local test
async def test_the_pacer_logs_in_to_its_relay_with_the_password_stored_sealed(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    logins: list[tuple[str, str]] = []

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth: Any) -> Any:
        logins.append((auth.login.decode(), auth.password.decode()))
        return AuthResult(success=auth.password == b"relay-secret")

    handler = SinkHandler()
    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticate,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    config = pacer_config(database_url, port)
    sealed = seal(config.secret_key, "relay-secret")
    sender = await add_sender(
        sessions, smtp_port=port, smtp_username="relay-user", smtp_password=sealed
    )
    campaign = await one_step_campaign(
        sessions, ["auth@ok.com"], sender_id=sender, rate_per_minute=FAST
    )
    try:
        async with running(config, campaign):
            await wait_for(lambda: len(handler.received) == 1)
    finally:
        controller.stop()
    assert logins == [("relay-user", "relay-secret")]


async def test_the_snapshot_names_the_recipient_domains_held_back_by_their_limit(
    sink: Sink, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    emails = [f"p{n}@slow.com" for n in range(3)] + ["a@ok.com"]
    campaign = await one_step_campaign(
        sessions, emails, rate_per_minute=FAST, domain_limits={"slow.com": 1}
    )
    async with running(pacer_config(database_url, sink.port), campaign) as pacers:
        await wait_for(lambda: sink.handler.recipients()["a@ok.com"] == 1)
        await wait_for(lambda: pacers.campaign_snapshot(campaign)["throttled_domains"])
        snapshot = pacers.campaign_snapshot(campaign)
    assert snapshot["throttled_domains"] == ["slow.com"]
    assert snapshot["domain_limits"] == {"slow.com": 1}
    assert sum(sink.handler.recipients()[f"p{n}@slow.com"] for n in range(3)) == 1
