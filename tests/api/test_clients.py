"""Staff list the client organisations by name (to pick one for a user or an API key)."""

import httpx

from engine.roles import Role
from tests.conftest import Actors


async def test_staff_list_clients_by_name_page_by_page(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    for name in ("Globex", "Acme", "Initech"):
        await actors.client_org(name)
    headers = await actors.headers_for(Role.AGENT)

    first = await client.get("/api/v1/clients?limit=2", headers=headers)
    assert first.status_code == 200, first.text
    assert [c["name"] for c in first.json()["items"]] == ["Acme", "Globex"]
    assert set(first.json()["items"][0]) == {"id", "name", "created_at"}
    cursor = first.json()["next_cursor"]
    rest = await client.get("/api/v1/clients", params={"cursor": cursor}, headers=headers)
    assert rest.json() == {"items": [rest.json()["items"][0]], "next_cursor": None}
    assert rest.json()["items"][0]["name"] == "Initech"


async def test_client_users_may_not_list_other_organisations(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    acme = await actors.client_org("Acme")
    headers = await actors.headers_for(Role.CLIENT_USER, acme.id)
    answer = await client.get("/api/v1/clients", headers=headers)
    assert answer.status_code == 403
    assert answer.json()["code"] == "forbidden"


async def test_a_forged_cursor_is_a_field_error(client: httpx.AsyncClient, actors: Actors) -> None:
    headers = await actors.headers_for(Role.ADMIN)
    answer = await client.get("/api/v1/clients?cursor=bm90LWpzb24", headers=headers)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "cursor"
