"""Client organisations: staff list and read them; admins onboard, rename and (de)activate
them, audited; a deactivated client's users and API keys stop working until reactivated."""

import asyncio

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.roles import Role
from store.models import AuditEntry, Campaign, Order
from tests.conftest import Actors

PASSWORD = "pw-123456789"


async def _audit(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[str, str | None]]:
    async with sessions() as session:
        query = select(AuditEntry.action, AuditEntry.target_id).where(
            AuditEntry.action.startswith("client.")
        )
        return [(action, target) for action, target in (await session.execute(query)).all()]


async def test_staff_list_clients_by_name_page_by_page(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    for name in ("Globex", "Acme", "Initech"):
        await actors.client_org(name)
    headers = await actors.headers_for(Role.AGENT)

    first = await client.get("/api/v1/clients?limit=2", headers=headers)
    assert first.status_code == 200, first.text
    assert [c["name"] for c in first.json()["items"]] == ["Acme", "Globex"]
    assert {"id", "name", "created_at", "is_active"} <= set(first.json()["items"][0])
    cursor = first.json()["next_cursor"]
    rest = await client.get("/api/v1/clients", params={"cursor": cursor}, headers=headers)
    assert rest.json() == {"items": [rest.json()["items"][0]], "next_cursor": None}
    assert rest.json()["items"][0]["name"] == "Initech"


async def test_the_list_filters_by_a_piece_of_the_name(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    for name in ("Globex", "Acme", "Acme_Labs", "AcmeXLabs"):
        await actors.client_org(name)
    headers = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    found = await client.get("/api/v1/clients", params={"q": "ACME_"}, headers=headers)
    assert [c["name"] for c in found.json()["items"]] == ["Acme_Labs"]  # `_` is no wildcard


async def test_client_users_may_not_list_or_read_organisations(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    acme = await actors.client_org("Acme")
    headers = await actors.headers_for(Role.CLIENT_USER, acme.id)
    for path in ("/api/v1/clients", f"/api/v1/clients/{acme.id}"):
        answer = await client.get(path, headers=headers)
        assert answer.status_code == 403
        assert answer.json()["code"] == "forbidden"


async def test_a_forged_cursor_is_a_field_error(client: httpx.AsyncClient, actors: Actors) -> None:
    headers = await actors.headers_for(Role.ADMIN)
    answer = await client.get("/api/v1/clients?cursor=bm90LWpzb24", headers=headers)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "cursor"


async def test_an_admin_onboards_a_client_and_reads_its_counts(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    admin = await actors.headers_for(Role.ADMIN)
    body = {"name": "  Initech  ", "contact_email": " Ops@Initech.example "}
    created = await client.post("/api/v1/clients", json=body, headers=admin)
    assert created.status_code == 201, created.text
    made = created.json()
    assert made["name"] == "Initech"
    assert made["contact_email"] == "ops@initech.example"
    assert (made["is_active"], made["user_count"], made["order_count"]) == (True, 0, 0)

    await actors.user(Role.CLIENT_USER, made["id"])
    async with sessions() as session, session.begin():
        session.add(Order(client_id=made["id"], title="Q1 push", kind="email"))
        session.add(Campaign(client_id=made["id"], kind="call", name="Q1 calls"))
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    read = await client.get(f"/api/v1/clients/{made['id']}", headers=manager)
    assert read.status_code == 200, read.text
    counts = [read.json()[k] for k in ("user_count", "order_count", "campaign_count")]
    assert counts == [1, 1, 1]
    assert await _audit(sessions) == [("client.create", str(made["id"]))]


async def test_names_are_required_trimmed_bounded_and_emails_checked(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    admin = await actors.headers_for(Role.ADMIN)
    for body, field in [
        ({}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Acme", "contact_email": "not an email"}, "contact_email"),
        ({"name": "Acme", "colour": "red"}, "colour"),
    ]:
        answer = await client.post("/api/v1/clients", json=body, headers=admin)
        assert answer.status_code == 422, (body, answer.text)
        assert [e["field"] for e in answer.json()["errors"]] == [field], body
    assert (
        await client.post("/api/v1/clients", json={"name": "x" * 200}, headers=admin)
    ).is_success


async def test_a_name_taken_whatever_its_case_is_a_field_conflict(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    await actors.client_org("Acme")
    globex = await actors.client_org("Globex")
    admin = await actors.headers_for(Role.ADMIN)
    taken = await client.post("/api/v1/clients", json={"name": "ACME"}, headers=admin)
    assert taken.status_code == 409, taken.text
    assert taken.json()["errors"] == [
        {"field": "name", "message": "A client with this name already exists."}
    ]
    renamed = await client.patch(
        f"/api/v1/clients/{globex.id}", json={"name": "acme"}, headers=admin
    )
    assert renamed.status_code == 409
    assert renamed.json()["errors"][0]["field"] == "name"
    listed = await client.get("/api/v1/clients", headers=admin)
    assert [c["name"] for c in listed.json()["items"]] == ["Acme", "Globex"]


async def test_two_concurrent_creates_of_one_name_make_one_client(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    admin = await actors.headers_for(Role.ADMIN)
    answers = await asyncio.gather(
        *(
            client.post("/api/v1/clients", json={"name": name}, headers=admin)
            for name in ("Umbrella", "UMBRELLA", "umbrella")
        )
    )
    assert sorted(a.status_code for a in answers) == [201, 409, 409], [a.text for a in answers]
    listed = await client.get("/api/v1/clients", params={"q": "umbrella"}, headers=admin)
    assert len(listed.json()["items"]) == 1


async def test_rename_and_contact_changes_are_audited(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    acme = await actors.client_org("Acme")
    admin = await actors.headers_for(Role.ADMIN)
    path = f"/api/v1/clients/{acme.id}"
    body = {"name": " Acme Corp ", "contact_email": "a@acme.example"}
    renamed = await client.patch(path, json=body, headers=admin)
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["name"], renamed.json()["contact_email"]) == (
        "Acme Corp",
        "a@acme.example",
    )
    cleared = await client.patch(path, json={"contact_email": None}, headers=admin)
    assert cleared.json()["contact_email"] is None
    for bad in ({"name": None}, {"is_active": None}, {"name": ""}):
        answer = await client.patch(path, json=bad, headers=admin)
        assert answer.status_code == 422, (bad, answer.text)
    missing = await client.patch("/api/v1/clients/999999", json={"name": "X"}, headers=admin)
    assert missing.status_code == 404
    assert [a for a, _ in await _audit(sessions)] == [
        "client.rename",
        "client.contact_email",
        "client.contact_email",
    ]


async def test_a_deactivated_clients_users_and_keys_stop_working_until_reactivated(
    client: httpx.AsyncClient, actors: Actors, sessions: async_sessionmaker[AsyncSession]
) -> None:
    acme, globex = await actors.client_org("Acme"), await actors.client_org("Globex")
    user, other = (
        await actors.user(Role.CLIENT_USER, acme.id),
        await actors.user(Role.CLIENT_USER, globex.id),
    )
    admin = await actors.headers_for(Role.ADMIN)
    signed_in = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    tokens = signed_in.json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    key_body = {"name": "acme sync", "role": "client_user", "client_id": acme.id}
    key = {
        "X-API-Key": (await client.post("/api/v1/api-keys", json=key_body, headers=admin)).json()[
            "secret"
        ]
    }

    async def works() -> list[int]:
        """Sign-in, a refresh (of a fresh sign-in's token when there is one), the old access
        token and the client's API key."""
        login = await client.post(
            "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
        )
        spare = login.json()["refresh_token"] if login.is_success else tokens["refresh_token"]
        refresh = await client.post("/api/v1/auth/refresh", json={"refresh_token": spare})
        return [
            login.status_code,
            refresh.status_code,
            (await client.get("/api/v1/client/orders", headers=bearer)).status_code,
            (await client.get("/api/v1/client/orders", headers=key)).status_code,
        ]

    untried = (
        await client.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    ).json()["refresh_token"]
    path = f"/api/v1/clients/{acme.id}"
    off = await client.patch(path, json={"is_active": False}, headers=admin)
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert await works() == [401, 401, 401, 401]
    other_user = actors.headers(other)
    assert (await client.get("/api/v1/client/orders", headers=other_user)).status_code == 200
    listed = await client.get("/api/v1/clients", headers=admin)
    assert [(c["name"], c["is_active"]) for c in listed.json()["items"]] == [
        ("Acme", False),
        ("Globex", True),
    ]

    on = await client.patch(path, json={"is_active": True}, headers=admin)
    assert on.json()["is_active"] is True
    assert await works() == [200, 200, 200, 200]
    # the deactivation ended every session: a refresh token nobody used meanwhile is void
    stale = await client.post("/api/v1/auth/refresh", json={"refresh_token": untried})
    assert stale.status_code == 401
    assert [a for a, _ in await _audit(sessions)] == ["client.deactivate", "client.reactivate"]


async def test_campaign_managers_read_but_may_not_write(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    acme = await actors.client_org("Acme")
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    assert (await client.get(f"/api/v1/clients/{acme.id}", headers=manager)).status_code == 200
    assert (await client.get("/api/v1/clients/999999", headers=manager)).status_code == 404
    for answer in (
        await client.post("/api/v1/clients", json={"name": "New"}, headers=manager),
        await client.patch(f"/api/v1/clients/{acme.id}", json={"name": "X"}, headers=manager),
    ):
        assert answer.status_code == 403
        assert answer.json()["code"] == "forbidden"
