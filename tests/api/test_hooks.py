"""Outgoing webhooks over real HTTP: signed, retried with backoff on errors and timeouts,
every attempt logged; queued with the change that causes them; never sent twice."""

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.deps import Principal
from api.hook_sender import HookSender
from config.settings import Settings
from engine.hooks import HookEvent
from engine.roles import Role
from store import hooks
from store.models import OrderCampaignLink, WebhookDelivery, WebhookSubscription
from tests.api.test_leads import TICKS, World
from tests.conftest import Actors, settings_for
from tests.support.orders import submitted_order
from tests.support.server import serve
from tests.support.webhook_receiver import Receiver

SUBSCRIPTIONS = "/api/v1/webhook-subscriptions"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return settings_for(
        database_url,
        tmp_path,
        webhook_poll_seconds=0.05,
        webhook_backoff_seconds=0.2,
        webhook_timeout_seconds=0.5,
        webhook_max_attempts=4,
        webhook_allow_private=True,  # the receivers run on 127.0.0.1
    )


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    found = Receiver()
    async with serve(found.app()) as host:
        yield found, f"http://{host}/hook"


async def _subscribe(
    client: httpx.AsyncClient, headers: dict[str, str], url: str, events: list[str], **extra: Any
) -> dict[str, Any]:
    created = await client.post(
        SUBSCRIPTIONS, json={"url": url, "events": events, **extra}, headers=headers
    )
    assert created.status_code == 201, created.text
    return dict(created.json())


async def _settled(client: httpx.AsyncClient, headers: dict[str, str], sub_id: int) -> list[Any]:
    """The delivery log once nothing is pending any more (at most ~10 s)."""
    for _ in range(200):
        log = (await client.get(f"{SUBSCRIPTIONS}/{sub_id}/deliveries", headers=headers)).json()
        if log["items"] and all(d["status"] in ("delivered", "failed") for d in log["items"]):
            return list(log["items"])
        await asyncio.sleep(0.05)
    raise AssertionError(f"deliveries never settled: {log}")


async def test_order_submitted_is_signed_retried_and_logged(
    client: httpx.AsyncClient, actors: Actors, receiver: tuple[Receiver, str]
) -> None:
    found, url = receiver
    admin = await actors.headers_for(Role.ADMIN)
    acme = await actors.client_org("Acme")
    sub = await _subscribe(client, admin, url, ["order.submitted"], client_id=acme.id)
    assert sub["secret"].startswith("whsec_")
    found.secret = sub["secret"]
    shown = (await client.get(f"{SUBSCRIPTIONS}/{sub['id']}", headers=admin)).json()
    assert "secret" not in shown  # shown once, at creation

    found.script = [500, "slow", 200]
    buyer = await actors.headers_for(Role.CLIENT_USER, acme.id)
    order_id = await submitted_order(client, buyer)

    [delivery] = await _settled(client, admin, sub["id"])
    assert delivery["status"] == "delivered" and delivery["attempts"] == 3
    tries = delivery["tries"]
    assert [t["status_code"] for t in tries] == [500, None, 200]
    assert tries[0]["error"] == "HTTP 500" and "Timeout" in tries[1]["error"]
    assert tries[1]["duration_ms"] >= 400
    # exponential backoff: 0.2 s after the first try, 0.4 s after the second
    at = [datetime.fromisoformat(t["created_at"]) for t in tries]
    assert (at[1] - at[0]).total_seconds() >= 0.2 + 0.4  # backoff + the timed-out try
    assert (at[2] - at[1]).total_seconds() >= 0.4
    assert [r.signed for r in found.received] == [True, True, True]
    assert {r.delivery for r in found.received} == {str(delivery["id"])}
    body = found.received[-1].body
    assert body["event"] == "order.submitted" and body["data"]["order_id"] == order_id
    assert body == delivery["payload"]

    other = await actors.headers_for(Role.CLIENT_USER, (await actors.client_org("Globex")).id)
    await submitted_order(client, other)  # another client's order: not this subscription's
    await asyncio.sleep(0.3)
    log = (await client.get(f"{SUBSCRIPTIONS}/{sub['id']}/deliveries", headers=admin)).json()
    assert len(log["items"]) == 1
    assert (await client.get(SUBSCRIPTIONS, headers=buyer)).status_code == 403


