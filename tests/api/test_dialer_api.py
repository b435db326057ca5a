"""Dialer endpoints: who may call them, and a clear 503 while the dialer is switched off."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from actors.gateway import DialerGateway
from engine.roles import Role
from tests.conftest import Actors

CONSOLE = [
    ("GET", "/api/v1/console/state", None),
    ("POST", "/api/v1/console/login", {"campaign_ids": [1]}),
    ("POST", "/api/v1/console/ready", None),
    ("POST", "/api/v1/console/pause", {"reason": "break"}),
    ("POST", "/api/v1/console/disposition", {"code": "busy"}),
]
MONITOR = [("GET", "/api/v1/live/campaigns", None), ("GET", "/api/v1/live/agents", None)]


@pytest.mark.parametrize(("method", "path", "body"), CONSOLE)
async def test_console_is_for_agents(
    client: httpx.AsyncClient, actors: Actors, method: str, path: str, body: object
) -> None:
    for role in (Role.CLIENT_USER, Role.QA_ANALYST, Role.DATA_OPS, Role.CAMPAIGN_MANAGER):
        response = await client.request(
            method, path, json=body, headers=await actors.headers_for(role)
        )
        assert response.status_code == 403, (role, response.text)
    response = await client.request(
        method, path, json=body, headers=await actors.headers_for(Role.AGENT)
    )
    assert response.status_code == 503
    assert response.json()["code"] == "dialer_unavailable"


@pytest.mark.parametrize(("method", "path", "body"), MONITOR)
async def test_monitor_is_for_managers(
    client: httpx.AsyncClient, actors: Actors, method: str, path: str, body: object
) -> None:
    for role in (Role.AGENT, Role.CLIENT_USER, Role.QA_ANALYST):
        response = await client.request(method, path, headers=await actors.headers_for(role))
        assert response.status_code == 403
    response = await client.request(
        method, path, headers=await actors.headers_for(Role.CAMPAIGN_MANAGER)
    )
    assert response.status_code == 503


async def test_campaign_control_checks_input(client: httpx.AsyncClient, actors: Actors) -> None:
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    assert (await client.post("/api/v1/campaigns/1/explode", headers=manager)).status_code == 422
    assert (await client.post("/api/v1/campaigns/999/start", headers=manager)).status_code == 404
    agent = await actors.headers_for(Role.AGENT)
    assert (await client.post("/api/v1/campaigns/1/start", headers=agent)).status_code == 403
    bad = await client.post(
        "/api/v1/console/disposition",
        json={"code": "x", "callback_at": "2026-01-01T10:00:00"},
        headers=agent,
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "callback_at"


async def test_call_campaign_settings_and_audience_are_checked(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    bad_window = {
        "kind": "call",
        "name": "C",
        "settings": {
            "calling_window": {"start": "22:00", "end": "08:00"},
            "wrap_up_seconds": -1,
            "priority": 101,
        },
    }
    response = await client.post("/api/v1/campaigns", json=bad_window, headers=manager)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {
        "settings.calling_window.end",
        "settings.wrap_up_seconds",
        "settings.priority",
    }
    two_sources = {"kind": "call", "name": "C", "audience": {"list_id": 1, "segment_id": 2}}
    assert (
        await client.post("/api/v1/campaigns", json=two_sources, headers=manager)
    ).status_code == 422
    good = {
        "kind": "call",
        "name": "C",
        "audience": {"segment_id": 3},
        "settings": {"retry": {"busy": 5}},
    }
    created = await client.post("/api/v1/campaigns", json=good, headers=manager)
    assert created.status_code == 201, created.text
    assert created.json()["audience"] == {"segment_id": 3}
    url = f"/api/v1/campaigns/{created.json()['id']}"
    assert (
        await client.patch(url, json={"settings": {"retry": {"busy": "soon"}}}, headers=manager)
    ).status_code == 422
    assert (
        await client.patch(url, json={"settings": {"retry": {"busy": 15}}}, headers=manager)
    ).status_code == 200


class OneAgentFloor(DialerGateway):
    """A real gateway answering for a floor with one logged-in agent."""

    def __init__(self, agent_id: int) -> None:
        self.agent_id = agent_id

    async def command(self, method: str, *args: Any, **kwargs: Any) -> Any:
        assert method == "agents_snapshot"
        return [{"agent_id": self.agent_id, "state": "ready", "seconds_in_state": 4.0}]


async def test_live_agents_carry_the_agents_names(
    client: httpx.AsyncClient, actors: Actors, app: FastAPI
) -> None:
    agent = await actors.user(Role.AGENT)
    app.state.dialer = OneAgentFloor(agent.id)
    response = await client.get(
        "/api/v1/live/agents", headers=await actors.headers_for(Role.CAMPAIGN_MANAGER)
    )
    assert response.status_code == 200
    assert response.json() == [
        {"agent_id": agent.id, "state": "ready", "seconds_in_state": 4.0, "name": agent.full_name}
    ]
