"""Bad input gets a 4xx in the error shape, never a 500, and changes nothing."""

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.roles import Role
from store.models import Account, Campaign, Contact, Order
from tests.conftest import Actors

SHAPE = {"status", "code", "message", "errors"}


async def _rows(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, ...]:
    async with sessions() as session:
        return tuple(
            [
                int(await session.scalar(select(func.count()).select_from(m)) or 0)
                for m in (Account, Contact, Campaign, Order)
            ]
        )


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("POST", "/api/v1/accounts", {"name": 42}),
        ("POST", "/api/v1/accounts", {"name": "A", "staff_count": "many"}),
        ("POST", "/api/v1/accounts", {"name": "A", "hacker": True}),
        ("POST", "/api/v1/accounts", {"name": ""}),
        ("POST", "/api/v1/accounts", {"name": "A", "domain": "not a domain"}),
        ("POST", "/api/v1/accounts", {"name": "A", "linkedin_url": "javascript:alert(1)"}),
        ("POST", "/api/v1/accounts", ["not", "an", "object"]),
        ("POST", "/api/v1/contacts", {"email": "a@b.com", "consent_at": "yesterday"}),
        ("POST", "/api/v1/contacts", {"email": "a@b.com", "consent_basis": "vibes"}),
        ("POST", "/api/v1/campaigns", {"kind": "fax", "name": "C"}),
        ("PATCH", "/api/v1/accounts/1", {"name": None, "extra": 1}),
        ("GET", "/api/v1/accounts?limit=0", None),
        ("GET", "/api/v1/accounts?limit=abc", None),
        ("GET", "/api/v1/accounts?cursor=%%%", None),
        ("GET", "/api/v1/accounts/not-a-number", None),
        ("GET", "/api/v1/accounts/99999999999999999999", None),
        ("POST", "/api/v1/contacts", {"email": "a@b.com", "account_id": 2**70}),
        ("DELETE", "/api/v1/contacts/424242", None),
    ],
)
async def test_bad_requests_get_the_error_shape(
    client: httpx.AsyncClient,
    actors: Actors,
    sessions: async_sessionmaker[AsyncSession],
    method: str,
    path: str,
    payload: object,
) -> None:
    headers = await actors.headers_for(Role.ADMIN)
    before = await _rows(sessions)
    response = await client.request(method, path, json=payload, headers=headers)
    assert 400 <= response.status_code < 500, response.text
    assert set(response.json()) == SHAPE
    assert response.json()["status"] == response.status_code
    assert await _rows(sessions) == before


async def test_malformed_json_is_a_422(client: httpx.AsyncClient, actors: Actors) -> None:
    headers = await actors.headers_for(Role.ADMIN) | {"Content-Type": "application/json"}
    response = await client.post("/api/v1/accounts", content=b"{name: oops", headers=headers)
    assert response.status_code == 422
    assert set(response.json()) == SHAPE


async def test_oversize_bodies_are_refused_before_parsing(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    headers = await actors.headers_for(Role.ADMIN)
    big = {"name": "A", "description": "x" * 2_000_000}
    response = await client.post("/api/v1/accounts", json=big, headers=headers)
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert await _rows(sessions) == (0, 0, 0, 0)


async def test_unknown_routes_and_methods_use_the_shape(client: httpx.AsyncClient) -> None:
    for method, path, status in (("GET", "/api/v1/nothing", 404), ("PUT", "/api/v1/health", 405)):
        response = await client.request(method, path)
        assert response.status_code == status
        assert set(response.json()) == SHAPE
