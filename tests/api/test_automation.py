"""Automation rules as data: checked when saved, applied in the same transaction as the
contact/account edit, QA decision or order status change that triggers them."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.gateway import DialerGateway
from config.settings import Settings
from engine.roles import Role
from store.models import Account, Campaign, Contact, WebhookDelivery
from tests.api.test_leads import TICKS, World
from tests.conftest import Actors
from tests.support.orders import submitted_order

RULES = "/api/v1/automation-rules"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A webhook action's subscription points at this machine (never actually reached)."""
    return settings.model_copy(update={"webhook_allow_private": True})


async def _rule(client: httpx.AsyncClient, headers: dict[str, str], **body: Any) -> httpx.Response:
    return await client.post(RULES, json={"name": "r", **body}, headers=headers)


async def _notes(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    return list((await client.get("/api/v1/notifications", headers=headers)).json()["items"])


async def test_rules_are_checked_when_saved(client: httpx.AsyncClient, actors: Actors) -> None:
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    notify = {"type": "notify", "user_id": 1, "message": "hi"}
    cases = [
        ({"trigger": "contact.deleted", "actions": [notify]}, "trigger"),
        (
            {"trigger": "qa.decided", "actions": [{"type": "assign", "user_id": 1}]},
            "actions.0.type",
        ),
        (
            {
                "trigger": "contact.updated",
                "actions": [{"type": "update_field", "field": "email", "value": "x"}],
            },
            "actions.0.field",
        ),
        (
            {"trigger": "contact.updated", "actions": [{**notify, "user_id": 99999}]},
            "actions.0.user_id",
        ),
        (
            {"trigger": "contact.updated", "actions": [{"type": "webhook", "subscription_id": 5}]},
            "actions.0.subscription_id",
        ),
        (
            {
                "trigger": "contact.updated",
                "conditions": [{"field": "x", "op": "like"}],
                "actions": [notify],
            },
            "conditions.0.op",
        ),
        ({"trigger": "contact.updated", "actions": []}, "actions"),
    ]
    for body, field in cases:
        response = await _rule(client, manager, **body)
        assert response.status_code == 422, body
        assert field in [e["field"] for e in response.json()["errors"]], response.json()
    client_user = await actors.headers_for(Role.CLIENT_USER, (await actors.client_org("A")).id)
    agent = await actors.headers_for(Role.AGENT)
    for headers in (client_user, agent):
        assert (await client.get(RULES, headers=headers)).status_code == 403


async def test_a_contact_edit_runs_matching_rules_in_its_transaction(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    owner = await actors.user(Role.CAMPAIGN_MANAGER)
    sub = await client.post(
        "/api/v1/webhook-subscriptions",
        json={"url": "http://127.0.0.1:9/x", "events": ["order.submitted"]},
        headers=manager,
    )
    rule = await _rule(
        client,
        manager,
        trigger="contact.updated",
        conditions=[
            {"field": "job_title", "op": "changed"},
            {"field": "job_title", "op": "contains", "value": "cto"},
        ],
        actions=[
            {"type": "notify", "user_id": owner.id, "message": "A CTO appeared"},
            {"type": "assign", "user_id": owner.id},
            {"type": "update_field", "field": "department", "value": "Engineering"},
            {"type": "webhook", "subscription_id": sub.json()["id"]},
        ],
    )
    assert rule.status_code == 201, rule.text
    async with sessions() as session, session.begin():
        taken = Contact(email="taken@x.com")
        person = Contact(email="p@x.com", job_title="Intern")
        session.add_all([taken, person])
    url = f"/api/v1/contacts/{person.id}"

    clash = await client.patch(
        url, json={"job_title": "CTO", "email": "taken@x.com"}, headers=manager
    )
    assert clash.status_code == 409
    assert await _notes(client, actors.headers(owner)) == []  # rolled back with the edit

    edited = await client.patch(url, json={"job_title": "Group CTO"}, headers=manager)
    assert edited.status_code == 200, edited.text
    assert edited.json()["department"] == "Engineering"
    async with sessions() as session:
        assert (await session.get_one(Contact, person.id)).owner_id == owner.id
        [queued] = list(await session.scalars(select(WebhookDelivery)))
    assert queued.event == "automation.webhook"
    assert queued.payload["data"]["record"]["job_title"] == "Group CTO"
    [note] = await _notes(client, actors.headers(owner))
    assert (note["message"], note["record_type"], note["record_id"]) == (
        "A CTO appeared",
        "contact",
        person.id,
    )
    assert await _notes(client, manager) == []  # one's own notifications only

    await client.patch(url, json={"department": "Sales"}, headers=manager)  # title unchanged
    assert len(await _notes(client, actors.headers(owner))) == 1
    read = await client.post(
        f"/api/v1/notifications/{note['id']}/read", headers=actors.headers(owner)
    )
    assert read.json()["read_at"] is not None
    assert (
        await client.post(f"/api/v1/notifications/{note['id']}/read", headers=manager)
    ).status_code == 404
    unread = await client.get("/api/v1/notifications?unread=true", headers=actors.headers(owner))
    assert unread.json()["items"] == []

    off = await client.patch(
        f"{RULES}/{rule.json()['id']}", json={"active": False}, headers=manager
    )
    assert off.json()["active"] is False
    await client.patch(url, json={"job_title": "CTO"}, headers=manager)
    assert len(await _notes(client, actors.headers(owner))) == 1


async def test_account_qa_and_order_triggers(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    manager_user = await actors.user(Role.CAMPAIGN_MANAGER)
    manager = actors.headers(manager_user)
    notify = {"type": "notify", "user_id": manager_user.id}
    for trigger, conditions, actions in (
        ("account.updated", [], [{"type": "update_field", "field": "industry", "value": "Tech"}]),
        (
            "qa.decided",
            [{"field": "qa_status", "op": "eq", "value": "rejected"}],
            [{**notify, "message": "rejected"}],
        ),
        (
            "order.status_changed",
            [{"field": "status", "op": "in", "value": ["submitted", "cancelled"]}],
            [{**notify, "message": "order moved"}],
        ),
    ):
        created = await _rule(
            client, manager, trigger=trigger, conditions=conditions, actions=actions
        )
        assert created.status_code == 201, created.text
    async with sessions() as session, session.begin():
        account = Account(name="Acme", domain="acme.com")
        session.add(account)
    patched = await client.patch(
        f"/api/v1/accounts/{account.id}", json={"name": "Acme Inc"}, headers=manager
    )
    assert patched.json()["industry"] == "Tech"

    world = await World(sessions, (await actors.user(Role.AGENT)).id).setup()
    lead_id = await world.lead()
    qa = await actors.headers_for(Role.QA_ANALYST)
    move = f"/api/v1/leads/{lead_id}/transition"
    await client.post(move, json={"to": "under_review", "checklist": TICKS}, headers=qa)
    assert await _notes(client, manager) == []
    await client.post(move, json={"to": "rejected", "reason": "no budget"}, headers=qa)
    assert [n["message"] for n in await _notes(client, manager)] == ["rejected"]

    buyer = await actors.headers_for(Role.CLIENT_USER, (await actors.client_org("Acme")).id)
    order_id = await submitted_order(client, buyer)
    started = await client.post(
        f"/api/v1/orders/{order_id}/status", json={"status": "in_progress"}, headers=manager
    )
    assert started.status_code == 200 and started.json()["status"] == "in_progress"
    cancelled = await client.post(
        f"/api/v1/orders/{order_id}/status", json={"status": "cancelled"}, headers=manager
    )
    assert cancelled.json()["status"] == "cancelled"
    again = await client.post(
        f"/api/v1/orders/{order_id}/status", json={"status": "completed"}, headers=manager
    )
    assert again.status_code == 409
    notes = [n["message"] for n in await _notes(client, manager)]
    assert notes == [
        "rejected",
        "order moved",
        "order moved",
    ]  # submitted, cancelled; not in_progress


class Runner(DialerGateway):
    """Starts campaigns the way the dialer answers, without one."""

    async def command(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return {"campaign_id": args[0], "status": "running"}


async def test_a_campaign_event_runs_its_rules(
    client: httpx.AsyncClient,
    app: FastAPI,
    actors: Actors,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    app.state.dialer = Runner()
    manager_user = await actors.user(Role.CAMPAIGN_MANAGER)
    manager = actors.headers(manager_user)
    rule = await _rule(
        client,
        manager,
        trigger="campaign.event",
        conditions=[{"field": "event", "op": "eq", "value": "start"}],
        actions=[{"type": "assign", "user_id": manager_user.id}],
    )
    assert rule.status_code == 201, rule.text
    async with sessions() as session, session.begin():
        campaign = Campaign(kind="call", name="C")
        session.add(campaign)
    started = await client.post(f"/api/v1/campaigns/{campaign.id}/start", headers=manager)
    assert started.status_code == 200, started.text
    async with sessions() as session:
        assert (await session.get_one(Campaign, campaign.id)).owner_id == manager_user.id


async def test_the_catalogue_lists_triggers_fields_and_actions(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    answer = await client.get("/api/v1/automation/catalogue", headers=manager)
    assert answer.status_code == 200, answer.text
    triggers = {t["trigger"]: t for t in answer.json()["triggers"]}
    order = triggers["order.status_changed"]
    assert order["record_type"] == "order"
    status = next(f for f in order["fields"] if f["name"] == "status")
    assert status["type"] == "choice" and "submitted" in status["choices"]
    assert [o["op"] for o in status["operators"]] == ["eq", "ne", "in", "not_in", "changed"]
    notify = next(a for a in order["actions"] if a["type"] == "notify")
    assert notify["params"] == [
        {"name": "user_id", "type": "user", "choices": [], "required": True},
        {"name": "message", "type": "text", "choices": [], "required": True},
    ]
    agent = await actors.headers_for(Role.AGENT)
    assert (await client.get("/api/v1/automation/catalogue", headers=agent)).status_code == 403


async def test_a_condition_on_a_field_the_trigger_lacks_is_refused(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    manager_user = await actors.user(Role.CAMPAIGN_MANAGER)
    refused = await _rule(
        client,
        actors.headers(manager_user),
        trigger="order.status_changed",
        conditions=[
            {"field": "status", "op": "eq", "value": "submitted"},
            {"field": "job_title", "op": "eq", "value": "CTO"},
        ],
        actions=[{"type": "notify", "user_id": manager_user.id, "message": "m"}],
    )
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["field"] == "conditions.1.field" and "status" in error["message"]


async def test_a_rule_with_an_any_group_runs_when_one_of_them_holds(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    manager_user = await actors.user(Role.CAMPAIGN_MANAGER)
    manager = actors.headers(manager_user)
    either = [
        {"field": "industry", "op": "eq", "value": "Tech"},
        {"field": "name", "op": "contains", "value": "acme"},
    ]
    created = await _rule(
        client,
        manager,
        trigger="account.updated",
        conditions=[{"any": either}],
        actions=[{"type": "notify", "user_id": manager_user.id, "message": "either"}],
    )
    assert created.status_code == 201, created.text
    assert created.json()["conditions"] == [{"any": either}]
    async with sessions() as session, session.begin():
        other, acme = Account(name="Other", domain="o.com"), Account(name="X", domain="x.com")
        session.add_all([other, acme])
    await client.patch(f"/api/v1/accounts/{other.id}", json={"name": "Other 2"}, headers=manager)
    assert await _notes(client, manager) == []
    await client.patch(f"/api/v1/accounts/{acme.id}", json={"name": "Acme"}, headers=manager)
    assert [n["message"] for n in await _notes(client, manager)] == ["either"]
    bad = await _rule(
        client,
        manager,
        trigger="account.updated",
        conditions=[{"any": [either[0], {"field": "qa_status", "op": "changed"}]}],
        actions=[{"type": "notify", "user_id": manager_user.id, "message": "m"}],
    )
    assert [e["field"] for e in bad.json()["errors"]] == ["conditions.0.any.1.field"]
