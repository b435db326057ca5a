"""Each role reaches exactly what it should; a client never learns another client's data."""

import httpx
import pytest

from engine.roles import Role
from tests.conftest import Actors
from tests.support.orders import ready_draft

OK, FORBIDDEN = "ok", 403

# (method, path, body) → roles that may call it. Everything else gets 403.
ENDPOINTS: list[tuple[str, str, dict[str, object] | None, set[Role]]] = [
    (
        "GET",
        "/api/v1/accounts",
        None,
        {Role.ADMIN, Role.CAMPAIGN_MANAGER, Role.DATA_OPS, Role.QA_ANALYST, Role.AGENT},
    ),
    (
        "POST",
        "/api/v1/accounts",
        {"name": "Acme", "domain": "acme-{n}.com"},
        {Role.ADMIN, Role.CAMPAIGN_MANAGER, Role.DATA_OPS},
    ),
    (
        "GET",
        "/api/v1/contacts",
        None,
        {Role.ADMIN, Role.CAMPAIGN_MANAGER, Role.DATA_OPS, Role.QA_ANALYST, Role.AGENT},
    ),
    (
        "POST",
        "/api/v1/contacts",
        {"email": "p{n}@acme.com"},
        {Role.ADMIN, Role.CAMPAIGN_MANAGER, Role.DATA_OPS},
    ),
    (
        "GET",
        "/api/v1/custom-fields",
        None,
        {Role.ADMIN, Role.CAMPAIGN_MANAGER, Role.DATA_OPS, Role.QA_ANALYST, Role.AGENT},
    ),
    (
        "GET",
        "/api/v1/audience/fields",
        None,
        {Role.ADMIN, Role.CAMPAIGN_MANAGER, Role.DATA_OPS, Role.QA_ANALYST, Role.AGENT},
    ),
    (
        "GET",
        "/api/v1/campaigns",
        None,
        {Role.ADMIN, Role.CAMPAIGN_MANAGER, Role.DATA_OPS, Role.QA_ANALYST, Role.AGENT},
    ),
    (
        "POST",
        "/api/v1/campaigns",
        {"kind": "call", "name": "C{n}"},
        {Role.ADMIN, Role.CAMPAIGN_MANAGER},
    ),
    ("GET", "/api/v1/orders", None, {Role.ADMIN, Role.CAMPAIGN_MANAGER}),
    ("GET", "/api/v1/client/orders", None, {Role.CLIENT_USER}),
    (
        "GET",
        "/api/v1/reports/telemarketing",
        None,
        {Role.ADMIN, Role.CAMPAIGN_MANAGER, Role.QA_ANALYST},
    ),
    ("POST", "/api/v1/client/orders", {"title": "O{n}", "kind": "email"}, {Role.CLIENT_USER}),
    ("GET", "/api/v1/api-keys", None, {Role.ADMIN}),
    ("GET", "/api/v1/audit", None, {Role.ADMIN}),
    ("GET", "/api/v1/users", None, {Role.ADMIN}),
    ("GET", "/api/v1/clients", None, set(Role) - {Role.CLIENT_USER}),
    ("POST", "/api/v1/clients", {"name": "Client {n}"}, {Role.ADMIN}),
    (
        "POST",
        "/api/v1/users",
        {
            "email": "u{n}@x-corp.com",
            "full_name": "U",
            "password": "long-enough-pw",
            "role": "agent",
        },
        {Role.ADMIN},
    ),
]


def _fill(body: dict[str, object] | None, n: int) -> dict[str, object] | None:
    if body is None:
        return None
    return {k: v.replace("{n}", str(n)) if isinstance(v, str) else v for k, v in body.items()}


async def test_every_role_reaches_exactly_its_endpoints(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    org = await actors.client_org("Acme")
    headers = {
        role: await actors.headers_for(role, org.id if role is Role.CLIENT_USER else None)
        for role in Role
    }
    n = 0
    for method, path, body, allowed in ENDPOINTS:
        for role in Role:
            n += 1
            response = await client.request(
                method, path, json=_fill(body, n), headers=headers[role]
            )
            expected_ok = role in allowed
            assert (response.status_code < 300) == expected_ok, (method, path, role, response.text)
            if not expected_ok:
                assert response.status_code == FORBIDDEN
                assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize(
    "path", ["/api/v1/contacts", "/api/v1/client/orders", "/api/v1/orders", "/api/v1/clients"]
)
async def test_anonymous_callers_get_401(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 401
    assert set(response.json()) == {"status", "code", "message", "errors"}


async def test_client_users_see_only_their_own_orders(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    acme, globex = await actors.client_org("Acme"), await actors.client_org("Globex")
    acme_user = await actors.headers_for(Role.CLIENT_USER, acme.id)
    globex_user = await actors.headers_for(Role.CLIENT_USER, globex.id)
    created = await client.post(
        "/api/v1/client/orders", json={"title": "Acme Q1", "kind": "combo"}, headers=acme_user
    )
    order_id = created.json()["id"]

    assert (
        await client.get(f"/api/v1/client/orders/{order_id}", headers=acme_user)
    ).status_code == 200
    for method, suffix in (("GET", ""), ("PATCH", ""), ("POST", "/submit")):
        response = await client.request(
            method,
            f"/api/v1/client/orders/{order_id}{suffix}",
            json={"title": "stolen"} if method == "PATCH" else None,
            headers=globex_user,
        )
        assert response.status_code == 404, (method, response.text)
        assert response.json()["message"] == "Order not found."
    missing = await client.get("/api/v1/client/orders/999999", headers=globex_user)
    assert (
        missing.json()
        == (await client.get(f"/api/v1/client/orders/{order_id}", headers=globex_user)).json()
    )
    listed = (await client.get("/api/v1/client/orders", headers=globex_user)).json()
    assert listed["items"] == []
    staff = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    assert (await client.get(f"/api/v1/orders/{order_id}", headers=staff)).status_code == 200


async def test_client_order_submit_needs_compliance_and_is_final(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    org = await actors.client_org("Acme")
    user = await actors.headers_for(Role.CLIENT_USER, org.id)
    url = await ready_draft(client, user)
    await client.patch(url, json={"compliance_confirmed": False}, headers=user)
    refused = await client.post(f"{url}/submit", headers=user)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["compliance_confirmed"]
    await client.patch(url, json={"compliance_confirmed": True}, headers=user)
    assert (await client.post(f"{url}/submit", headers=user)).json()["status"] == "submitted"
    assert (await client.patch(url, json={"title": "late"}, headers=user)).status_code == 409
