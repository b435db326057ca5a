"""A browser stand-in for WebRTC tests: an aiortc peer whose microphone plays a known tone
and which keeps what it hears."""

import asyncio
import contextlib
import math
import time
from array import array
from typing import Any

from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError
from av import AudioFrame

from dialer.media.audio import FRAME_SAMPLES, RATE, Downmix, to_frame

AGENT_TONE_HZ = 1000.0


class ToneTrack(MediaStreamTrack):
    """A microphone that plays a sine tone, paced in real time."""

    kind = "audio"

    def __init__(self, hz: float = AGENT_TONE_HZ) -> None:
        super().__init__()
        self.hz, self._pts, self._start = hz, 0, time.monotonic()

    async def recv(self) -> AudioFrame:
        if self._pts:
            await asyncio.sleep(self._start + self._pts / RATE - time.monotonic())
        t0, self._pts = self._pts, self._pts + FRAME_SAMPLES
        wave = (
            int(9000 * math.sin(2 * math.pi * self.hz * (t0 + i) / RATE))
            for i in range(FRAME_SAMPLES)
        )
        return to_frame(array("h", wave), t0)


class BrowserPeer:
    def __init__(self, tone_hz: float = AGENT_TONE_HZ) -> None:
        self.pc = RTCPeerConnection()
        self.heard = array("h")
        self._reader: asyncio.Task[None] | None = None
        self.pc.addTrack(ToneTrack(tone_hz))
        self.pc.on("track", self._on_track)

    def _on_track(self, track: MediaStreamTrack) -> None:
        self._reader = asyncio.get_running_loop().create_task(self._read(track))

    async def _read(self, track: MediaStreamTrack) -> None:
        downmix = Downmix()
        with contextlib.suppress(MediaStreamError):
            while True:
                frame = await track.recv()
                assert isinstance(frame, AudioFrame)
                self.heard.extend(downmix(frame))

    async def offer(self) -> dict[str, str]:
        await self.pc.setLocalDescription(await self.pc.createOffer())
        return {"sdp": self.pc.localDescription.sdp, "type": self.pc.localDescription.type}

    async def accept(self, answer: dict[str, Any]) -> None:
        await self.pc.setRemoteDescription(RTCSessionDescription(answer["sdp"], answer["type"]))
        for _ in range(200):
            if self.pc.connectionState == "connected":
                return
            await asyncio.sleep(0.05)
        raise TimeoutError(f"peer connection stuck in {self.pc.connectionState}")

    def heard_since(self, samples: int) -> array:
        return self.heard[samples:]

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        await self.pc.close()