async def test_a_receiver_that_keeps_failing_gets_up_to_the_limit(
    app: Any, client: httpx.AsyncClient, actors: Actors, receiver: tuple[Receiver, str]
) -> None:
    found, url = receiver
    admin = await actors.headers_for(Role.ADMIN)
    sub = await _subscribe(client, admin, url, ["order.status_changed"])
    found.secret, found.script = sub["secret"], [503] * 10
    buyer = await actors.headers_for(Role.CLIENT_USER, (await actors.client_org("Acme")).id)
    with app.state.fanout.subscribe(Principal(Role.ADMIN, None, None)) as watcher:
        await submitted_order(client, buyer)
        [delivery] = await _settled(client, admin, sub["id"])
        [given_up] = json.loads(await asyncio.wait_for(watcher.queue.get(), 5))
    assert given_up == {
        "type": "webhook.ended",
        "id": delivery["id"],
        "status": "failed",
        "message": "Webhook order.status_changed to 127.0.0.1 was given up after 4 tries: "
        "HTTP 503.",
        "link": f"#/admin/webhooks?subscription={sub['id']}&status=failed",
        "subscription_id": sub["id"],
    }
    assert delivery["status"] == "failed" and delivery["attempts"] == 4
    assert [t["number"] for t in delivery["tries"]] == [1, 2, 3, 4]
    assert len(found.received) == 4
    failed = await client.get(
        f"{SUBSCRIPTIONS}/{sub['id']}/deliveries?status=failed", headers=admin
    )
    assert len(failed.json()["items"]) == 1


async def test_an_approved_lead_of_a_linked_campaign_is_delivered(
    client: httpx.AsyncClient,
    actors: Actors,
    sessions: async_sessionmaker[AsyncSession],
    receiver: tuple[Receiver, str],
) -> None:
    found, url = receiver
    admin = await actors.headers_for(Role.ADMIN)
    sub = await _subscribe(client, admin, url, ["lead.delivered"])
    found.secret = sub["secret"]
    acme = await actors.client_org("Acme")
    order_id = await submitted_order(client, await actors.headers_for(Role.CLIENT_USER, acme.id))
    world = await World(sessions, (await actors.user(Role.AGENT)).id).setup()
    async with sessions() as session, session.begin():
        session.add(OrderCampaignLink(order_id=order_id, campaign_id=world.campaign_id))
    lead_id = await world.lead()
    qa = await actors.headers_for(Role.QA_ANALYST)
    move = f"/api/v1/leads/{lead_id}/transition"
    await client.post(move, json={"to": "under_review", "checklist": TICKS}, headers=qa)
    await asyncio.sleep(0.2)
    assert found.received == []  # under review is not deliverable
    approved = await client.post(move, json={"to": "approved", "reason": "ok"}, headers=qa)
    assert approved.status_code == 200, approved.text
    [delivery] = await _settled(client, admin, sub["id"])
    assert delivery["event"] == "lead.delivered"
    data = found.received[0].body["data"]
    assert (data["lead_id"], data["order_id"], data["qa_status"]) == (lead_id, order_id, "approved")


async def test_two_workers_never_send_one_delivery_twice(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    receiver: tuple[Receiver, str],
) -> None:
    found, url = receiver
    async with sessions() as session, session.begin():
        sub = WebhookSubscription(url=url, events=["order.submitted"], secret="s" * 20)
        session.add(sub)
        await session.flush()
        for n in range(60):
            await hooks.enqueue(
                session, event=HookEvent.ORDER_SUBMITTED, data={"n": n}, client_id=None
            )
    found.secret = "s" * 20
    workers = [HookSender(sessions, settings) for _ in range(3)]  # plus the app's own
    async with httpx.AsyncClient() as http:
        for _ in range(10):
            await asyncio.gather(*(w.send_due(http) for w in workers))
    for _ in range(100):
        async with sessions() as session:
            states = list(await session.scalars(select(WebhookDelivery.status)))
        if set(states) == {"delivered"}:
            break
        await asyncio.sleep(0.05)
    assert len(states) == 60 and set(states) == {"delivered"}
    sent = [r.delivery for r in found.received]
    assert len(sent) == len(set(sent)) == 60
