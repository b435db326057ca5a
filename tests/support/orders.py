"""A client's order taken through the wizard to a ready draft or a submitted order."""

from datetime import UTC, datetime, timedelta

import httpx


async def ready_draft(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    *,
    kind: str = "telemarketing",
    lead_goal: int = 4,
) -> str:
    """A draft with every step done (audience: a filter); the order's client URL."""
    start = datetime.now(UTC).date() + timedelta(days=1)
    body = {
        "title": "Q3 leads",
        "kind": kind,
        "lead_goal": lead_goal,
        "pacing": {
            "leads_per_week": 1,
            "start_date": str(start),
            "end_date": str(start + timedelta(days=60)),
        },
    }
    created = await client.post("/api/v1/client/orders", json=body, headers=headers)
    assert created.status_code == 201, created.text
    url = f"/api/v1/client/orders/{created.json()['id']}"
    audience = {"source": "filter", "filter": {"op": "and", "conditions": []}}
    assert (await client.put(f"{url}/audience", json=audience, headers=headers)).status_code == 200
    questions = {
        "questions": [
            {"question": "Budget approved?", "answer_type": "radio", "options": ["yes", "no"]}
        ]
    }
    assert (
        await client.put(f"{url}/questions", json=questions, headers=headers)
    ).status_code == 200
    await client.patch(url, json={"compliance_confirmed": True}, headers=headers)
    return url


async def submitted_order(
    client: httpx.AsyncClient, headers: dict[str, str], lead_goal: int = 4
) -> int:
    url = await ready_draft(client, headers, lead_goal=lead_goal)
    submitted = await client.post(f"{url}/submit", headers=headers)
    assert submitted.status_code == 200, submitted.text
    return int(submitted.json()["id"])
