"""Telnyx Call Control v2: the real carrier. Importing this package does not import the
Telnyx SDK (≈ 1.5 s); building a `TelnyxCarrier` does."""

from dialer.telnyx.carrier import (
    CALL_EVENTS,
    WEBHOOK_PATH,
    CallTrack,
    TelnyxCarrier,
    TelnyxEvent,
    TelnyxOptions,
    advance,
    decode_client_state,
    encode_client_state,
    parse_webhook,
)

__all__ = [
    "CALL_EVENTS",
    "WEBHOOK_PATH",
    "CallTrack",
    "TelnyxCarrier",
    "TelnyxEvent",
    "TelnyxOptions",
    "advance",
    "decode_client_state",
    "encode_client_state",
    "parse_webhook",
]
