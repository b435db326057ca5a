"""Staff copy what a client asked (its qualification questions and qualifying rules) into a
call campaign linked to the order, so leads are scored against the client's rules."""

from typing import Any

import httpx
import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.roles import Role
from store.models import AuditEntry, Campaign, Order, OrderQualification, QualificationQuestion
from tests.conftest import Actors
from tests.support.orders import ready_draft

ASKED = [
    {
        "question": "Budget",
        "answer_type": "radio",
        "options": ["none", "under 10k", "over 10k"],
        "qualifying_options": ["under 10k", "over 10k"],
    },
    {"question": "How many seats?", "answer_type": "number", "qualifying_min": 25},
    {"question": "Anything else?", "answer_type": "text", "required": False},
]
FIELDS = ("answer_type", "options", "required", "qualifying_options", "qualifying_min")


class Setup:
    def __init__(self, client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession]):
        self.client = client
        self.sessions = sessions

    async def order(self, buyer: dict[str, str], questions: list[dict[str, Any]]) -> int:
        url = await ready_draft(self.client, buyer)
        saved = await self.client.put(
            f"{url}/questions", json={"questions": questions}, headers=buyer
        )
        assert saved.status_code == 200, saved.text
        submitted = await self.client.post(f"{url}/submit", headers=buyer)
        assert submitted.status_code == 200, submitted.text
        return int(submitted.json()["id"])

    async def campaign(self, client_id: int) -> int:
        """A call campaign that already asks one question (the order's "Budget", with
        other options and rules) and one the order does not."""
        async with self.sessions() as session, session.begin():
            campaign = Campaign(kind="call", name="Acme calls", client_id=client_id)
            session.add(campaign)
            await session.flush()
            session.add_all(
                [
                    QualificationQuestion(
                        campaign_id=campaign.id,
                        key="budget_band",
                        label="budget",
                        answer_type="radio",
                        options=["low", "high"],
                        qualifying_options=["high"],
                    ),
                    QualificationQuestion(
                        campaign_id=campaign.id,
                        key="timeline",
                        label="Timeline",
                        answer_type="text",
                        position=1,
                    ),
                ]
            )
            return campaign.id

    async def questions(self, campaign_id: int) -> list[dict[str, Any]]:
        async with self.sessions() as session:
            rows = await session.scalars(
                select(QualificationQuestion)
                .where(QualificationQuestion.campaign_id == campaign_id)
                .order_by(QualificationQuestion.position)
            )
            return [
                {"key": q.key, "label": q.label, **{f: getattr(q, f) for f in FIELDS}} for q in rows
            ]

    async def audits(self) -> list[dict[str, Any] | None]:
        async with self.sessions() as session:
            query = select(AuditEntry.data).where(AuditEntry.action == "campaign.questions")
            return list(await session.scalars(query))

    async def link(self, order_id: int, campaign_id: int, headers: dict[str, str]) -> None:
        linked = await self.client.post(
            f"/api/v1/orders/{order_id}/campaign-links",
            json={"campaign_id": campaign_id},
            headers=headers,
        )
        assert linked.status_code == 201, linked.text


@pytest.fixture
def setup(client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession]) -> Setup:
    return Setup(client, sessions)


def _copy_url(campaign_id: int, order_id: int) -> str:
    return f"/api/v1/campaigns/{campaign_id}/questions/from-order/{order_id}"


async def test_a_linked_campaign_gets_the_orders_questions_and_qualifying_rules(
    client: httpx.AsyncClient, actors: Actors, setup: Setup
) -> None:
    acme = await actors.client_org("Acme")
    buyer = await actors.headers_for(Role.CLIENT_USER, acme.id)
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    order_id = await setup.order(buyer, ASKED)
    campaign_id = await setup.campaign(acme.id)
    await setup.link(order_id, campaign_id, manager)

    async def matches() -> list[tuple[int, bool]]:
        """What both sides say: the campaign's order links, then the order's campaign links."""
        ours = f"/api/v1/campaigns/{campaign_id}/order-links"
        theirs = f"/api/v1/orders/{order_id}/campaign-links"
        return [
            (x["order_id"], x["questions_match"])
            for x in (await client.get(ours, headers=manager)).json()
        ] + [
            (x["campaign_id"], x["questions_match"])
            for x in (await client.get(theirs, headers=manager)).json()
        ]

    assert await matches() == [(order_id, False), (campaign_id, False)]

    copied = await client.post(_copy_url(campaign_id, order_id), headers=manager)

    assert copied.status_code == 200, copied.text
    asked = (await client.get(f"/api/v1/orders/{order_id}/questions", headers=manager)).json()
    now = await setup.questions(campaign_id)
    assert copied.json()["questions"] == now
    assert [q["label"] for q in now] == [q["question"] for q in asked["questions"]]
    assert [{f: q[f] for f in FIELDS} for q in now] == [
        {f: q[f] for f in FIELDS} for q in asked["questions"]
    ]
    assert now[0]["qualifying_options"] == ["under 10k", "over 10k"]
    assert now[1]["qualifying_min"] == 25
    # the same text keeps its key (answers already given stay with it); new ones get one
    assert [q["key"] for q in now] == ["budget_band", "how_many_seats", "anything_else"]
    assert await setup.audits() == [{"from_order": order_id}]
    assert await matches() == [(order_id, True), (campaign_id, True)]


