"""The media bridge (dialer/media/bridge.py) in its own Ray actor process, so decoding,
encoding and pacing audio never competes with the API or the dialer floor for a loop.

The API process reaches it for the agent's side (offer/answer, mute, hold); the dialer
floor reaches it through `RayMedia`, its `MediaPort`, to bridge and release calls.
"""

import logging
from typing import Any

import ray
from ray.exceptions import RayError
from websockets.asyncio.server import Server

from config.settings import Settings
from dialer.media.bridge import Bridge
from dialer.telnyx.media_stream import serve_streams
from store.blobs import build_blob_store

log = logging.getLogger(__name__)

MEDIA_NAME = "media"


@ray.remote(max_restarts=-1, max_task_retries=0)
class MediaActor:
    def __init__(self, settings: Settings) -> None:
        self.bridge = Bridge(build_blob_store(settings), settings.ice_servers)
        self.streams: Server | None = None

    async def offer(self, user_id: int, sdp: str, kind: str) -> dict[str, str] | None:
        """The answer, or None when the offer is not a usable WebRTC offer."""
        try:
            return await self.bridge.offer(user_id, sdp, kind)
        except (ValueError, KeyError, IndexError) as exc:  # what aiortc's SDP parser raises
            log.info("user %s sent an unusable offer: %s", user_id, exc)
            return None

    async def control(self, user_id: int, muted: bool | None, held: bool | None) -> dict[str, Any]:
        return self.bridge.control(user_id, muted=muted, held=held)

    async def state(self, user_id: int) -> dict[str, Any]:
        return self.bridge.line(user_id).state()

    async def close_line(self, user_id: int) -> None:
        await self.bridge.close_line(user_id)

    async def monitor(self, supervisor_id: int, agent_id: int, whisper: bool) -> dict[str, Any]:
        return self.bridge.monitor(supervisor_id, agent_id, whisper=whisper)

    async def stop_monitoring(self, supervisor_id: int) -> dict[str, Any]:
        return self.bridge.stop_monitoring(supervisor_id)

    async def connect(self, call_ref: str, agent_id: int, record: bool, streamed: bool) -> bool:
        return await self.bridge.connect(call_ref, agent_id, record=record, streamed=streamed)

    async def serve_streams(self, host: str, port: int, secret: str) -> int:
        """Opens the endpoint carriers stream call audio to; returns its port."""
        if self.streams is None:
            self.streams = await serve_streams(self.bridge, host=host, port=port, secret=secret)
        return int(self.streams.sockets[0].getsockname()[1])

    async def release(self, call_ref: str) -> str | None:
        return await self.bridge.release(call_ref)

    async def keep_recording(self, call_ref: str, url: str) -> str | None:
        return await self.bridge.keep_recording(call_ref, url)


class RayMedia:
    """The floor's `MediaPort` over the named media actor. Media is best effort for the
    dialer: an unreachable bridge means no agent audio, never a stuck call."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def _actor(self) -> Any:
        return ray.get_actor(MEDIA_NAME, namespace=self.namespace)

    async def connect(self, call_ref: str, agent_id: int, *, record: bool, streamed: bool) -> bool:
        try:
            actor = self._actor()
            return bool(await actor.connect.remote(call_ref, agent_id, record, streamed))
        except (ValueError, RayError) as exc:  # ValueError: no such actor
            log.warning("media bridge unavailable for %s: %s", call_ref, exc)
            return False

    async def release(self, call_ref: str) -> str | None:
        return await self._recording("release", call_ref)

    async def keep_recording(self, call_ref: str, url: str) -> str | None:
        return await self._recording("keep_recording", call_ref, url)

    async def _recording(self, method: str, call_ref: str, *args: str) -> str | None:
        try:
            key: str | None = await getattr(self._actor(), method).remote(call_ref, *args)
        except (ValueError, RayError) as exc:
            log.warning("media bridge lost the recording of %s: %s", call_ref, exc)
            return None
        return key
