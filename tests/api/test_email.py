"""Email over HTTP: templates and preview, sender profiles (no password out), pre-flight,
signed unsubscribe links (page and RFC 8058 one-click), tracking links, pacer control."""

from collections.abc import Sequence

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.email_gateway import EmailGateway
from config.settings import Settings
from engine.credentials import unseal
from engine.email import sign
from engine.roles import Role
from store.models import Contact, EmailEvent, EmailMessage, SenderProfile, Suppression
from tests.actors.emails import add_contacts, add_email_campaign, add_sender, one_step_campaign_to
from tests.conftest import Actors

SECRET = "t" * 40  # the test settings' secret key


class RecordingEmail(EmailGateway):
    """A real gateway that remembers the addresses it was told about."""

    def __init__(self) -> None:
        self.suppressed: list[str] = []

    async def emails_suppressed(self, emails: Sequence[str]) -> None:
        self.suppressed += emails


@pytest.fixture
def gateway(app: FastAPI) -> RecordingEmail:
    app.state.email = RecordingEmail()
    return app.state.email


@pytest.fixture
async def manager(actors: Actors) -> dict[str, str]:
    return await actors.headers_for(Role.CAMPAIGN_MANAGER)


async def test_templates_are_checked_and_previewed_for_a_contact(
    client: httpx.AsyncClient, manager: dict[str, str], sessions: async_sessionmaker[AsyncSession]
) -> None:
    bad = await client.post(
        "/api/v1/email-templates",
        json={"name": "t", "subject": "{{contact.salary}}", "html": "x", "text": "x"},
        headers=manager,
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "subject"
    created = await client.post(
        "/api/v1/email-templates",
        json={
            "name": "t",
            "subject": "Hi {{contact.first_name|there}}",
            "html": "<p>{{contact.last_name}} of {{account.name}}</p>",
            "text": "{{contact.job_title|friend}}",
        },
        headers=manager,
    )
    assert created.status_code == 201, created.text
    template = created.json()["id"]
    (contact,) = await add_contacts(sessions, ["ann@ok.com"], last_name="<b>Lee</b>")
    sender = await add_sender(sessions)
    preview = await client.post(
        f"/api/v1/email-templates/{template}/preview",
        json={"contact_id": contact, "sender_profile_id": sender},
        headers=manager,
    )
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["subject"] == "Hi N0"
    assert "&lt;b&gt;Lee&lt;/b&gt; of Acme &amp; Co" in body["html"]
    assert body["text"].startswith("friend") and "1 Main Street" in body["text"]
    patched = await client.patch(
        f"/api/v1/email-templates/{template}", json={"html": "{{oops"}, headers=manager
    )
    assert patched.status_code == 422
    listed = await client.get("/api/v1/email-templates", headers=manager)
    assert [t["id"] for t in listed.json()["items"]] == [template]


async def test_agents_may_not_write_templates(client: httpx.AsyncClient, actors: Actors) -> None:
    agent = await actors.headers_for(Role.AGENT)
    assert (
        await client.post(
            "/api/v1/email-templates",
            json={"name": "t", "subject": "s", "html": "h", "text": "t"},
            headers=agent,
        )
    ).status_code == 403


async def test_sender_profiles_never_return_the_password_and_store_it_encrypted(
    client: httpx.AsyncClient,
    manager: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    created = await client.post(
        "/api/v1/sender-profiles",
        json={
            "name": "SES",
            "from_name": "Sales",
            "from_email": "Sales@Pivotal.dev",
            "postal_address": "1 Main Street, Springfield",
            "smtp_host": "email-smtp.eu-west-1.amazonaws.com",
            "smtp_port": 587,
            "smtp_tls": "starttls",
            "smtp_username": "AKIA",
            "smtp_password": "very-secret",
            "daily_cap": 1000,
            "warmup_plan": [50, 100, 200],
        },
        headers=manager,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert "smtp_password" not in body and "very-secret" not in created.text
    assert body["has_password"] is True and body["from_email"] == "sales@pivotal.dev"
    again = await client.get(f"/api/v1/sender-profiles/{body['id']}", headers=manager)
    assert "very-secret" not in again.text
    async with sessions() as session:
        stored = await session.get(SenderProfile, body["id"])
    assert stored is not None and stored.smtp_password is not None
    assert "very-secret" not in stored.smtp_password
    assert unseal(settings.secret_key, stored.smtp_password) == "very-secret"
    with pytest.raises(ValueError):
        unseal("another-secret-key-0123456789abcdef", stored.smtp_password)
    missing = await client.post(
        "/api/v1/sender-profiles",
        json={"name": "x", "from_name": "x", "from_email": "a@b.co"},
        headers=manager,
    )
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"].endswith("postal_address")


async def test_preflight_lists_what_would_be_excluded_and_why(
    client: httpx.AsyncClient, manager: dict[str, str], sessions: async_sessionmaker[AsyncSession]
) -> None:
    sender = await add_sender(sessions)
    good = await add_contacts(sessions, ["good@ok.com"])
    gone = await add_contacts(sessions, ["gone@ok.com"], email_status="bounced")
    campaign = await one_step_campaign_to(sessions, good + gone, sender_id=sender)
    response = await client.post(f"/api/v1/email-campaigns/{campaign}/preflight", headers=manager)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ready"] is True and body["sendable"] == 1
    assert body["excluded"] == {"bounced": 1}
    assert body["items"] == [{"contact_id": gone[0], "email": "gone@ok.com", "reason": "bounced"}]
    unready = await add_email_campaign(
        sessions, good, sender_id=sender, steps=[{"template_id": 999}]
    )
    problems = (
        await client.post(f"/api/v1/email-campaigns/{unready}/preflight", headers=manager)
    ).json()["problems"]
    assert problems[0]["field"] == "settings.email.steps.0.variants"


async def _message(sessions: async_sessionmaker[AsyncSession], email: str) -> int:
    (contact,) = await add_contacts(sessions, [email])
    campaign = await one_step_campaign_to(sessions, [contact])
    async with sessions() as session, session.begin():
        row = EmailMessage(campaign_id=campaign, step=1, contact_id=contact, to_email=email)
        session.add(row)
    return row.id


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_the_unsubscribe_link_and_one_click_post_suppress_at_once(
    method: str,
    client: httpx.AsyncClient,
    gateway: RecordingEmail,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    message = await _message(sessions, "leave@ok.com")
    token = sign(SECRET, {"p": "u", "m": message, "e": "leave@ok.com"})
    if method == "POST":
        response = await client.post(
            f"/u/{token}", data={"List-Unsubscribe": "One-Click"}
        )  # RFC 8058's body
    else:
        response = await client.get(f"/u/{token}")
        assert "leave@ok.com" in response.text
    assert response.status_code == 200, response.text
    assert gateway.suppressed == ["leave@ok.com"]
    async with sessions() as session:
        contact = await session.scalar(select(Contact).where(Contact.email == "leave@ok.com"))
        entry = await session.scalar(select(Suppression).where(Suppression.value == "leave@ok.com"))
        events = list(await session.scalars(select(EmailEvent.kind)))
    assert contact is not None and contact.email_status == "unsubscribed"
    assert entry is not None and entry.kind == "email" and entry.consent_basis == "unsubscribe"
    assert entry.client_id is None
    assert events == ["unsubscribe"]
    again = await client.post(f"/u/{token}")
    assert again.status_code == 200  # repeats are harmless


async def test_forged_unsubscribe_and_tracking_tokens_are_refused(
    client: httpx.AsyncClient, gateway: RecordingEmail, sessions: async_sessionmaker[AsyncSession]
) -> None:
    message = await _message(sessions, "stay@ok.com")
    forged = sign("another-secret" * 3, {"p": "u", "m": message, "e": "stay@ok.com"})
    wrong_purpose = sign(SECRET, {"p": "c", "m": message, "u": "https://evil.test"})
    for token in (forged, wrong_purpose, "nonsense", forged[:-3] + "abc"):
        assert (await client.post(f"/u/{token}")).status_code == 404
        assert (await client.get(f"/u/{token}")).status_code == 404
    evil = sign("another-secret" * 3, {"p": "c", "m": message, "u": "https://evil.test"})
    assert (await client.get(f"/t/c/{evil}")).status_code == 404
    assert gateway.suppressed == []
    async with sessions() as session:
        contact = await session.scalar(select(Contact).where(Contact.email == "stay@ok.com"))
    assert contact is not None and contact.email_status == "active"


async def test_clicks_redirect_only_to_signed_urls_and_opens_are_counted(
    client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession]
) -> None:
    message = await _message(sessions, "reader@ok.com")
    link = sign(SECRET, {"p": "c", "m": message, "u": "https://example.com/offer?a=1"})
    response = await client.get(f"/t/c/{link}")
    assert response.status_code == 302
    assert response.headers["location"] == "https://example.com/offer?a=1"
    pixel = await client.get(f"/t/o/{sign(SECRET, {'p': 'o', 'm': message})}")
    assert pixel.status_code == 200 and pixel.headers["content-type"] == "image/gif"
    async with sessions() as session:
        kinds = sorted(await session.scalars(select(EmailEvent.kind)))
    assert kinds == ["click", "open"]


async def test_campaign_control_answers_503_without_pacers(
    client: httpx.AsyncClient, manager: dict[str, str], sessions: async_sessionmaker[AsyncSession]
) -> None:
    sender = await add_sender(sessions)
    campaign = await add_email_campaign(sessions, [], sender_id=sender, steps=[])
    response = await client.post(f"/api/v1/email-campaigns/{campaign}/start", headers=manager)
    assert response.status_code == 503
    assert response.json()["code"] == "email_unavailable"
