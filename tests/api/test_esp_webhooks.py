"""ESP event webhooks: the test plays Amazon SES (through a local SNS emulator on HTTPS),
SendGrid and Mailgun, signing with keys it makes; forged and replayed events change nothing."""

import base64
import datetime as dt
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator
from email import message_from_string
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from config.settings import Settings
from engine.email import message_id_header
from engine.roles import Role
from store.models import Contact, EmailEvent, EmailMessage, WebhookEvent
from tests.actors.emails import add_contacts, add_email_campaign, add_sender, add_template
from tests.conftest import Actors, settings_for
from tests.support.bounces import postfix_dsn
from tests.support.sns_emulator import TOPIC, SnsEmulator, sns_emulator

SECRET = "t" * 40
SENDGRID = ec.generate_private_key(ec.SECP256R1())
SENDGRID_PUBLIC = base64.b64encode(
    SENDGRID.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
).decode()
MAILGUN_KEY = "key-" + "m" * 32


@pytest.fixture
async def sns(tmp_path: Path) -> AsyncIterator[SnsEmulator]:
    async with sns_emulator(tmp_path) as emulator:
        yield emulator


@pytest.fixture
def settings(database_url: str, tmp_path: Path, sns: SnsEmulator) -> Settings:
    return settings_for(
        database_url,
        tmp_path,
        ses_topic_arns=[TOPIC],
        sns_extra_cert_hosts=[sns.host],
        sns_ca_file=sns.ca_file,
        sendgrid_webhook_public_key=SENDGRID_PUBLIC,
        mailgun_webhook_signing_key=MAILGUN_KEY,
    )


async def sent_messages(
    sessions: async_sessionmaker[AsyncSession], emails: list[str], status: str = "sent"
) -> tuple[int, dict[str, str]]:
    """A campaign whose messages to `emails` went out: (campaign id, email → Message-ID).
    Its step 2 is a month away, so a pacer keeps running it."""
    sender = await add_sender(sessions)
    template = await add_template(sessions)
    contacts = await add_contacts(sessions, emails)
    steps = [{"template_id": template}, {"template_id": template, "delay_days": 30}]
    campaign = await add_email_campaign(sessions, contacts, sender_id=sender, steps=steps)
    headers = {}
    async with sessions() as session, session.begin():
        for email, contact in zip(emails, contacts, strict=True):
            row = EmailMessage(
                campaign_id=campaign, step=1, contact_id=contact, to_email=email, status=status
            )
            session.add(row)
            await session.flush()
            row.message_id = message_id_header(SECRET, row.id, "pivotal.test")
            headers[email] = row.message_id
    return campaign, headers


async def state(sessions: async_sessionmaker[AsyncSession]) -> dict[str, Any]:
    """Everything a webhook may change."""
    async with sessions() as session:
        messages = (await session.execute(select(EmailMessage.to_email, EmailMessage.status))).all()
        contacts = (await session.execute(select(Contact.email, Contact.email_status))).all()
        events = (await session.execute(select(EmailEvent.message_id, EmailEvent.kind))).all()
        stored = (await session.execute(select(WebhookEvent.provider, WebhookEvent.event_id))).all()
    return {
        "messages": dict(messages),
        "contacts": dict(contacts),
        "events": sorted(events),
        "stored": sorted(stored),
    }


