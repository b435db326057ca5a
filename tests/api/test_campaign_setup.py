"""Campaign set-up writes: script versions, questions, dispositions with queue rules, caller
ID; and the admin reads behind the admin screens: users, role changes, the audit filters."""

from datetime import UTC, datetime, timedelta

import httpx

from engine.roles import Role
from tests.conftest import Actors


async def _call_campaign(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    answer = await client.post(
        "/api/v1/campaigns", json={"kind": "call", "name": "Set-up"}, headers=headers
    )
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


async def test_a_manager_writes_script_questions_and_dispositions_agents_then_read(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    campaign = await _call_campaign(client, manager)
    url = f"/api/v1/campaigns/{campaign}"
    for body in ("Hi {{contact.first_name}}", "Hello {{contact.first_name|there}}"):
        saved = await client.put(f"{url}/script", json={"body": body}, headers=manager)
        assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 2
    questions = [
        {
            "key": "budget",
            "label": "Budget?",
            "answer_type": "radio",
            "options": ["Yes", "No"],
            "qualifying_options": ["Yes"],
        },
        {
            "key": "seats",
            "label": "Seats",
            "answer_type": "number",
            "required": True,
            "qualifying_min": 10,
        },
    ]
    saved = await client.put(f"{url}/questions", json={"questions": questions}, headers=manager)
    assert saved.status_code == 200, saved.text
    dispositions = [
        {"code": "qualified", "label": "Hot lead", "rule": "qualified", "shortcut": "1"},
        {"code": "later", "label": "Try later", "rule": "retry", "retry_outcome": "busy"},
    ]
    saved = await client.put(
        f"{url}/dispositions", json={"dispositions": dispositions}, headers=manager
    )
    assert saved.status_code == 200, saved.text
    agent = await actors.headers_for(Role.AGENT)
    kit = (await client.get(f"{url}/console-kit", headers=agent)).json()
    assert kit["script"] == "Hello {{contact.first_name|there}}"
    assert [(q["key"], q["required"]) for q in kit["questions"]] == [
        ("budget", False),
        ("seats", True),
    ]
    assert [q["qualifying_options"] for q in kit["questions"]] == [["Yes"], []]
    assert [q["qualifying_min"] for q in kit["questions"]] == [None, 10]
    by_code = {d["code"]: d for d in kit["dispositions"]}
    assert by_code["qualified"]["label"] == "Hot lead"
    assert by_code["later"]["retry_outcome"] == "busy"
    assert (await client.put(f"{url}/script", json={"body": "x"}, headers=agent)).status_code == 403


async def test_bad_set_up_is_refused_whole_with_field_errors(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    campaign = await _call_campaign(client, manager)
    url = f"/api/v1/campaigns/{campaign}"
    twice = [
        {"key": "a", "label": "A", "answer_type": "text"},
        {"key": "a", "label": "B", "answer_type": "text"},
    ]
    answer = await client.put(f"{url}/questions", json={"questions": twice}, headers=manager)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "questions.1.key"
    one_option = [{"key": "a", "label": "A", "answer_type": "dropdown", "options": ["x"]}]
    answer = await client.put(f"{url}/questions", json={"questions": one_option}, headers=manager)
    assert answer.status_code == 422
    not_an_option = [
        {"key": "a", "label": "A", "answer_type": "text"},
        {"key": "b", "label": "B", "answer_type": "radio", "options": ["x", "y"]},
    ]
    not_an_option[0]["qualifying_options"] = ["x"]
    not_an_option[1]["qualifying_options"] = ["z"]
    not_an_option[1]["qualifying_min"] = 3
    answer = await client.put(
        f"{url}/questions", json={"questions": not_an_option}, headers=manager
    )
    assert answer.status_code == 422
    assert [(e["field"], e["message"]) for e in answer.json()["errors"]] == [
        ("questions.0.qualifying_options", "Only a question with options has qualifying options."),
        ("questions.1.qualifying_options", "'z' is not one of the options."),
        ("questions.1.qualifying_min", "Only a number question has a qualifying minimum."),
    ]
    retry_without_outcome = [{"code": "x", "label": "X", "rule": "retry"}]
    answer = await client.put(
        f"{url}/dispositions", json={"dispositions": retry_without_outcome}, headers=manager
    )
    assert answer.status_code == 422
    same_key = [
        {"code": "x", "label": "X", "rule": "close", "shortcut": "2"},
        {"code": "y", "label": "Y", "rule": "close", "shortcut": "2"},
    ]
    answer = await client.put(
        f"{url}/dispositions", json={"dispositions": same_key}, headers=manager
    )
    assert answer.json()["errors"][0]["field"] == "dispositions.1.shortcut"
    bad_caller = {"settings": {"caller_id": "555-0100"}}
    answer = await client.patch(url, json=bad_caller, headers=manager)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "settings.caller_id"
    good_caller = {"settings": {"caller_id": "+14155550100"}}
    assert (await client.patch(url, json=good_caller, headers=manager)).status_code == 200
    email = await client.post(
        "/api/v1/campaigns", json={"kind": "email", "name": "E"}, headers=manager
    )
    answer = await client.put(
        f"/api/v1/campaigns/{email.json()['id']}/script", json={"body": "x"}, headers=manager
    )
    assert answer.status_code == 404


async def test_admins_list_users_change_roles_and_deactivate_but_not_themselves(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    admin_user = await actors.user(Role.ADMIN)
    admin = actors.headers(admin_user)
    agent = await actors.user(Role.AGENT)
    listed = await client.get("/api/v1/users", params={"role": "agent"}, headers=admin)
    assert [u["id"] for u in listed.json()["items"]] == [agent.id]
    found = await client.get("/api/v1/users", params={"q": "AGENT"}, headers=admin)
    assert [u["email"] for u in found.json()["items"]] == [agent.email]
    changed = await client.patch(
        f"/api/v1/users/{agent.id}", json={"role": "qa_analyst"}, headers=admin
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["role"] == "qa_analyst"
    org = await actors.client_org("Acme")
    no_client = await client.patch(
        f"/api/v1/users/{agent.id}", json={"role": "client_user"}, headers=admin
    )
    assert no_client.status_code == 422
    with_client = await client.patch(
        f"/api/v1/users/{agent.id}",
        json={"role": "client_user", "client_id": org.id},
        headers=admin,
    )
    assert with_client.json()["client_id"] == org.id
    off = await client.patch(f"/api/v1/users/{agent.id}", json={"is_active": False}, headers=admin)
    assert off.json()["is_active"] is False
    assert (await client.get("/api/v1/auth/me", headers=actors.headers(agent))).status_code == 401
    myself = await client.patch(
        f"/api/v1/users/{admin_user.id}", json={"is_active": False}, headers=admin
    )
    assert myself.status_code == 422
    missing = await client.patch("/api/v1/users/999999", json={"is_active": True}, headers=admin)
    assert missing.status_code == 404


async def test_the_audit_log_filters_by_action_family_user_and_time(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    admin_user = await actors.user(Role.ADMIN)
    admin = actors.headers(admin_user)
    manager_user = await actors.user(Role.CAMPAIGN_MANAGER)
    await _call_campaign(client, actors.headers(manager_user))
    await client.post("/api/v1/api-keys", json={"name": "k", "role": "agent"}, headers=admin)

    async def actions(**params: str | int) -> list[str]:
        answer = await client.get("/api/v1/audit", params=params, headers=admin)
        assert answer.status_code == 200, answer.text
        return [e["action"] for e in answer.json()["items"]]

    assert await actions(action="api_key.") == ["api_key.create"]
    assert await actions(action="api_key") == []
    assert await actions(actor_id=manager_user.id) == ["campaign.create"]
    hour = timedelta(hours=1)
    assert len(await actions(since=(datetime.now(UTC) - hour).isoformat())) == 2
    assert await actions(until=(datetime.now(UTC) - hour).isoformat()) == []
    naive = await client.get("/api/v1/audit", params={"since": "2026-01-01T00:00"}, headers=admin)
    assert naive.status_code == 422


async def test_an_email_plan_is_checked_when_saved(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    made = await client.post(
        "/api/v1/campaigns", json={"kind": "email", "name": "E"}, headers=manager
    )
    url = f"/api/v1/campaigns/{made.json()['id']}"
    variants = [{"template_id": 1, "weight": 60}, {"template_id": 2, "weight": 30}]
    plan = {"email": {"steps": [{"variants": variants}]}}
    answer = await client.patch(url, json={"settings": plan}, headers=manager)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "settings.email.steps.0.variants"
    variants[1]["weight"] = 40
    assert (await client.patch(url, json={"settings": plan}, headers=manager)).status_code == 200
