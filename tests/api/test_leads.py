"""Lead QA over HTTP: the grid, the drawer, single and bulk decisions, the review trail."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.roles import Role
from store.models import Call, Campaign, Contact, Lead, QaReview, QualificationQuestion, Recording
from tests.conftest import Actors

SHAPE = {"status", "code", "message", "errors"}
CHECKLIST = {"recording_present": True, "custom_items": [{"key": "title", "label": "Title ok"}]}
TICKS = {"icp_match": True, "consent_captured": True, "title": True}


class World:
    """A call campaign with a required question, an agent, and leads to review."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], agent_id: int) -> None:
        self.sessions = sessions
        self.agent_id = agent_id
        self.campaign_id = 0
        self.contacts = 0

    async def setup(self) -> "World":
        async with self.sessions() as session, session.begin():
            campaign = Campaign(kind="call", name="Q3", settings={"qa_checklist": CHECKLIST})
            session.add(campaign)
            await session.flush()
            session.add(
                QualificationQuestion(
                    campaign_id=campaign.id,
                    key="budget",
                    label="Budget?",
                    answer_type="number",
                    required=True,
                )
            )
            self.campaign_id = campaign.id
        return self

    async def lead(
        self,
        *,
        status: str = "new",
        answers: dict[str, Any] | None = None,
        recorded: bool = True,
        created_at: datetime | None = None,
        campaign_id: int | None = None,
    ) -> int:
        self.contacts += 1
        async with self.sessions() as session, session.begin():
            contact = Contact(full_name=f"Lead {self.contacts}", email=f"l{self.contacts}@x.com")
            session.add(contact)
            await session.flush()
            call = Call(
                campaign_id=campaign_id or self.campaign_id,
                contact_id=contact.id,
                agent_id=self.agent_id,
                phone_e164="+12125550100",
            )
            session.add(call)
            await session.flush()
            if recorded:
                session.add(Recording(call_id=call.id, url="https://rec.test/1.wav"))
            lead = Lead(
                campaign_id=campaign_id or self.campaign_id,
                contact_id=contact.id,
                call_id=call.id,
                agent_id=self.agent_id,
                qa_status=status,
                answers={"budget": 5000} if answers is None else answers,
                created_at=created_at or datetime.now(UTC),
            )
            session.add(lead)
            await session.flush()
            return lead.id


@pytest.fixture
async def world(sessions: async_sessionmaker[AsyncSession], actors: Actors) -> World:
    agent = await actors.user(Role.AGENT)
    return await World(sessions, agent.id).setup()


@pytest.fixture
async def qa(actors: Actors) -> dict[str, str]:
    return await actors.headers_for(Role.QA_ANALYST)


async def _state(sessions: async_sessionmaker[AsyncSession]) -> tuple[Any, ...]:
    async with sessions() as session:
        statuses = (await session.execute(select(Lead.id, Lead.qa_status, Lead.checklist))).all()
        reviews = await session.scalar(select(func.count()).select_from(QaReview))
        return tuple(map(tuple, statuses)), reviews


async def _move(
    client: httpx.AsyncClient, headers: dict[str, str], lead_id: int, **body: Any
) -> httpx.Response:
    return await client.post(f"/api/v1/leads/{lead_id}/transition", json=body, headers=headers)


async def test_a_lead_is_reviewed_and_approved_with_a_full_trail(
    client: httpx.AsyncClient, world: World, qa: dict[str, str], actors: Actors
) -> None:
    lead_id = await world.lead()
    started = await _move(client, qa, lead_id, to="under_review", checklist=TICKS)
    assert started.status_code == 200, started.text
    assert started.json()["qa_status"] == "under_review"
    approved = await _move(client, qa, lead_id, to="approved", reason="clean")
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["qa_status"] == "approved"
    assert body["approved_at"] is not None
    assert body["answers"] == {"budget": 5000}
    assert body["agent"]["id"] == world.agent_id
    assert body["agent"]["full_name"].startswith("agent")
    assert body["call_id"] is not None
    assert body["recording"]["url"] == "https://rec.test/1.wav"
    assert body["transcript"] is None
    assert body["ai_score"] is None and body["ai_analysis"] == {}
    assert {i["key"]: i["done"] for i in body["checklist"]} == {
        "required_fields": True,
        "recording_present": True,
        "icp_match": True,
        "consent_captured": True,
        "title": True,
    }
    reviews = (await client.get(f"/api/v1/leads/{lead_id}/reviews", headers=qa)).json()["items"]
    assert [(r["from_status"], r["to_status"], r["reason"]) for r in reviews] == [
        ("new", "under_review", None),
        ("under_review", "approved", "clean"),
    ]
    assert all(r["reviewer_id"] is not None and r["created_at"] for r in reviews)
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    seen = await client.get(f"/api/v1/leads/{lead_id}", headers=manager)
    assert seen.json()["qa_status"] == "approved"