def assert_refused(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.json()["code"] == "invalid_signature"


def ses(kind: str, message_id: str, **body: Any) -> dict[str, Any]:
    """An SES notification (SES's documented shape) about the message with this header."""
    mail = {
        "messageId": "0100018c-ses-id",
        "source": "sales@pivotal.test",
        "commonHeaders": {"messageId": message_id, "subject": "Hello"},
    }
    return {"notificationType": kind, "mail": mail, **body}


def bounce(email: str, kind: str = "Permanent") -> dict[str, Any]:
    return {
        "bounce": {
            "bounceType": kind,
            "bounceSubType": "General",
            "bouncedRecipients": [
                {"emailAddress": email, "status": "5.1.1", "diagnosticCode": "smtp; 550 5.1.1"}
            ],
            "feedbackId": "fb-1",
        }
    }


# --- SES through SNS -----------------------------------------------------------------------


async def test_ses_subscription_is_confirmed_once_through_the_allowed_host(
    client: httpx.AsyncClient, sns: SnsEmulator, sessions: async_sessionmaker[AsyncSession]
) -> None:
    confirmation = sns.envelope("SubscriptionConfirmation", "You have chosen to subscribe")
    response = await client.post("/api/v1/webhooks/ses", json=confirmation)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "subscribed"
    assert sns.requests[f"token:{confirmation['Token']}"] == 1
    again = await client.post("/api/v1/webhooks/ses", json=confirmation)
    assert again.json()["duplicates"] == 1
    assert sns.requests[f"token:{confirmation['Token']}"] == 1

    resigned = sns.envelope("SubscriptionConfirmation", "x")  # a valid one, then redirected:
    resigned["SubscribeURL"] = "https://attacker.example/confirm"  # the signature breaks
    assert_refused(await client.post("/api/v1/webhooks/ses", json=resigned))
    for elsewhere in ("https://attacker.example/confirm", f"http://{sns.host}/confirm"):
        signed = sns.envelope("SubscriptionConfirmation", "x", subscribe_url=elsewhere)
        assert_refused(await client.post("/api/v1/webhooks/ses", json=signed))
    assert sns.requests["/confirm"] == 1
    assert await state(sessions) == {
        "messages": {},
        "contacts": {},
        "events": [],
        "stored": [("ses", confirmation["MessageId"])],
    }


async def test_ses_bounce_complaint_and_delivery_update_messages_contacts_and_stats(
    client: httpx.AsyncClient,
    sns: SnsEmulator,
    sessions: async_sessionmaker[AsyncSession],
    actors: Actors,
) -> None:
    campaign, ids = await sent_messages(sessions, ["hard@x.com", "angry@x.com", "soft@x.com"])
    async with sessions() as session, session.begin():
        row = await session.scalar(
            select(EmailMessage).where(EmailMessage.to_email == "soft@x.com")
        )
        assert row is not None
        row.status = "unknown"  # the pacer died while sending it

    hard = sns.notification(ses("Bounce", ids["hard@x.com"], **bounce("hard@x.com")), version="1")
    complaint = sns.notification(
        ses(
            "Complaint",
            ids["angry@x.com"],
            complaint={"complainedRecipients": [{"emailAddress": "angry@x.com"}]},
        )
    )
    soft = sns.notification(ses("Bounce", ids["soft@x.com"], **bounce("soft@x.com", "Transient")))
    delivery = sns.notification(
        ses("Delivery", ids["soft@x.com"], delivery={"recipients": ["soft@x.com"]})
    )
    for envelope in (hard, complaint, soft, delivery):
        response = await client.post("/api/v1/webhooks/ses", json=envelope)
        assert response.status_code == 200, response.text
        assert response.json()["accepted"] == 1
    assert sns.requests["/SimpleNotificationService-test.pem"] == 1  # cached

    after = await state(sessions)
    assert after["messages"] == {
        "hard@x.com": "bounced",
        "angry@x.com": "sent",
        "soft@x.com": "sent",
    }
    assert after["contacts"] == {
        "hard@x.com": "bounced",
        "angry@x.com": "complained",
        "soft@x.com": "active",
    }
    replay = await client.post("/api/v1/webhooks/ses", json=hard)
    assert replay.json() == {"status": "ok", "accepted": 0, "ignored": 0, "duplicates": 1}
    assert await state(sessions) == after

    headers = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    stats = await client.get(f"/api/v1/email-campaigns/{campaign}/stats", headers=headers)
    assert stats.status_code == 200, stats.text
    assert stats.json() == {
        "messages": {"bounced": 1, "sent": 2},
        "events": {"bounce": 1, "complaint": 1, "soft_bounce": 1, "delivered": 1},
        "unknown": 0,  # the delivery moved the unknown message to sent
        "excluded_by_reason": {},
    }

    preflight = await client.post(f"/api/v1/email-campaigns/{campaign}/preflight", headers=headers)
    assert preflight.json()["excluded"] == {"bounced": 1, "complained": 1}


async def test_forged_or_replayed_sns_messages_are_refused_and_change_nothing(
    client: httpx.AsyncClient, sns: SnsEmulator, sessions: async_sessionmaker[AsyncSession]
) -> None:
    _, ids = await sent_messages(sessions, ["a@x.com"])
    note = ses("Bounce", ids["a@x.com"], **bounce("a@x.com"))
    before = await state(sessions)
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tampered = sns.notification(note)
    tampered["Message"] = tampered["Message"].replace("Permanent", "Transient")
    unsupported = sns.notification(note)
    unsupported["SignatureVersion"] = "3"
    old = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    forged = [
        sns.notification(note, key=other_key),
        tampered,
        unsupported,
        sns.notification(note, timestamp=old),
        sns.notification(note, topic="arn:aws:sns:eu-west-1:999999999999:theirs"),
        sns.notification(note, cert_url="https://attacker.example/cert.pem"),
        sns.notification(note, cert_url=f"http://{sns.host}/SimpleNotificationService-test.pem"),
        sns.notification(note, cert_url="https://sns.eu-west-1.amazonaws.com.attacker.example/c"),
    ]
    for envelope in forged:
        assert_refused(await client.post("/api/v1/webhooks/ses", json=envelope))
    assert_refused(await client.post("/api/v1/webhooks/ses", content=b"not json"))
    assert await state(sessions) == before


async def test_an_event_about_a_message_that_is_not_ours_is_stored_and_ignored(
    client: httpx.AsyncClient, sns: SnsEmulator, sessions: async_sessionmaker[AsyncSession]
) -> None:
    _, ids = await sent_messages(sessions, ["a@x.com"])
    forged_ref = ids["a@x.com"].replace("pv.", "pv.9")  # a row we never signed
    response = await client.post(
        "/api/v1/webhooks/ses",
        json=sns.notification(ses("Bounce", forged_ref, **bounce("a@x.com"))),
    )
    assert response.json()["ignored"] == 1
    after = await state(sessions)
    assert after["messages"] == {"a@x.com": "sent"} and after["events"] == []
    async with sessions() as session:
        (stored,) = (await session.scalars(select(WebhookEvent))).all()
    assert (stored.provider, stored.status) == ("ses", "ignored")


# --- SendGrid ------------------------------------------------------------------------------


def sendgrid_post(
    body: bytes, *, key: ec.EllipticCurvePrivateKey = SENDGRID, at: float | None = None
) -> dict[str, str]:
    stamp = str(int(time.time() if at is None else at))
    signature = key.sign(stamp.encode() + body, ec.ECDSA(hashes.SHA256()))
    return {
        "content-type": "application/json",
        "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
        "X-Twilio-Email-Event-Webhook-Timestamp": stamp,
    }


def sendgrid_event(kind: str, email: str, message_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "email": email,
        "timestamp": int(time.time()),
        "smtp-id": message_id,
        "event": kind,
        "sg_event_id": uuid.uuid4().hex,
        "sg_message_id": "sg.1",
        **extra,
    }


async def test_sendgrid_signed_events_apply_once_and_forgeries_change_nothing(
    client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession]
) -> None:
    _, ids = await sent_messages(sessions, ["d@x.com", "b@x.com", "s@x.com"], status="unknown")
    events = [
        sendgrid_event("delivered", "d@x.com", ids["d@x.com"], response="250 OK"),
        sendgrid_event("bounce", "b@x.com", ids["b@x.com"], type="bounce", reason="550 5.1.1"),
        sendgrid_event("delivered", "s@x.com", ids["s@x.com"]),
        sendgrid_event("spamreport", "s@x.com", ids["s@x.com"]),
        sendgrid_event("open", "s@x.com", ids["s@x.com"]),
    ]
    raw = json.dumps(events).encode()
    before = await state(sessions)
    url = "/api/v1/webhooks/sendgrid"
    forger = ec.generate_private_key(ec.SECP256R1())
    assert_refused(await client.post(url, content=raw, headers=sendgrid_post(raw, key=forger)))
    tampered = raw.replace(b'"bounce"', b'"deferred"')
    assert_refused(await client.post(url, content=tampered, headers=sendgrid_post(raw)))
    stale = sendgrid_post(raw, at=time.time() - 600)
    assert_refused(await client.post(url, content=raw, headers=stale))
    assert_refused(await client.post(url, content=raw, headers={"content-type": "x"}))
    assert await state(sessions) == before

    response = await client.post(url, content=raw, headers=sendgrid_post(raw))
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok", "accepted": 4, "ignored": 1, "duplicates": 0}
    after = await state(sessions)
    assert after["messages"] == {"d@x.com": "sent", "b@x.com": "bounced", "s@x.com": "sent"}
    assert after["contacts"]["b@x.com"] == "bounced"
    assert after["contacts"]["s@x.com"] == "complained"
    again = await client.post(url, content=raw, headers=sendgrid_post(raw))  # a redelivery
    assert again.json()["duplicates"] == 5
    assert await state(sessions) == after


