"""The agent console's reads: console kit, screen pop and the agent's day."""

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.roles import Role
from store import demo
from store.models import (
    Account,
    Activity,
    Call,
    Campaign,
    Contact,
    Disposition,
    Lead,
    Suppression,
    User,
)
from tests.conftest import Actors


async def _demo(sessions: async_sessionmaker[AsyncSession]) -> tuple[Campaign, Campaign]:
    async with sessions() as session, session.begin():
        await demo.seed(session)
    async with sessions() as session:
        rows = (await session.scalars(select(Campaign).order_by(Campaign.id))).all()
    call = next(c for c in rows if c.kind == "call")
    email = next(c for c in rows if c.kind == "email")
    return call, email


async def _user(sessions: async_sessionmaker[AsyncSession], email: str) -> User:
    async with sessions() as session:
        return (await session.scalars(select(User).where(User.email == email))).one()


async def _contact_at(sessions: async_sessionmaker[AsyncSession], domain: str) -> Contact:
    async with sessions() as session:
        query = (
            select(Contact)
            .join(Account, Account.id == Contact.account_id)
            .where(Account.domain == domain)
            .order_by(Contact.id)
        )
        return (await session.scalars(query)).first()  # type: ignore[return-value]


async def test_the_console_kit_has_the_script_questions_and_dispositions_with_their_keys(
    client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], actors: Actors
) -> None:
    campaign, email_campaign = await _demo(sessions)
    async with sessions() as session, session.begin():
        session.add(
            Disposition(
                campaign_id=campaign.id,
                code="qualified",
                label="Qualified lead",
                rule="qualified",
                shortcut="1",
            )
        )
    agent = actors.headers(await _user(sessions, demo.DEMO_LOGINS[4].email))
    answer = await client.get(f"/api/v1/campaigns/{campaign.id}/console-kit", headers=agent)
    assert answer.status_code == 200, answer.text
    kit = answer.json()
    assert kit["name"] == "Acme Q1 IT outreach"
    assert kit["topic"] == "IT modernisation"
    assert kit["wrap_up_seconds"] == 30
    assert "{{contact.first_name}}" in kit["script"]
    assert [q["key"] for q in kit["questions"]] == ["budget", "timeline", "seats", "notes"]
    assert [q["required"] for q in kit["questions"]] == [True, True, False, False]
    assert kit["questions"][0]["options"] == ["Yes", "No", "Unsure"]
    shortcuts = [(d["shortcut"], d["code"]) for d in kit["dispositions"]]
    assert shortcuts == sorted(shortcuts)
    assert shortcuts[0] == ("1", "qualified")
    assert kit["dispositions"][0]["label"] == "Qualified lead"  # the campaign's own wins
    assert len({d["code"] for d in kit["dispositions"]}) == len(kit["dispositions"])

    missing = await client.get(f"/api/v1/campaigns/{email_campaign.id}/console-kit", headers=agent)
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    buyer = await actors.headers_for(Role.CLIENT_USER)
    forbidden = await client.get(f"/api/v1/campaigns/{campaign.id}/console-kit", headers=buyer)
    assert forbidden.status_code == 403


