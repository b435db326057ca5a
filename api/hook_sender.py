"""The outgoing webhook worker each API process runs: claims due deliveries in the
database (never one twice across processes), sends them signed, records every try."""

import asyncio
import ipaddress
import json
import logging
import socket
import time
from collections.abc import Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from config.settings import Settings
from engine import live
from engine.errors import FieldError, ValidationFailed
from engine.hooks import FAILED, address_problem, signature_header, target_problem
from store import hooks
from store.models import utcnow

log = logging.getLogger(__name__)
BATCH = 20


async def resolve(host: str, port: int | None = None) -> list[str]:
    """The addresses `host` stands for (an IP literal is its own); gaierror if none."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    found = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


async def check_target(url: str, *, allow_private: bool) -> None:
    """Refuses (422 on `url`) a subscription URL that points inside our network. A name
    that does not resolve yet is let through: every delivery checks again."""
    host = urlsplit(url).hostname or ""
    try:
        addresses = [] if allow_private else await resolve(host)
    except (socket.gaierror, UnicodeError):
        addresses = []
    problem = target_problem(url, addresses, allow_private=allow_private)
    if problem:
        raise ValidationFailed([FieldError("url", problem)])


class CheckedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to public addresses (unless `allow_private`), and to the very address it
    checked: resolving again in the HTTP client would let a DNS answer change in between
    (rebinding). Used with `allow_private` too, so the tests' local receivers go through it."""

    def __init__(self, *, allow_private: bool) -> None:
        self.inner = httpcore.AnyIOBackend()
        self.allow_private = allow_private

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's signature)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await resolve(host, port)
        except (socket.gaierror, UnicodeError) as exc:
            raise httpcore.ConnectError(f"{host} cannot be resolved: {exc}") from None
        problem = None if self.allow_private else address_problem(host, addresses)
        if problem:
            raise httpcore.ConnectError(problem)
        failed: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in addresses:  # in the resolver's order, as a plain client would try
            try:
                return await self.inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failed = exc
        raise failed

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def sending_client(settings: Settings) -> httpx.AsyncClient:
    """The client deliveries go out with: to public addresses only (unless
    PIVOTAL_WEBHOOK_ALLOW_PRIVATE), and so never through an environment proxy (it would
    resolve the name itself)."""
    transport = httpx.AsyncHTTPTransport(trust_env=False)
    # httpx has no public way to choose the network backend of its connection pool
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        network_backend=CheckedBackend(allow_private=settings.webhook_allow_private),
    )
    timeout = settings.webhook_timeout_seconds
    return httpx.AsyncClient(transport=transport, timeout=timeout, trust_env=False)


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
        async with sending_client(self.settings) as http:
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
