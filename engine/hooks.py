"""Outgoing webhooks: events, signatures and the retry schedule."""

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable
from enum import StrEnum
from urllib.parse import urlsplit


class HookEvent(StrEnum):
    ORDER_SUBMITTED = "order.submitted"
    ORDER_STATUS_CHANGED = "order.status_changed"
    LEAD_DELIVERED = "lead.delivered"
    # sent by an automation rule's webhook action to the subscription it names
    AUTOMATION = "automation.webhook"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 over `<timestamp>.<body>`, hex: the `v1` of the signature header."""
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, *, now: int, tolerance: int = 300) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    expected = signature(secret, timestamp, body)
    return abs(now - timestamp) <= tolerance and hmac.compare_digest(expected, parts.get("v1", ""))


def backoff_seconds(attempt: int, *, base: float, cap: float = 3600.0) -> float:
    """Delay before the try after attempt number `attempt` (1-based): base · 2^(attempt-1)."""
    return float(min(base * 2 ** (attempt - 1), cap))


def succeeded(status_code: int | None) -> bool:
    return status_code is not None and 200 <= status_code < 300


PENDING, SENDING, DELIVERED, FAILED = "pending", "sending", "delivered", "failed"


def after_attempt(
    number: int, status_code: int | None, *, max_attempts: int, base: float
) -> tuple[str, float | None]:
    """The delivery's next state and, when it is to be retried, the delay in seconds."""
    if succeeded(status_code):
        return DELIVERED, None
    if number >= max_attempts:
        return FAILED, None
    return PENDING, backoff_seconds(number, base=base)


def target_problem(url: str, addresses: Iterable[str], *, allow_private: bool) -> str | None:
    """Why a subscription URL must not be posted to, or None: only http(s), and (unless
    `allow_private`) never a host that is or resolves to an internal address — else a
    subscriber could make the server call its own network (SSRF). `addresses` are what the
    host resolves to (an IP literal is its own)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "Only http and https URLs with a host can receive webhooks."
    return None if allow_private else address_problem(parts.hostname, addresses)


def address_problem(host: str, addresses: Iterable[str]) -> str | None:
    """Why `host`, resolving to `addresses`, is not a public host (one internal answer is
    enough: the client could connect to that one), or None."""
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone is no part of it
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if not ip.is_global or ip.is_multicast:
            return f"{host} is an internal address ({ip}); webhooks go to public hosts only."
    return None
