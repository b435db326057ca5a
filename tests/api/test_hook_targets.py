"""Webhook subscriptions cannot point inside our own network (SSRF): refused when saved, and
refused again when a delivery is sent, since a name's DNS answer can change after saving."""

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.hook_sender import HookSender, sending_client
from config.settings import Settings
from engine.hooks import HookEvent
from engine.roles import Role
from store import hooks
from store.models import WebhookAttempt, WebhookSubscription
from tests.conftest import Actors
from tests.support.server import serve
from tests.support.webhook_receiver import Receiver

SUBSCRIPTIONS = "/api/v1/webhook-subscriptions"


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    found = Receiver()
    async with serve(found.app()) as host:
        yield found, f"http://{host}/hook"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",  # a name that resolves to loopback
        "http://[::1]/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
    ],
)
async def test_internal_urls_are_refused_when_saved(
    client: httpx.AsyncClient, actors: Actors, url: str
) -> None:
    admin = await actors.headers_for(Role.ADMIN)
    made = await client.post(
        SUBSCRIPTIONS, json={"url": url, "events": ["order.submitted"]}, headers=admin
    )
    assert made.status_code == 422, made.text
    [error] = made.json()["errors"]
    assert error["field"] == "url" and "internal address" in error["message"]
    assert (await client.get(SUBSCRIPTIONS, headers=admin)).json()["items"] == []


async def test_other_schemes_and_internal_updates_are_refused(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    admin = await actors.headers_for(Role.ADMIN)
    ftp = await client.post(
        SUBSCRIPTIONS,
        json={"url": "ftp://93.184.215.14/x", "events": ["order.submitted"]},
        headers=admin,
    )
    assert ftp.status_code == 422
    async with sessions() as session, session.begin():
        sub = WebhookSubscription(
            url="https://93.184.215.14/x", events=["order.submitted"], secret="s"
        )
        session.add(sub)
    moved = await client.patch(
        f"{SUBSCRIPTIONS}/{sub.id}", json={"url": "http://127.0.0.1/x"}, headers=admin
    )
    assert moved.status_code == 422 and moved.json()["errors"][0]["field"] == "url"
    async with sessions() as session:
        assert (await session.get_one(WebhookSubscription, sub.id)).url == "https://93.184.215.14/x"
    paused = await client.patch(f"{SUBSCRIPTIONS}/{sub.id}", json={"active": False}, headers=admin)
    assert paused.status_code == 200  # a change that leaves the URL alone is not re-checked


async def test_a_delivery_to_an_internal_address_is_refused_when_sent(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    receiver: tuple[Receiver, str],
) -> None:
    """A subscription saved while its name was public, now resolving to loopback."""
    found, url = receiver
    async with sessions() as session, session.begin():
        session.add(WebhookSubscription(url=url, events=["order.submitted"], secret="s" * 20))
        await session.flush()
        await hooks.enqueue(session, event=HookEvent.ORDER_SUBMITTED, data={}, client_id=None)
    sender = HookSender(sessions, settings)
    async with sending_client(settings) as http:
        await sender.send_due(http)
    async with sessions() as session:
        tries = list(await session.scalars(select(WebhookAttempt)))
    assert tries and all("internal address" in (t.error or "") for t in tries)
    assert all(t.status_code is None for t in tries)
    assert found.received == []

    allowed = settings.model_copy(update={"webhook_allow_private": True})
    async with sending_client(allowed) as http:  # the same request reaches a permitted host
        response = await http.post(url, json={})
    assert response.status_code == 200