async def test_approval_refused_names_the_missing_items_and_changes_nothing(
    client: httpx.AsyncClient,
    world: World,
    qa: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    lead_id = await world.lead(status="under_review", answers={}, recorded=False)
    before = await _state(sessions)
    response = await _move(client, qa, lead_id, to="approved", checklist={"icp_match": True})
    assert response.status_code == 422
    assert set(response.json()) == SHAPE
    assert {e["field"] for e in response.json()["errors"]} == {
        "checklist.required_fields",
        "checklist.recording_present",
        "checklist.consent_captured",
        "checklist.title",
    }
    assert await _state(sessions) == before  # not even the icp tick was kept


async def test_illegal_transitions_are_409_and_change_nothing(
    client: httpx.AsyncClient,
    world: World,
    qa: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    lead_id = await world.lead()
    before = await _state(sessions)
    for wanted in ("approved", "published", "returned", "new"):
        response = await _move(client, qa, lead_id, to=wanted, reason="r")
        assert response.status_code == 409, response.text
        assert response.json()["code"] == "illegal_transition"
    assert await _state(sessions) == before


async def test_rejected_leads_go_back_for_rework_and_return_to_review(
    client: httpx.AsyncClient, world: World, qa: dict[str, str]
) -> None:
    lead_id = await world.lead(status="under_review")
    no_reason = await _move(client, qa, lead_id, to="rejected")
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "reason"
    for wanted in ("rejected", "returned", "under_review"):
        response = await _move(client, qa, lead_id, to=wanted, reason="wrong title")
        assert response.status_code == 200, response.text
    approved = await _move(client, qa, lead_id, to="approved", checklist=TICKS)
    assert approved.json()["qa_status"] == "approved"
    published = await _move(client, qa, lead_id, to="published")
    assert published.json()["qa_status"] == "published"
    assert (await _move(client, qa, lead_id, to="under_review")).status_code == 409


async def test_bulk_moves_all_or_none_and_lists_the_refused(
    client: httpx.AsyncClient,
    world: World,
    qa: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    ready = [await world.lead(status="under_review") for _ in range(2)]
    for lead_id in ready:
        assert (await _move(client, qa, lead_id, to="rejected", reason="x")).status_code == 200
        await _move(client, qa, lead_id, to="returned", reason="x")
        await _move(client, qa, lead_id, to="under_review", checklist=TICKS)
    unticked, fresh = await world.lead(status="under_review"), await world.lead()
    before = await _state(sessions)
    body = {"ids": [*ready, unticked, fresh], "to": "approved", "reason": "batch"}
    refused = await client.post("/api/v1/leads/bulk", json=body, headers=qa)
    assert refused.status_code == 409
    errors = {e["field"]: e["message"] for e in refused.json()["errors"]}
    assert set(errors) == {f"leads.{unticked}", f"leads.{fresh}"}
    assert "checklist.icp_match" in errors[f"leads.{unticked}"]
    assert "'new' to 'approved'" in errors[f"leads.{fresh}"]
    assert "none moved" in refused.json()["message"]
    assert await _state(sessions) == before

    body["ids"] = [*ready, ready[0]]  # a repeated id counts once
    moved = await client.post("/api/v1/leads/bulk", json=body, headers=qa)
    assert moved.status_code == 200, moved.text
    assert moved.json()["moved"] == 2
    assert {lead["qa_status"] for lead in moved.json()["items"]} == {"approved"}
    trail = (await client.get(f"/api/v1/leads/{ready[0]}/reviews", headers=qa)).json()["items"]
    assert trail[-1]["to_status"] == "approved" and trail[-1]["reason"] == "batch"


async def test_bulk_with_unknown_ids_is_a_422_naming_them(
    client: httpx.AsyncClient,
    world: World,
    qa: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    lead_id = await world.lead()
    before = await _state(sessions)
    body = {"ids": [lead_id, 987654], "to": "under_review"}
    response = await client.post("/api/v1/leads/bulk", json=body, headers=qa)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "ids", "message": "No such leads: 987654."}]
    assert await _state(sessions) == before


async def test_list_filters_and_pages(
    client: httpx.AsyncClient, world: World, qa: dict[str, str], actors: Actors
) -> None:
    other_agent = await actors.user(Role.AGENT)
    day = datetime(2025, 3, 1, tzinfo=UTC)
    old = await world.lead(created_at=day)
    recent = [await world.lead(created_at=day + timedelta(days=10)) for _ in range(3)]
    reviewing = await world.lead(status="under_review", created_at=day + timedelta(days=10))
    async with world.sessions() as session, session.begin():
        other = Campaign(kind="call", name="Other")
        session.add(other)
        await session.flush()
        await session.execute(
            update(Lead).where(Lead.id == reviewing).values(agent_id=other_agent.id)
        )
    elsewhere = await world.lead(campaign_id=other.id)

    async def ids(query: str) -> list[int]:
        response = await client.get(f"/api/v1/leads?{query}", headers=qa)
        assert response.status_code == 200, response.text
        return [lead["id"] for lead in response.json()["items"]]

    assert await ids("qa_status=under_review") == [reviewing]
    assert await ids(f"campaign_id={other.id}") == [elsewhere]
    assert await ids(f"agent_id={other_agent.id}") == [reviewing]
    window = "created_from=2025-03-05T00:00:00Z&created_to=2025-03-20T00:00:00%2B00:00"
    assert await ids(window) == [*recent, reviewing]
    assert await ids("created_to=2025-03-02T00:00:00Z") == [old]
    first = (await client.get("/api/v1/leads?limit=2", headers=qa)).json()
    second = (
        await client.get(f"/api/v1/leads?limit=2&cursor={first['next_cursor']}", headers=qa)
    ).json()
    assert [x["id"] for x in first["items"]] == [old, recent[0]]
    assert [x["id"] for x in second["items"]] == recent[1:]


async def test_list_filters_by_ai_score_and_leaves_unscored_out(
    client: httpx.AsyncClient, world: World, qa: dict[str, str]
) -> None:
    low, mid, high, _unscored = [await world.lead() for _ in range(4)]
    async with world.sessions() as session, session.begin():
        for lead_id, score in ((low, 10), (mid, 50), (high, 90)):
            await session.execute(update(Lead).where(Lead.id == lead_id).values(ai_score=score))

    async def ids(query: str) -> list[int]:
        response = await client.get(f"/api/v1/leads?{query}", headers=qa)
        assert response.status_code == 200, response.text
        return [lead["id"] for lead in response.json()["items"]]

    assert await ids("min_score=50") == [mid, high]
    assert await ids("max_score=50") == [low, mid]
    assert await ids("min_score=11&max_score=89") == [mid]
    rows = (await client.get("/api/v1/leads?min_score=90", headers=qa)).json()["items"]
    assert rows[0]["contact_name"] == "Lead 3" and rows[0]["agent_name"]  # names for the grid
    refused = await client.get("/api/v1/leads?min_score=101", headers=qa)
    assert refused.status_code == 422 and set(refused.json()) == SHAPE


async def test_the_grid_reads_changed_rows_by_id_within_its_filters(
    client: httpx.AsyncClient, world: World, qa: dict[str, str]
) -> None:
    first, _second, third = [await world.lead() for _ in range(3)]
    reviewing = await world.lead(status="under_review")
    query = f"id={third}&id={first}&id={reviewing}&qa_status=new"
    rows = (await client.get(f"/api/v1/leads?{query}", headers=qa)).json()["items"]
    assert [row["id"] for row in rows] == [first, third]  # the second was not asked for
    assert rows[0]["contact_name"] == "Lead 1"
    too_many = "&".join(f"id={i}" for i in range(1, 502))
    refused = await client.get(f"/api/v1/leads?{too_many}", headers=qa)
    assert refused.status_code == 422 and set(refused.json()) == SHAPE


async def test_roles_qa_and_admin_decide_managers_read(
    client: httpx.AsyncClient,
    world: World,
    actors: Actors,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    lead_id = await world.lead()
    org = await actors.client_org("Acme")
    for role in Role:
        headers = await actors.headers_for(role, org.id if role is Role.CLIENT_USER else None)
        read = await client.get("/api/v1/leads", headers=headers)
        detail = await client.get(f"/api/v1/leads/{lead_id}/reviews", headers=headers)
        may_read = role in {Role.ADMIN, Role.QA_ANALYST, Role.CAMPAIGN_MANAGER}
        assert (read.status_code, detail.status_code) == ((200, 200) if may_read else (403, 403))
        if role not in {Role.ADMIN, Role.QA_ANALYST}:
            before = await _state(sessions)
            for response in (
                await _move(client, headers, lead_id, to="under_review"),
                await client.post(
                    "/api/v1/leads/bulk",
                    json={"ids": [lead_id], "to": "under_review"},
                    headers=headers,
                ),
            ):
                assert response.status_code == 403, (role, response.text)
            assert await _state(sessions) == before
    admin = await actors.headers_for(Role.ADMIN)
    assert (await _move(client, admin, lead_id, to="under_review")).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("POST", "/api/v1/leads/{id}/transition", {"to": "approvedish"}),
        ("POST", "/api/v1/leads/{id}/transition", {"to": "under_review", "extra": 1}),
        ("POST", "/api/v1/leads/{id}/transition", {"to": "under_review", "reason": ""}),
        ("POST", "/api/v1/leads/{id}/transition", {"to": "under_review", "reason": "x" * 501}),
        ("POST", "/api/v1/leads/{id}/transition", {"to": "under_review", "checklist": {"a": "y"}}),
        (
            "POST",
            "/api/v1/leads/{id}/transition",
            {"to": "under_review", "checklist": {"zz": True}},
        ),
        ("POST", "/api/v1/leads/{id}/transition", {"to": "under_review", "checklist": []}),
        ("POST", "/api/v1/leads/{id}/transition", ["to", "approved"]),
        ("POST", "/api/v1/leads/987654/transition", {"to": "under_review"}),
        ("POST", "/api/v1/leads/bulk", {"ids": [], "to": "under_review"}),
        ("POST", "/api/v1/leads/bulk", {"ids": ["x"], "to": "under_review"}),
        ("POST", "/api/v1/leads/bulk", {"ids": list(range(501)), "to": "under_review"}),
        ("POST", "/api/v1/leads/bulk", {"ids": [1], "to": "gone"}),
        ("GET", "/api/v1/leads?qa_status=maybe", None),
        ("GET", "/api/v1/leads?created_from=2025-03-01T00:00:00", None),
        ("GET", "/api/v1/leads?created_to=yesterday", None),
        ("GET", "/api/v1/leads?agent_id=abc", None),
        ("GET", "/api/v1/leads?cursor=%%%", None),
        ("GET", "/api/v1/leads/987654", None),
        ("GET", "/api/v1/leads/987654/reviews", None),
        ("GET", "/api/v1/leads/not-a-number", None),
        ("GET", "/api/v1/leads/99999999999999999999", None),
        ("GET", "/api/v1/leads?campaign_id=99999999999999999999", None),
        ("POST", "/api/v1/leads/bulk", {"ids": [10**20], "to": "under_review"}),
    ],
)
async def test_bad_input_gets_the_error_shape_and_changes_nothing(
    client: httpx.AsyncClient,
    world: World,
    qa: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
    method: str,
    path: str,
    payload: object,
) -> None:
    lead_id = await world.lead()
    before = await _state(sessions)
    response = await client.request(
        method, path.replace("{id}", str(lead_id)), json=payload, headers=qa
    )
    assert 400 <= response.status_code < 500, response.text
    assert set(response.json()) == SHAPE
    assert response.json()["status"] == response.status_code
    assert await _state(sessions) == before


async def test_reviewers_deciding_at_once_move_the_lead_once(
    client: httpx.AsyncClient,
    world: World,
    qa: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    lead_id = await world.lead(status="under_review")
    body = {"to": "rejected", "reason": "duplicate"}
    responses = await asyncio.gather(*[_move(client, qa, lead_id, **body) for _ in range(4)])
    assert sorted(r.status_code for r in responses) == [200, 409, 409, 409]
    _, reviews = await _state(sessions)
    assert reviews == 1
