"""The admin's read-only view of the running settings: secrets never leave the server."""

import httpx
from fastapi import FastAPI

from engine.roles import Role
from tests.conftest import Actors


async def test_admins_see_settings_with_secrets_masked(
    app: FastAPI, client: httpx.AsyncClient, actors: Actors
) -> None:
    app.state.settings = app.state.settings.model_copy(
        update={
            "redis_url": "redis://user:hunter2@cache:6379/0",
            "openai_api_key": "sk-live-123",
            "telnyx_public_key": "cHVibGlj",
            "ice_servers": [{"urls": "turn:t:3478", "username": "u", "credential": "pw-9"}],
        }
    )
    found = await client.get("/api/v1/admin/settings", headers=await actors.headers_for(Role.ADMIN))
    assert found.status_code == 200
    shown = {row["name"]: row for row in found.json()}
    assert shown["PIVOTAL_SECRET_KEY"] == {
        "name": "PIVOTAL_SECRET_KEY",
        "value": "set",
        "secret": True,
    }
    assert shown["PIVOTAL_OPENAI_API_KEY"]["value"] == "set"
    assert shown["PIVOTAL_ASSEMBLYAI_API_KEY"]["value"] == "not set"
    assert shown["PIVOTAL_REDIS_URL"]["value"] == "redis://user:***@cache:6379/0"
    assert shown["PIVOTAL_TELNYX_PUBLIC_KEY"]["value"] == "cHVibGlj"  # public, shown
    assert shown["PIVOTAL_CARRIER"]["value"] == "simulated"
    assert shown["PIVOTAL_ICE_SERVERS"]["value"] == [
        {"urls": "turn:t:3478", "username": "u", "credential": "set"}
    ]
    for secret in ("hunter2", "sk-live-123", "pw-9"):
        assert secret not in found.text


async def test_only_admins(client: httpx.AsyncClient, actors: Actors) -> None:
    for role in (Role.CAMPAIGN_MANAGER, Role.DATA_OPS, Role.CLIENT_USER):
        headers = await actors.headers_for(role)
        assert (await client.get("/api/v1/admin/settings", headers=headers)).status_code == 403
