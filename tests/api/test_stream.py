"""The live stream: who receives which events, over WebSocket and SSE, on a real server."""

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import websockets

from actors.gateway import DialerGateway
from api.app import create_app
from config.settings import Settings
from engine.roles import Role
from tests.conftest import Actors
from tests.support.server import serve


class ScriptedEvents(DialerGateway):
    """A dialer gateway that emits the batches a test hands it (the real fan-out runs)."""

    def __init__(self) -> None:
        self.batches: asyncio.Queue[list[dict[str, Any]]] = asyncio.Queue()

    async def events(self) -> AsyncIterator[list[dict[str, Any]]]:
        while True:
            yield await self.batches.get()


async def _token(actors: Actors, role: Role) -> tuple[int, str]:
    user = await actors.user(role)
    header = actors.headers(user)["Authorization"]
    return user.id, header.removeprefix("Bearer ")


async def _next(socket: Any) -> list[dict[str, Any]]:
    return list(json.loads(await asyncio.wait_for(socket.recv(), 5)))


async def test_agents_see_their_own_events_and_managers_see_all(
    settings: Settings, actors: Actors
) -> None:
    source = ScriptedEvents()
    agent_id, agent_token = await _token(actors, Role.AGENT)
    _, manager_token = await _token(actors, Role.CAMPAIGN_MANAGER)
    _, data_ops_token = await _token(actors, Role.DATA_OPS)
    async with serve(create_app(settings, dialer=source)) as host:
        base = f"ws://{host}/api/v1/stream?access_token="
        async with (
            websockets.connect(base + agent_token) as agent,
            websockets.connect(base + manager_token) as manager,
            websockets.connect(base + data_ops_token) as data_ops,
        ):
            assert (await _next(agent))[0]["type"] == "hello"
            assert (await _next(manager))[0]["role"] == "campaign_manager"
            assert (await _next(data_ops))[0]["role"] == "data_ops"
            mine = {"type": "agent", "agent_id": agent_id, "state": "ready"}
            other = {"type": "agent", "agent_id": agent_id + 1000, "state": "paused"}
            campaign = {"type": "campaign", "campaign_id": 1, "dials": 3}
            progress = {"type": "import.progress", "import_id": 4, "status": "running"}
            await source.batches.put([other, mine, campaign, progress])
            assert await _next(agent) == [mine]
            assert await _next(manager) == [other, mine, campaign, progress]
            assert await _next(data_ops) == [progress]  # imports only


@pytest.mark.parametrize(("role", "code"), [(Role.CLIENT_USER, 4403), (None, 4401)])
async def test_the_stream_refuses_other_callers(
    settings: Settings, actors: Actors, role: Role | None, code: int
) -> None:
    token = (await _token(actors, role))[1] if role else "not-a-token"
    async with (
        serve(create_app(settings, dialer=ScriptedEvents())) as host,
        websockets.connect(f"ws://{host}/api/v1/stream?access_token={token}") as socket,
    ):
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await socket.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == code


async def test_server_sent_events_carry_the_same_batches(
    settings: Settings, actors: Actors
) -> None:
    source = ScriptedEvents()
    _, token = await _token(actors, Role.ADMIN)
    auth = {"Authorization": f"Bearer {token}"}
    async with (
        serve(create_app(settings, dialer=source)) as host,
        httpx.AsyncClient() as http,
        http.stream("GET", f"http://{host}/api/v1/stream/sse", headers=auth) as response,
    ):
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = response.aiter_lines()
        assert await anext(lines) == "event: hello"
        await source.batches.put([{"type": "campaign", "campaign_id": 7}])
        data = [line async for line in _until_data(lines)]
        assert json.loads(data[0].removeprefix("data: ")) == [
            {"type": "campaign", "campaign_id": 7}
        ]


async def _until_data(lines: AsyncIterator[str]) -> AsyncIterator[str]:
    async for line in lines:
        if line.startswith("data: ") and line != "data: {}":
            yield line
            return


async def test_data_ops_see_only_import_progress(settings: Settings, actors: Actors) -> None:
    source = ScriptedEvents()
    _, token = await _token(actors, Role.DATA_OPS)
    async with (
        serve(create_app(settings, dialer=source)) as host,
        websockets.connect(f"ws://{host}/api/v1/stream?access_token={token}") as socket,
    ):
        assert (await _next(socket))[0]["role"] == "data_ops"
        progress = {"type": "import.progress", "import_id": 3, "rows_done": 10}
        agent = {"type": "agent", "agent_id": 1, "state": "ready"}
        await source.batches.put([agent, {"type": "campaign", "campaign_id": 1}])
        await source.batches.put([agent, progress])
        assert await _next(socket) == [progress]
