"""The outgoing webhook worker each API process runs: claims due deliveries in the
database (never one twice across processes), sends them signed, records every try."""

import asyncio
import json
import logging
import time
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from config.settings import Settings
from engine import live
from engine.hooks import FAILED, signature_header
from store import hooks
from store.models import utcnow

log = logging.getLogger(__name__)
BATCH = 20


class HookSender:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        emit: live.Emit = live.nowhere,
    ) -> None:
        """`emit` sends a delivery given up after its last try to the live stream."""
        self.sessions = sessions
        self.settings = settings
        self.emit = emit
        # A claimed delivery is reclaimable after this: longer than any one send can take.
        self.lease = timedelta(seconds=settings.webhook_timeout_seconds * 2 + 30)

    async def run(self) -> None:
        async with httpx.AsyncClient(timeout=self.settings.webhook_timeout_seconds) as http:
            while True:
                try:
                    sent = await self.send_due(http)
                except Exception:  # a database hiccup must not end the worker
                    log.exception("webhook worker round failed")
                    sent = 0
                if sent < BATCH:
                    await asyncio.sleep(self.settings.webhook_poll_seconds)

    async def send_due(self, http: httpx.AsyncClient) -> int:
        async with self.sessions() as session:
            claimed = await hooks.claim_due(session, now=utcnow(), lease=self.lease, limit=BATCH)
        await asyncio.gather(*(self._send(http, c) for c in claimed))
        return len(claimed)

    async def _send(self, http: httpx.AsyncClient, claimed: hooks.Claimed) -> None:
        body = json.dumps(claimed.payload, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Pivotal-Webhooks/1",
            "Pivotal-Event": str(claimed.payload.get("event")),
            "Pivotal-Delivery": str(claimed.delivery_id),
            "Pivotal-Signature": signature_header(claimed.secret, int(time.time()), body),
        }
        started = time.perf_counter()
        status_code: int | None = None
        error: str | None = None
        try:
            response = await http.post(claimed.url, content=body, headers=headers)
            status_code = response.status_code
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        duration_ms = int((time.perf_counter() - started) * 1000)
        async with self.sessions() as session:
            status = await hooks.record_attempt(
                session,
                claimed=claimed,
                status_code=status_code,
                error=error,
                duration_ms=duration_ms,
                max_attempts=self.settings.webhook_max_attempts,
                backoff_base=self.settings.webhook_backoff_seconds,
            )
        if status == FAILED:
            self.emit([_given_up(claimed, error)])


def _given_up(claimed: hooks.Claimed, error: str | None) -> dict[str, Any]:
    event = claimed.payload.get("event")
    return live.job_ended(
        "webhook",
        claimed.delivery_id,
        status="failed",
        # the host only: a subscription's URL may carry a token
        message=f"Webhook {event} to {httpx.URL(claimed.url).host} was given up after "
        f"{claimed.attempt} tries: {error}.",
        link=f"#/admin/webhooks?subscription={claimed.subscription_id}&status=failed",
        subscription_id=claimed.subscription_id,
    )