async def test_an_unlinked_campaign_and_non_staff_are_refused_and_nothing_changes(
    client: httpx.AsyncClient,
    actors: Actors,
    setup: Setup,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    acme = await actors.client_org("Acme")
    buyer = await actors.headers_for(Role.CLIENT_USER, acme.id)
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    order_id = await setup.order(buyer, ASKED)
    campaign_id = await setup.campaign(acme.id)
    kept = await setup.questions(campaign_id)

    unlinked = await client.post(_copy_url(campaign_id, order_id), headers=manager)
    assert unlinked.status_code == 409, unlinked.text
    assert unlinked.json()["code"] == "conflict"
    assert "not linked" in unlinked.json()["message"]

    await setup.link(order_id, campaign_id, manager)
    for role in (Role.CLIENT_USER, Role.QA_ANALYST, Role.AGENT):
        headers = await actors.headers_for(role, acme.id if role is Role.CLIENT_USER else None)
        refused = await client.post(_copy_url(campaign_id, order_id), headers=headers)
        assert refused.status_code == 403, (role, refused.text)
        assert set(refused.json()) == {"status", "code", "message", "errors"}
    buyer_links = await client.get(f"/api/v1/campaigns/{campaign_id}/order-links", headers=buyer)
    assert buyer_links.status_code == 403

    missing = await client.post(_copy_url(campaign_id, order_id + 1000), headers=manager)
    assert missing.status_code == 404
    # an order that asks nothing has nothing to copy (it would wipe the campaign's questions)
    silent = await setup.order(buyer, ASKED)
    async with sessions() as session, session.begin():  # as the demo's order: no questions
        await session.execute(
            delete(OrderQualification).where(OrderQualification.order_id == silent)
        )
        await session.execute(update(Order).where(Order.id == silent).values(question_version=None))
    await setup.link(silent, campaign_id, manager)
    links = await client.get(f"/api/v1/campaigns/{campaign_id}/order-links", headers=manager)
    assert {x["order_id"]: x["questions_match"] for x in links.json()}[silent] is None
    empty = await client.post(_copy_url(campaign_id, silent), headers=manager)
    assert empty.status_code == 409, empty.text
    assert "asks no qualification questions" in empty.json()["message"]
    assert await setup.questions(campaign_id) == kept
    assert await setup.audits() == []


async def test_a_failed_copy_changes_nothing(
    client: httpx.AsyncClient,
    actors: Actors,
    setup: Setup,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """An order may ask a longer question than a campaign holds: the copy is refused with
    the field named, and the campaign keeps every question it had."""
    acme = await actors.client_org("Acme")
    buyer = await actors.headers_for(Role.CLIENT_USER, acme.id)
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    long_question = {"question": "Why? " + "x" * 400, "answer_type": "text"}
    order_id = await setup.order(buyer, [ASKED[0], long_question])
    campaign_id = await setup.campaign(acme.id)
    await setup.link(order_id, campaign_id, manager)
    kept = await setup.questions(campaign_id)

    refused = await client.post(_copy_url(campaign_id, order_id), headers=manager)

    assert refused.status_code == 422, refused.text
    assert refused.json()["message"] == "The order's questions do not fit a call campaign."
    assert [e["field"] for e in refused.json()["errors"]] == ["questions.1.label"]
    assert await setup.questions(campaign_id) == kept
    assert await setup.audits() == []
    async with sessions() as session:
        count = select(func.count()).select_from(QualificationQuestion)
        assert await session.scalar(count) == len(kept)


async def test_only_call_campaigns_take_questions(
    client: httpx.AsyncClient, actors: Actors, setup: Setup
) -> None:
    acme = await actors.client_org("Acme")
    buyer = await actors.headers_for(Role.CLIENT_USER, acme.id)
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    order_id = await setup.order(buyer, ASKED)
    created = await client.post(
        "/api/v1/campaigns", json={"kind": "email", "name": "Acme mail"}, headers=manager
    )
    assert created.status_code == 201, created.text
    email_id = created.json()["id"]
    await setup.link(order_id, email_id, manager)
    refused = await client.post(_copy_url(email_id, order_id), headers=manager)
    assert refused.status_code == 404
    assert refused.json()["message"] == "Call campaign not found."
