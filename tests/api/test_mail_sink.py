"""The embedded SMTP sink: started with the app, fed by the real pacers over SMTP, its mail
listed and read through the API; off → 404; ids never reach a file outside the Maildir."""

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.app import create_app
from config.settings import Settings
from engine.roles import Role
from store.mail_sink import SinkServer
from store.models import EmailMessage
from tests.actors.emails import one_step_campaign, pacer_config, running
from tests.conftest import Actors, sink_settings
from tests.support.waits import wait_for


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return sink_settings(database_url, tmp_path)


@pytest.fixture
async def manager(actors: Actors) -> dict[str, str]:
    return await actors.headers_for(Role.CAMPAIGN_MANAGER)


async def _send_campaign(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, emails: list[str]
) -> int:
    """A campaign sent by the real pacers to the app's sink, over SMTP."""
    campaign = await one_step_campaign(sessions, emails, rate_per_minute=6e4)
    config = pacer_config(settings.database_url, settings.smtp_sink_port)
    async with running(config, campaign):
        await wait_for(lambda: _mail_count(settings) == len(emails))
        await wait_for(lambda: _all_sent(sessions, campaign))
    return campaign


async def _all_sent(sessions: async_sessionmaker[AsyncSession], campaign: int) -> bool:
    async with sessions() as session:
        query = select(EmailMessage.status).where(EmailMessage.campaign_id == campaign)
        return set(await session.scalars(query)) == {"sent"}


def _exists(path: str) -> bool:
    return Path(path).exists()


def _mail_count(settings: Settings) -> int:
    return len(list((Path(settings.smtp_sink_maildir) / "new").iterdir()))


async def test_mail_sent_by_a_campaign_is_listed_and_read_through_the_api(
    client: httpx.AsyncClient,
    manager: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    emails = ["ann@example.com", "bob@example.org", "cy@example.net"]
    campaign = await _send_campaign(sessions, settings, emails)
    async with sessions() as session:
        rows = {
            r.to_email: r
            for r in await session.scalars(
                select(EmailMessage).where(EmailMessage.campaign_id == campaign)
            )
        }

    listed = await client.get("/api/v1/email/sink/messages", headers=manager)
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert sorted(i["to"][0] for i in items) == sorted(emails)
    received = [i["received_at"] for i in items]
    assert received == sorted(received, reverse=True)  # newest first
    for item in items:
        row = rows[item["to"][0]]
        assert item["from"] == "Pivotal Sales <sales@pivotal.test>"
        assert item["campaign_id"] == campaign and item["contact_id"] == row.contact_id
        assert item["email_message_id"] == row.id and item["message_id"] == row.message_id

    first = await client.get("/api/v1/email/sink/messages?limit=2", headers=manager)
    second = await client.get(
        f"/api/v1/email/sink/messages?limit=2&cursor={first.json()['next_cursor']}",
        headers=manager,
    )
    assert [i["id"] for i in first.json()["items"] + second.json()["items"]] == [
        i["id"] for i in items
    ]
    assert second.json()["next_cursor"] is None

    only_bob = await client.get("/api/v1/email/sink/messages?to=BOB@example.org", headers=manager)
    assert [i["to"] for i in only_bob.json()["items"]] == [["bob@example.org"]]
    other = await client.get(
        f"/api/v1/email/sink/messages?campaign_id={campaign + 1}", headers=manager
    )
    assert other.json()["items"] == []
    ours = await client.get(f"/api/v1/email/sink/messages?campaign_id={campaign}", headers=manager)
    assert len(ours.json()["items"]) == 3

    bob = only_bob.json()["items"][0]
    mail = await client.get(f"/api/v1/email/sink/messages/{bob['id']}", headers=manager)
    assert mail.status_code == 200, mail.text
    body = mail.json()
    headers = dict(body["headers"])
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["Message-ID"] == rows["bob@example.org"].message_id
    assert "Pivotal Inc., 1 Main Street" in body["text"]
    assert "Acme &amp; Co" in body["html"] and body["html"] != body["text"]
    assert rows["bob@example.org"].message_id in body["raw"]


async def test_only_admins_and_campaign_managers_read_the_sink(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    for role, status in (
        (Role.ADMIN, 200),
        (Role.CAMPAIGN_MANAGER, 200),
        (Role.QA_ANALYST, 403),
        (Role.AGENT, 403),
        (Role.DATA_OPS, 403),
    ):
        response = await client.get(
            "/api/v1/email/sink/messages", headers=await actors.headers_for(role)
        )
        assert response.status_code == status, (role, response.text)


async def test_ids_never_reach_a_file_outside_the_maildir(
    client: httpx.AsyncClient, manager: dict[str, str], settings: Settings
) -> None:
    maildir = Path(settings.smtp_sink_maildir)
    (maildir / "secret").write_text("From: x\n\nnot mail")
    (maildir.parent / "outside").write_text("From: x\n\nnot mail")
    for mail_id in ("..", "secret", "new", "..%2Foutside", "..%2F..%2Fetc%2Fpasswd", "%2Fetc"):
        response = await client.get(f"/api/v1/email/sink/messages/{mail_id}", headers=manager)
        assert response.status_code == 404, (mail_id, response.text)
    bad = await client.get("/api/v1/email/sink/messages?cursor=!!", headers=manager)
    assert bad.status_code == 422


async def test_a_second_process_finds_the_port_taken_and_only_lists(
    app: FastAPI, settings: Settings
) -> None:
    second = SinkServer(
        host=settings.smtp_sink_host,
        port=settings.smtp_sink_port,
        maildir=settings.smtp_sink_maildir,
    )
    assert second.start() is False
    second.stop()


async def test_a_disabled_sink_is_not_found(
    settings: Settings, actors: Actors, tmp_path: Path
) -> None:
    off = settings.model_copy(
        update={"smtp_sink_enabled": False, "smtp_sink_maildir": str(tmp_path / "off")}
    )
    app = create_app(off)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            headers = await actors.headers_for(Role.ADMIN)
            listed = await http.get("/api/v1/email/sink/messages", headers=headers)
            one = await http.get("/api/v1/email/sink/messages/x", headers=headers)
    assert listed.status_code == 404 and one.status_code == 404
    assert listed.json()["code"] == "not_found"
    assert not _exists(off.smtp_sink_maildir)  # nothing was started
