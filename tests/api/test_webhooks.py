"""POST /api/v1/webhooks/telnyx: signatures, replays, idempotency, odd bodies, a dialer down."""

import base64
import json
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.gateway import DialerGateway
from config.settings import Settings
from dialer.telnyx import encode_client_state
from store.models import WebhookEvent
from tests.conftest import settings_for

URL = "/api/v1/webhooks/telnyx"
TELNYX = Ed25519PrivateKey.generate()
PUBLIC_KEY = base64.b64encode(
    TELNYX.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
).decode()


class Gateway(DialerGateway):
    """A dialer that takes webhooks, or is down."""

    def __init__(self) -> None:
        self.up = True
        self.received: list[Any] = []

    async def command(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if not self.up:
            return await super().command(method, *args, **kwargs)  # 503
        assert method == "carrier_webhooks"
        self.received += args[0]
        return len(args[0])


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return settings_for(database_url, tmp_path, telnyx_public_key=PUBLIC_KEY)


@pytest.fixture
def gateway(app: FastAPI) -> Gateway:
    app.state.dialer = Gateway()
    return app.state.dialer


def webhook(event_type: str = "call.answered", event_id: str | None = None) -> dict[str, Any]:
    return {
        "data": {
            "record_type": "event",
            "event_type": event_type,
            "id": event_id or str(uuid.uuid4()),
            "occurred_at": "2026-01-15T13:30:00.000000Z",
            "payload": {
                "call_control_id": "v3:abc",
                "client_state": encode_client_state("1-2-1"),
                "from": "+15005550006",
                "to": "+12125550100",
            },
        },
        "meta": {"attempt": 1, "delivered_to": "https://pivotal.example/api/v1/webhooks/telnyx"},
    }


def signed(
    body: bytes, *, key: Ed25519PrivateKey = TELNYX, at: float | None = None
) -> dict[str, str]:
    stamp = str(int(time.time() if at is None else at))
    signature = base64.b64encode(key.sign(stamp.encode() + b"|" + body)).decode()
    return {
        "content-type": "application/json",
        "telnyx-signature-ed25519": signature,
        "telnyx-timestamp": stamp,
    }


async def post(client: httpx.AsyncClient, body: Any, **sign: Any) -> httpx.Response:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return await client.post(URL, content=raw, headers=signed(raw, **sign))


async def stored(sessions: async_sessionmaker[AsyncSession]) -> list[WebhookEvent]:
    async with sessions() as session:
        return list((await session.scalars(select(WebhookEvent).order_by(WebhookEvent.id))).all())


def assert_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status and body["code"] == code
    assert set(body) == {"status", "code", "message", "errors"}


async def test_a_signed_event_is_stored_and_handed_to_the_dialer(
    client: httpx.AsyncClient, gateway: Gateway, sessions: async_sessionmaker[AsyncSession]
) -> None:
    body = webhook()
    response = await post(client, body)
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "accepted", "event_id": body["data"]["id"]}
    assert gateway.received == [body]
    (row,) = await stored(sessions)
    assert (row.provider, row.event_type, row.status) == ("telnyx", "call.answered", "delivered")
    assert row.payload == body and row.handled_at is not None


async def test_forged_tampered_and_unsigned_webhooks_are_refused_and_change_nothing(
    client: httpx.AsyncClient, gateway: Gateway, sessions: async_sessionmaker[AsyncSession]
) -> None:
    raw = json.dumps(webhook("call.hangup")).encode()
    forged = await post(client, raw, key=Ed25519PrivateKey.generate())
    assert_error(forged, 401, "unauthenticated")
    tampered = await client.post(
        URL, content=raw.replace(b"hangup", b"answered"), headers=signed(raw)
    )
    assert_error(tampered, 401, "unauthenticated")
    unsigned = await client.post(URL, content=raw, headers={"content-type": "application/json"})
    assert_error(unsigned, 401, "unauthenticated")
    garbled = dict(signed(raw), **{"telnyx-signature-ed25519": "%%%"})
    assert_error(await client.post(URL, content=raw, headers=garbled), 401, "unauthenticated")
    assert gateway.received == []
    assert await stored(sessions) == []


# +330, not +302: the time a loaded machine takes to handle the request brings a future
# stamp nearer (a CI run once took over 2 s), so it needs a margin a past stamp does not.
@pytest.mark.parametrize("skew", [-302, 330, -3600])
async def test_replays_outside_the_tolerance_are_refused(
    client: httpx.AsyncClient, gateway: Gateway, skew: int
) -> None:
    response = await post(client, webhook(), at=time.time() + skew)
    assert_error(response, 401, "unauthenticated")
    assert "replay" in response.json()["message"]
    assert gateway.received == []


async def test_a_redelivered_event_is_acted_on_once(
    client: httpx.AsyncClient, gateway: Gateway, sessions: async_sessionmaker[AsyncSession]
) -> None:
    body = webhook("call.hangup")
    first, again = await post(client, body), await post(client, body)
    assert first.json()["status"] == "accepted"
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert len(gateway.received) == 1
    assert len(await stored(sessions)) == 1


async def test_unknown_events_are_stored_and_ignored(
    client: httpx.AsyncClient, gateway: Gateway, sessions: async_sessionmaker[AsyncSession]
) -> None:
    response = await post(client, webhook("call.speak.ended"))
    assert response.status_code == 200 and response.json()["status"] == "ignored"
    assert gateway.received == []
    (row,) = await stored(sessions)
    assert (row.event_type, row.status) == ("call.speak.ended", "ignored")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "bad_request"),
        (b"\xff\xfe", 400, "bad_request"),
        (b"[1, 2]", 422, "validation_error"),
        (b'{"data": {"event_type": "call.answered"}}', 422, "validation_error"),
        (b'{"data": {"id": "e1", "event_type": 7}}', 422, "validation_error"),
        (
            json.dumps({"data": {"id": "x" * 101, "event_type": "a"}}).encode(),
            422,
            "validation_error",
        ),
    ],
)
async def test_malformed_bodies_get_the_error_shape_never_a_500(
    client: httpx.AsyncClient, gateway: Gateway, body: bytes, status: int, code: str
) -> None:
    assert_error(await post(client, body), status, code)
    assert gateway.received == []


async def test_with_the_dialer_down_telnyx_is_told_to_deliver_again(
    client: httpx.AsyncClient, gateway: Gateway, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """503 makes Telnyx redeliver; the stored event stays `received` until then."""
    gateway.up = False
    body = webhook("call.hangup")
    assert_error(await post(client, body), 503, "dialer_unavailable")
    (row,) = await stored(sessions)
    assert row.status == "received"
    gateway.up = True
    retried = await post(client, body)
    assert retried.json()["status"] == "accepted"
    assert gateway.received == [body]
    assert [r.status for r in await stored(sessions)] == ["delivered"]


async def test_without_a_public_key_no_webhook_is_taken(
    app: FastAPI, client: httpx.AsyncClient, gateway: Gateway
) -> None:
    app.state.settings = app.state.settings.model_copy(update={"telnyx_public_key": None})
    assert_error(await post(client, webhook()), 503, "not_configured")
    assert gateway.received == []
