"""Signed per-call URLs of the media stream endpoint (dialer/telnyx/media_stream.py): the
carrier makes them, the endpoint checks them, so nobody else can stream into a call."""

import hashlib
import hmac
from urllib.parse import parse_qs, urlencode, urlsplit

STREAM_PATH = "/telnyx"


def _signature(call_ref: str, secret: str) -> str:
    return hmac.new(secret.encode(), call_ref.encode(), hashlib.sha256).hexdigest()


def stream_url(base: str, call_ref: str, secret: str) -> str:
    """The stream URL of one call, e.g. wss://media.example.com/telnyx?call=...&sig=..."""
    query = urlencode({"call": call_ref, "sig": _signature(call_ref, secret)})
    return f"{base.rstrip('/')}{STREAM_PATH}?{query}"


def verified_call(path: str, secret: str) -> str | None:
    """The call ref a stream URL was made for, if its signature holds."""
    parts = urlsplit(path)
    query = parse_qs(parts.query)
    call, sig = query.get("call", [""])[0], query.get("sig", [""])[0]
    if parts.path != STREAM_PATH or not call:
        return None
    return call if hmac.compare_digest(sig, _signature(call, secret)) else None