async def test_a_screen_pop_shows_the_callee_history_and_suppressions_to_its_agent_only(
    client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], actors: Actors
) -> None:
    campaign, _ = await _demo(sessions)
    agent = await _user(sessions, demo.DEMO_LOGINS[4].email)
    other = await _user(sessions, demo.DEMO_LOGINS[5].email)
    contact = await _contact_at(sessions, "company19-demo.com")  # a suppressed domain
    phone = contact.direct_phone_e164 or ""
    earlier = datetime.now(UTC) - timedelta(days=2)
    async with sessions() as session, session.begin():
        before = Call(
            campaign_id=campaign.id,
            contact_id=contact.id,
            agent_id=other.id,
            phone_e164=phone,
            status="ended",
            disposition="no_answer",
            notes="left a message",
            started_at=earlier,
        )
        now = Call(
            campaign_id=campaign.id,
            contact_id=contact.id,
            agent_id=agent.id,
            phone_e164=phone,
            status="answered",
            answered_at=datetime.now(UTC),
        )
        session.add_all([before, now])
        session.add(
            Activity(kind="call_ended", contact_id=contact.id, campaign_id=campaign.id, data={})
        )
        session.add(Suppression(kind="phone", value=phone, source="test", reason="asked"))
    url = f"/api/v1/calls/{now.id}/screen-pop"

    answer = await client.get(url, headers=actors.headers(agent))
    assert answer.status_code == 200, answer.text
    pop = answer.json()
    assert pop["call_id"] == now.id
    assert pop["campaign_name"] == "Acme Q1 IT outreach"
    assert pop["contact"]["first_name"] == contact.first_name
    assert pop["contact"]["email"] == contact.email
    assert pop["account"]["domain"] == "company19-demo.com"
    assert [c["id"] for c in pop["previous_calls"]] == [before.id]
    assert pop["previous_calls"][0]["notes"] == "left a message"
    assert [a["kind"] for a in pop["activity"]] == ["call_ended"]
    assert {(s["kind"], s["value"]) for s in pop["suppressions"]} == {
        ("domain", "company19-demo.com"),
        ("phone", phone),
    }
    # Company 19 is in Atlanta (+1 404): New York's zone; the local time carries its offset.
    zones = [t["zone"] for t in pop["callee_times"]]
    assert zones == ["America/New_York"]
    local = datetime.fromisoformat(pop["callee_times"][0]["local_time"])
    assert local.utcoffset() in (timedelta(hours=-5), timedelta(hours=-4))
    assert isinstance(pop["window_open"], bool)

    # Another agent's call does not exist for this agent; managers see every call.
    assert (await client.get(url, headers=actors.headers(other))).status_code == 404
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    assert (await client.get(url, headers=manager)).status_code == 200
    qa = await actors.headers_for(Role.QA_ANALYST)
    assert (await client.get(url, headers=qa)).status_code == 403
    gone = await client.get("/api/v1/calls/999999/screen-pop", headers=manager)
    assert gone.status_code == 404
    assert gone.json()["code"] == "not_found"


async def test_the_agents_day_counts_its_own_calls_talk_time_and_leads_since_a_time(
    client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], actors: Actors
) -> None:
    campaign, _ = await _demo(sessions)
    agent = await _user(sessions, demo.DEMO_LOGINS[4].email)
    other = await _user(sessions, demo.DEMO_LOGINS[5].email)
    contact = await _contact_at(sessions, "company00-demo.com")
    today = datetime.now(UTC)
    async with sessions() as session, session.begin():
        calls = [
            Call(
                campaign_id=campaign.id,
                contact_id=contact.id,
                agent_id=who,
                phone_e164="+12125550100",
                status="ended",
                started_at=at,
                answered_at=at if talk else None,
                talk_seconds=talk,
            )
            for who, at, talk in [
                (agent.id, today, 60.0),
                (agent.id, today, None),
                (agent.id, today - timedelta(days=3), 30.0),
                (other.id, today, 90.0),
            ]
        ]
        session.add_all(calls)
        await session.flush()
        session.add(
            Lead(
                campaign_id=campaign.id,
                contact_id=contact.id,
                call_id=calls[0].id,
                agent_id=agent.id,
            )
        )
    since = (today - timedelta(hours=1)).isoformat()
    answer = await client.get(
        "/api/v1/console/today", params={"since": since}, headers=actors.headers(agent)
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() | {"since": None} == {
        "since": None,
        "calls": 2,
        "connected": 1,
        "talk_seconds": 60.0,
        "leads": 1,
    }
    naive = await client.get(
        "/api/v1/console/today",
        params={"since": "2026-01-01T00:00:00"},
        headers=actors.headers(agent),
    )
    assert naive.status_code == 422
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    assert (await client.get("/api/v1/console/today", headers=manager)).status_code == 403