# --- Mailgun -------------------------------------------------------------------------------


def mailgun_body(
    event: str,
    email: str,
    message_id: str,
    *,
    token: str | None = None,
    at: float | None = None,
    **data: Any,
) -> dict[str, Any]:
    stamp, token = str(int(time.time() if at is None else at)), token or uuid.uuid4().hex
    mac = hmac.new(MAILGUN_KEY.encode(), (stamp + token).encode(), hashlib.sha256).hexdigest()
    return {
        "signature": {"timestamp": stamp, "token": token, "signature": mac},
        "event-data": {
            "id": uuid.uuid4().hex[:22],
            "event": event,
            "recipient": email,
            "message": {"headers": {"message-id": message_id.strip("<>")}},
            **data,
        },
    }


async def test_mailgun_signed_events_apply_and_a_reused_token_is_refused(
    client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession]
) -> None:
    _, ids = await sent_messages(sessions, ["p@x.com", "t@x.com"])
    url = "/api/v1/webhooks/mailgun"
    permanent = mailgun_body(
        "failed",
        "p@x.com",
        ids["p@x.com"],
        severity="permanent",
        **{"delivery-status": {"code": 550, "message": "No such user"}},
    )
    response = await client.post(url, json=permanent)
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == 1
    after = await state(sessions)
    assert after["messages"]["p@x.com"] == "bounced"
    assert after["contacts"]["p@x.com"] == "bounced"

    token = permanent["signature"]["token"]
    replayed = mailgun_body("complained", "t@x.com", ids["t@x.com"], token=token)
    assert_refused(await client.post(url, json=replayed))
    wrong_key = mailgun_body("complained", "t@x.com", ids["t@x.com"])
    wrong_key["signature"]["signature"] = hmac.new(b"other", b"x", hashlib.sha256).hexdigest()
    assert_refused(await client.post(url, json=wrong_key))
    stale = mailgun_body("complained", "t@x.com", ids["t@x.com"], at=time.time() - 3600)
    assert_refused(await client.post(url, json=stale))
    assert_refused(await client.post(url, json={"event-data": {}}))
    assert await state(sessions) == after

    temporary = mailgun_body("failed", "t@x.com", ids["t@x.com"], severity="temporary")
    assert (await client.post(url, json=temporary)).json()["accepted"] == 1
    assert (await state(sessions))["contacts"]["t@x.com"] == "active"


