"""Sign-in, refresh rotation with reuse detection, rate limits, API keys, audit."""

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.roles import Role
from store.models import AuditEntry, User
from tests.conftest import Actors

PASSWORD = "pw-123456789"


async def _login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return await client.post("/api/v1/auth/login", json={"email": email, "password": password})


async def _audit_count(sessions: async_sessionmaker[AsyncSession], action: str) -> int:
    async with sessions() as session:
        query = select(func.count()).where(AuditEntry.action == action)
        return int(await session.scalar(query) or 0)


async def test_login_returns_tokens_that_work(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    user = await actors.user(Role.AGENT)
    response = await _login(client, user.email.upper())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user"]["role"] == "agent"
    me = await client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.json()["email"] == user.email
    assert await _audit_count(sessions, "auth.login") == 1


async def test_wrong_password_is_refused_and_audited(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    user = await actors.user(Role.AGENT)
    response = await _login(client, user.email, "nope-nope-nope")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    unknown = await _login(client, "ghost@test.pivotal.dev")
    assert unknown.status_code == 401
    assert await _audit_count(sessions, "auth.login_failed") == 2


async def test_login_is_rate_limited_per_account(client: httpx.AsyncClient, actors: Actors) -> None:
    user = await actors.user(Role.AGENT)
    for _ in range(5):
        assert (await _login(client, user.email, "wrong-password")).status_code == 401
    locked = await _login(client, user.email)
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    other = await actors.user(Role.AGENT)
    assert (await _login(client, other.email)).status_code == 200


async def test_login_is_rate_limited_per_ip(client: httpx.AsyncClient, actors: Actors) -> None:
    user = await actors.user(Role.AGENT)
    statuses = [(await _login(client, f"x{n}@test.pivotal.dev")).status_code for n in range(20)]
    assert set(statuses) == {401}
    assert (await _login(client, user.email)).status_code == 429


async def test_refresh_rotates_and_a_replayed_token_revokes_the_family(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    user = await actors.user(Role.QA_ANALYST)
    first = (await _login(client, user.email)).json()
    second = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert second.status_code == 200
    rotated = second.json()["refresh_token"]
    assert rotated != first["refresh_token"]
    replay = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert replay.status_code == 401
    # The thief's replay also kills the token the legitimate holder got.
    after = await client.post("/api/v1/auth/refresh", json={"refresh_token": rotated})
    assert after.status_code == 401


async def test_logout_revokes_the_refresh_token(client: httpx.AsyncClient, actors: Actors) -> None:
    user = await actors.user(Role.AGENT)
    pair = (await _login(client, user.email)).json()
    assert (
        await client.post("/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]})
    ).status_code == 204
    again = await client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert again.status_code == 401


async def test_bad_tokens_are_refused(client: httpx.AsyncClient) -> None:
    for header in ("Bearer nope", "Basic abc", ""):
        response = await client.get("/api/v1/contacts", headers={"Authorization": header})
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"


async def test_api_keys_are_hashed_scoped_and_revocable(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    admin = await actors.headers_for(Role.ADMIN)
    created = await client.post(
        "/api/v1/api-keys", json={"name": "crm sync", "role": "data_ops"}, headers=admin
    )
    assert created.status_code == 201, created.text
    secret, key_id = created.json()["secret"], created.json()["id"]
    listed = (await client.get("/api/v1/api-keys", headers=admin)).json()["items"]
    assert all("secret" not in k for k in listed)
    key = {"X-API-Key": secret}
    assert (await client.get("/api/v1/contacts", headers=key)).status_code == 200
    assert (await client.get("/api/v1/api-keys", headers=key)).status_code == 403
    assert (await client.delete(f"/api/v1/api-keys/{key_id}", headers=admin)).status_code == 204
    assert (await client.get("/api/v1/contacts", headers=key)).status_code == 401
    assert await _audit_count(sessions, "api_key.revoke") == 1


async def test_inactive_users_cannot_sign_in_or_use_tokens(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    user = await actors.user(Role.AGENT)
    headers = actors.headers(user)
    async with sessions() as session, session.begin():
        (await session.get_one(User, user.id)).is_active = False
    assert (await _login(client, user.email)).status_code == 401
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 401
