"""Telnyx media streams: the call's audio over a WebSocket, to and from the media bridge.

When an agent with a softphone takes a Telnyx call, the carrier asks Telnyx to stream the
callee's audio (`streaming_start`, bidirectional RTP, PCMU at 8 kHz) to this endpoint, which
runs inside the media bridge's process. Telnyx sends `connected`, `start` (with our
client_state), `media` frames (base64 μ-law) and `stop`; we send `media` frames back with
what the agent says. The URL carries the call ref and an HMAC of it, so nobody else can
open a stream into a call.
"""

import asyncio
import base64
import binascii
import contextlib
import json
import logging
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from dialer.media.audio import StreamedCallee
from dialer.media.bridge import Bridge
from dialer.media.g711 import ulaw_decode, ulaw_encode
from dialer.telnyx.stream_auth import verified_call

log = logging.getLogger(__name__)


async def serve_streams(bridge: Bridge, *, host: str, port: int, secret: str) -> Server:
    async def handler(socket: ServerConnection) -> None:
        call_ref = verified_call(socket.request.path if socket.request else "", secret)
        if call_ref is None:
            await socket.close(1008, "unknown stream")
            return
        callee = bridge.streams.get(call_ref)
        if callee is None:  # not bridged (yet), or over: nothing to carry
            await socket.close(1008, "no bridge for this call")
            return
        await _relay(socket, callee)

    return await serve(handler, host, port)


async def _relay(socket: ServerConnection, callee: StreamedCallee) -> None:
    sender = asyncio.get_running_loop().create_task(_send(socket, callee))
    try:
        async for message in socket:
            frame = _frame(message)
            if frame.get("event") == "stop":
                break
            if frame.get("event") == "start" and not _pcmu_8k(frame.get("start")):
                await socket.close(1003, "PCMU at 8 kHz only")
                break
            if frame.get("event") == "media":
                media = frame.get("media") or {}
                if media.get("track", "inbound") == "inbound":
                    callee.feed(ulaw_decode(_payload(media)))
    except ConnectionClosed:
        pass
    finally:
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sender


def _frame(message: str | bytes) -> dict[str, Any]:
    try:
        frame = json.loads(message)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return frame if isinstance(frame, dict) else {}


def _payload(media: dict[str, Any]) -> bytes:
    try:
        return base64.b64decode(str(media.get("payload", "")), validate=True)
    except binascii.Error:
        return b""


def _pcmu_8k(start: object) -> bool:
    media_format = (start or {}).get("media_format") if isinstance(start, dict) else None
    if not isinstance(media_format, dict):
        return True  # Telnyx's default for a PCMU call
    encoding = str(media_format.get("encoding", "PCMU")).upper()
    return encoding == "PCMU" and int(media_format.get("sample_rate", 8000)) == 8000


async def _send(socket: ServerConnection, callee: StreamedCallee) -> None:
    with contextlib.suppress(ConnectionClosed):
        while True:
            samples = await callee.outgoing.get()
            payload = base64.b64encode(ulaw_encode(samples)).decode()
            await socket.send(json.dumps({"event": "media", "media": {"payload": payload}}))