# --- raw bounce mail -----------------------------------------------------------------------


async def test_a_raw_dsn_posted_by_a_manager_bounces_its_message_once(
    client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], actors: Actors
) -> None:
    _, ids = await sent_messages(sessions, ["gone@example.net"])
    original = message_from_string(
        f"From: s@pivotal.test\nTo: gone@example.net\nMessage-ID: {ids['gone@example.net']}\n\nx"
    )
    dsn = postfix_dsn(original, to="s@pivotal.test")
    url = "/api/v1/email/bounces"
    rfc822 = {"content-type": "message/rfc822"}
    agent = await actors.headers_for(Role.AGENT)
    assert (await client.post(url, content=dsn, headers=agent | rfc822)).status_code == 403
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    response = await client.post(url, content=dsn, headers=manager | rfc822)
    assert response.status_code == 200, response.text
    assert response.json()["bounce"] is True and response.json()["kind"] == "bounce"
    assert (await client.post(url, content=dsn, headers=manager)).status_code == 200  # again
    after = await state(sessions)
    assert after["messages"] == {"gone@example.net": "bounced"}
    assert after["contacts"] == {"gone@example.net": "bounced"}
    assert [kind for _, kind in after["events"]] == ["bounce"]  # counted once
    reply = b"From: gone@example.net\r\nSubject: Re: Hi\r\n\r\nThanks\r\n"
    assert (await client.post(url, content=reply, headers=manager)).json()["bounce"] is False
    empty = await client.post(url, content=b"  ", headers=manager)
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "body"
