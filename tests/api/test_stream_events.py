"""Events made by the API processes themselves (QA decisions, analyses) on the live stream:
who receives them, that one request is one message however many leads it moved, and that
they reach the subscribers of every API process through the shared event path."""

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import websockets
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.events import redis_events
from actors.gateway import DialerGateway
from actors.runtime import RayDialer
from api.app import create_app
from config.settings import Settings
from engine.roles import Role
from tests.api.test_leads import World
from tests.api.test_stream import ScriptedEvents
from tests.conftest import Actors
from tests.support.redis import redis_server
from tests.support.server import serve

Batch = list[dict[str, Any]]


class Bus:
    """What Redis or the event hub is to the API processes: every batch published reaches
    every subscription."""

    def __init__(self) -> None:
        self.subscriptions: list[asyncio.Queue[Batch]] = []
        self.published: list[Batch] = []


class OnBus(DialerGateway):
    """One API process's end of the bus."""

    def __init__(self, bus: Bus) -> None:
        self.bus = bus

    async def publish(self, events: Batch) -> bool:
        self.bus.published.append(events)
        for queue in self.bus.subscriptions:
            queue.put_nowait(events)
        return True

    async def events(self) -> AsyncIterator[Batch]:
        queue: asyncio.Queue[Batch] = asyncio.Queue()
        self.bus.subscriptions.append(queue)
        while True:
            yield await queue.get()


async def _token(actors: Actors, role: Role) -> str:
    user = await actors.user(role)
    return actors.headers(user)["Authorization"].removeprefix("Bearer ")


async def _next(socket: Any, within: float = 5) -> Batch:
    return list(json.loads(await asyncio.wait_for(socket.recv(), within)))


async def _quiet(socket: Any) -> bool:
    try:
        await asyncio.wait_for(socket.recv(), 0.3)
    except TimeoutError:
        return True
    return False


async def test_qa_analysts_get_lead_and_qa_job_events_agents_and_data_ops_do_not(
    settings: Settings, actors: Actors
) -> None:
    source = ScriptedEvents()
    tokens = {role: await _token(actors, role) for role in (Role.QA_ANALYST, Role.AGENT)}
    tokens[Role.DATA_OPS] = await _token(actors, Role.DATA_OPS)
    async with serve(create_app(settings, dialer=source)) as host:
        base = f"ws://{host}/api/v1/stream?access_token="
        async with (
            websockets.connect(base + tokens[Role.QA_ANALYST]) as qa,
            websockets.connect(base + tokens[Role.AGENT]) as agent,
            websockets.connect(base + tokens[Role.DATA_OPS]) as data_ops,
        ):
            assert (await _next(qa))[0]["role"] == "qa_analyst"
            await _next(agent), await _next(data_ops)
            changed = {"type": "leads.changed", "ids": [4, 5], "change": "decided"}
            analysed = {"type": "analysis.ended", "id": 4, "status": "done", "link": "#/qa?lead=4"}
            transcribed = {"type": "transcription.ended", "id": 9, "status": "failed"}
            emailed = {"type": "email_campaign.ended", "id": 2, "status": "completed"}
            given_up = {"type": "webhook.ended", "id": 3, "status": "failed"}
            campaign = {"type": "campaign", "campaign_id": 1}
            await source.batches.put([campaign, changed, analysed, emailed, transcribed, given_up])
            assert await _next(qa) == [changed, analysed, transcribed]
            assert await _quiet(agent) and await _quiet(data_ops)


async def test_a_bulk_decision_is_one_message_in_every_api_process(
    settings: Settings, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Two API processes on one bus: a decision made through the first reaches a QA
    analyst watching the second (and one watching the first, once: not also locally)."""
    agent = await actors.user(Role.AGENT)
    world = await World(sessions, agent.id).setup()
    ids = [await world.lead() for _ in range(30)]
    reviewer = await actors.user(Role.QA_ANALYST)
    headers = actors.headers(reviewer)
    token = headers["Authorization"].removeprefix("Bearer ")
    bus = Bus()
    async with (
        serve(create_app(settings, dialer=OnBus(bus))) as first,
        serve(create_app(settings, dialer=OnBus(bus))) as second,
        websockets.connect(f"ws://{first}/api/v1/stream?access_token={token}") as here,
        websockets.connect(f"ws://{second}/api/v1/stream?access_token={token}") as there,
        httpx.AsyncClient(base_url=f"http://{first}", headers=headers) as http,
    ):
        await _next(here), await _next(there)
        moved = await http.post("/api/v1/leads/bulk", json={"ids": ids, "to": "under_review"})
        assert moved.status_code == 200, moved.text
        expected = [{"type": "leads.changed", "ids": ids, "change": "decided"}]
        assert await _next(here) == expected
        assert await _next(there) == expected
        assert await _quiet(here)  # not a second copy from the process's own fan-out
        single = await http.post(f"/api/v1/leads/{ids[0]}/transition", json={"to": "approved"})
        assert single.status_code == 422  # the checklist is not ticked: nothing changed
        assert await _quiet(there)
    assert len(bus.published) == 1


async def test_an_analysis_end_is_announced_with_its_score_and_lead(
    settings: Settings, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    agent = await actors.user(Role.AGENT)
    world = await World(sessions, agent.id).setup()
    lead_id = await world.lead()
    reviewer = await actors.user(Role.QA_ANALYST)
    headers = actors.headers(reviewer)
    token = headers["Authorization"].removeprefix("Bearer ")
    async with (
        serve(create_app(settings)) as host,
        websockets.connect(f"ws://{host}/api/v1/stream?access_token={token}") as socket,
        httpx.AsyncClient(base_url=f"http://{host}", headers=headers) as http,
    ):
        await _next(socket)
        started = await http.post(f"/api/v1/leads/{lead_id}/analysis")
        assert started.status_code == 202, started.text
        ended, changed = await _next(socket)
        score = (await http.get(f"/api/v1/leads/{lead_id}")).json()["ai_score"]
    assert ended == {
        "type": "analysis.ended",
        "id": lead_id,
        "lead_id": lead_id,
        "status": "done",
        "score": score,
        "message": f"Lead #{lead_id} scored {score}.",
        "link": f"#/qa?lead={lead_id}",
    }
    assert changed == {"type": "leads.changed", "ids": [lead_id], "change": "scored"}


async def test_the_ray_dialer_publishes_through_redis_to_every_subscriber(
    settings: Settings,
) -> None:
    """With Redis configured an API process's events take the hosts' path (no Ray needed)."""
    with redis_server() as url:
        dialer = RayDialer(settings.model_copy(update={"redis_url": url}))
        received = redis_events(url)
        first = asyncio.ensure_future(anext(received))
        await asyncio.sleep(0.2)  # subscribed
        assert await dialer.publish([{"type": "leads.changed", "ids": [1]}])
        assert await asyncio.wait_for(first, 5) == [{"type": "leads.changed", "ids": [1]}]
        await received.aclose()
        await dialer.close()
