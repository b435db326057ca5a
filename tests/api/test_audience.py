"""Accounts and contacts: normalisation, linking, custom fields, uniqueness, pagination."""

import httpx
import pytest

from engine.roles import Role
from tests.conftest import Actors


@pytest.fixture
async def ops(actors: Actors) -> dict[str, str]:
    return await actors.headers_for(Role.DATA_OPS)


async def test_contact_phone_is_e164_email_lowercased_and_account_linked(
    client: httpx.AsyncClient, ops: dict[str, str]
) -> None:
    account = await client.post(
        "/api/v1/accounts",
        json={
            "name": "Acme",
            "domain": "https://WWW.Acme.com/about",
            "main_phone": "(212) 555-0100",
        },
        headers=ops,
    )
    assert account.status_code == 201, account.text
    assert account.json()["domain"] == "acme.com"
    assert account.json()["main_phone_e164"] == "+12125550100"
    contact = await client.post(
        "/api/v1/contacts",
        json={
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "Ada.Lovelace@ACME.com",
            "direct_phone": "020 7946 0958",
            "phone_region": "GB",
        },
        headers=ops,
    )
    assert contact.status_code == 201, contact.text
    body = contact.json()
    assert body["email"] == "ada.lovelace@acme.com"
    assert body["direct_phone_e164"] == "+442079460958"
    assert body["phone_status"] == "valid"
    assert body["account_id"] == account.json()["id"]
    assert body["full_name"] == "Ada Lovelace"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "a@b.com", "direct_phone": "12"}, "direct_phone"),
        ({"email": "a@b.com", "mobile_phone": "+1 555"}, "mobile_phone"),
        ({"email": "a@b.com", "country": "usa"}, "country"),
        ({"email": "a@b.com", "account_id": 987654}, None),
    ],
)
async def test_invalid_contacts_get_field_errors_and_nothing_is_stored(
    client: httpx.AsyncClient, ops: dict[str, str], payload: dict[str, object], field: str | None
) -> None:
    response = await client.post("/api/v1/contacts", json=payload, headers=ops)
    assert 400 <= response.status_code < 500, response.text
    body = response.json()
    assert set(body) == {"status", "code", "message", "errors"}
    if field:
        assert body["errors"][0]["field"] == field
    assert (await client.get("/api/v1/contacts", headers=ops)).json()["items"] == []


async def test_duplicates_are_conflicts(client: httpx.AsyncClient, ops: dict[str, str]) -> None:
    assert (
        await client.post("/api/v1/accounts", json={"name": "A", "domain": "dup.com"}, headers=ops)
    ).status_code == 201
    again = await client.post(
        "/api/v1/accounts", json={"name": "B", "domain": "WWW.DUP.COM"}, headers=ops
    )
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "domain"
    assert (
        await client.post("/api/v1/contacts", json={"email": "x@dup.com"}, headers=ops)
    ).status_code == 201
    assert (
        await client.post("/api/v1/contacts", json={"email": "X@Dup.com"}, headers=ops)
    ).status_code == 409
    assert len((await client.get("/api/v1/accounts", headers=ops)).json()["items"]) == 1


async def test_custom_fields_are_checked_against_definitions(
    client: httpx.AsyncClient, actors: Actors, ops: dict[str, str]
) -> None:
    definition = {
        "entity": "contact",
        "key": "buying_role",
        "label": "Buying role",
        "field_type": "select",
        "options": ["dm", "user"],
        "required": True,
    }
    assert (
        await client.post("/api/v1/custom-fields", json=definition, headers=ops)
    ).status_code == 201
    assert (
        await client.post("/api/v1/custom-fields", json=definition, headers=ops)
    ).status_code == 409
    number = {"entity": "contact", "key": "seats", "label": "Seats", "field_type": "number"}
    assert (await client.post("/api/v1/custom-fields", json=number, headers=ops)).status_code == 201

    missing = await client.post(
        "/api/v1/contacts", json={"email": "a@c.com", "custom_fields": {}}, headers=ops
    )
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "custom_fields.buying_role"
    wrong = await client.post(
        "/api/v1/contacts",
        json={"email": "a@c.com", "custom_fields": {"buying_role": "boss", "seats": "ten", "x": 1}},
        headers=ops,
    )
    assert {e["field"] for e in wrong.json()["errors"]} == {
        "custom_fields.buying_role",
        "custom_fields.seats",
        "custom_fields.x",
    }
    good = await client.post(
        "/api/v1/contacts",
        json={"email": "a@c.com", "custom_fields": {"buying_role": "dm", "seats": 12}},
        headers=ops,
    )
    assert good.status_code == 201
    patched = await client.patch(
        f"/api/v1/contacts/{good.json()['id']}", json={"custom_fields": {"seats": 3}}, headers=ops
    )
    assert patched.status_code == 200
    assert patched.json()["custom_fields"] == {"seats": 3}


async def test_update_and_delete_contact_is_audited(
    client: httpx.AsyncClient, actors: Actors, ops: dict[str, str]
) -> None:
    contact = (await client.post("/api/v1/contacts", json={"email": "z@z.com"}, headers=ops)).json()
    url = f"/api/v1/contacts/{contact['id']}"
    assert (await client.patch(url, json={"direct_phone": "bad"}, headers=ops)).status_code == 422
    assert (await client.get(url, headers=ops)).json()["direct_phone_e164"] is None
    assert (await client.patch(url, json={"job_title": "CTO"}, headers=ops)).json()[
        "job_title"
    ] == "CTO"
    assert (await client.delete(url, headers=ops)).status_code == 204
    assert (await client.get(url, headers=ops)).status_code == 404
    admin = await actors.headers_for(Role.ADMIN)
    entries = (await client.get("/api/v1/audit?action=contact.delete", headers=admin)).json()[
        "items"
    ]
    assert [e["target_id"] for e in entries] == [str(contact["id"])]


async def test_lists_page_with_a_cursor(client: httpx.AsyncClient, ops: dict[str, str]) -> None:
    for n in range(7):
        await client.post(
            "/api/v1/accounts", json={"name": f"Co {n}", "domain": f"co{n}.com"}, headers=ops
        )
    seen, cursor = [], None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/v1/accounts", params=params, headers=ops)).json()
        seen += [a["domain"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"co{n}.com" for n in range(7)]
    filtered = (await client.get("/api/v1/accounts", params={"q": "CO3"}, headers=ops)).json()
    assert [a["domain"] for a in filtered["items"]] == ["co3.com"]
