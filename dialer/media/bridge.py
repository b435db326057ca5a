"""The WebRTC bridge (aiortc): one peer connection per logged-in agent, kept across calls.

An agent's line carries audio both ways. While the dialer has the agent on a call, what the
agent says goes to the callee and what the callee says comes back to the agent; both are
recorded, agent on the left channel and callee on the right, and the recording is written to
the storage port when the call is released. The simulated carrier's callee is a generated
voice (`CalleeVoice`); a Telnyx callee is the call's media stream (`StreamedCallee`, fed by
dialer/telnyx/media_stream.py). Mute silences the agent towards the callee and the recording; hold
silences both directions. A new offer from the same agent (a page reload, a network change)
replaces the peer connection and keeps the call.
"""

import asyncio
import contextlib
import logging
import time
from array import array
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError
from av import AudioFrame

from dialer.media.audio import (
    FRAME_SAMPLES,
    RATE,
    CalleeVoice,
    Downmix,
    StreamedCallee,
    level,
    silence,
    stereo_wav,
    to_frame,
)
from store.blobs import BlobStore

log = logging.getLogger(__name__)

STALL_S = 0.1


class Callee(Protocol):
    def next(self) -> array:
        """The next 20 ms of what the callee says."""
        ...

    def hear(self, samples: array) -> None:
        """What the agent says, towards the callee."""
        ...


@dataclass(slots=True)
class CallLeg:
    """One call bridged to a line: the far end and the recording so far."""

    call_ref: str
    callee: Callee
    record: bool
    agent_audio: array = field(default_factory=lambda: array("h"))
    callee_audio: array = field(default_factory=lambda: array("h"))
    started: float = field(default_factory=time.monotonic)


@dataclass(slots=True)
class Line:
    """An agent's audio line; outlives peer connections and calls."""

    agent_id: int
    pc: RTCPeerConnection | None = None
    call: CallLeg | None = None
    muted: bool = False
    held: bool = False
    input_level: float = 0.0  # the agent's microphone, RMS 0..1, last 20 ms
    reader: asyncio.Task[None] | None = None

    def state(self) -> dict[str, Any]:
        return {
            "agent_id": self.agent_id,
            "connection": self.pc.connectionState if self.pc else "closed",
            "call_ref": self.call.call_ref if self.call else None,
            "muted": self.muted,
            "held": self.held,
            "input_level": round(self.input_level, 4),
        }


class ToAgent(MediaStreamTrack):
    """What the agent hears: the callee while on a call and not held, else silence. Paced in
    real time like aiortc's own tracks; each frame pulled also advances the recording."""

    kind = "audio"

    def __init__(self, line: Line) -> None:
        super().__init__()
        self.line = line
        self._pts = 0
        self._start: float | None = None

    async def recv(self) -> AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.monotonic()
        else:
            self._pts += FRAME_SAMPLES
            wait = self._start + self._pts / RATE - time.monotonic()
            if wait < -STALL_S:  # the loop stalled: carry on from now, never burst to catch up
                self._start -= wait
            else:
                await asyncio.sleep(wait)
        return to_frame(self._next(), self._pts)

    def _next(self) -> array:
        call = self.line.call
        if call is None:
            return silence()
        voice = call.callee.next()
        if call.record:
            call.callee_audio.extend(voice)
        return silence() if self.line.held else voice


class Bridge:
    """Every agent line in this process. Not thread-safe: one asyncio loop owns it."""

    def __init__(self, blobs: BlobStore, ice_servers: list[dict[str, Any]] | None = None) -> None:
        self.blobs = blobs
        self.ice = [RTCIceServer(**server) for server in ice_servers or []]
        self.lines: dict[int, Line] = {}
        self.calls: dict[str, Line] = {}
        self.streams: dict[str, StreamedCallee] = {}  # carrier media streams by call ref

    def line(self, agent_id: int) -> Line:
        return self.lines.setdefault(agent_id, Line(agent_id))

    async def offer(self, agent_id: int, sdp: str, kind: str = "offer") -> dict[str, str]:
        """The browser's offer in, our answer out (ICE candidates gathered into the SDP)."""
        line = self.line(agent_id)
        await self._close_pc(line)
        pc = line.pc = RTCPeerConnection(RTCConfiguration(iceServers=self.ice))
        pc.on("track", lambda track: self._listen(line, track))
        await pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type=kind))
        pc.addTrack(ToAgent(line))
        await pc.setLocalDescription(await pc.createAnswer())
        return {"sdp": pc.localDescription.sdp, "type": pc.localDescription.type}

    def _listen(self, line: Line, track: MediaStreamTrack) -> None:
        if track.kind == "audio":
            if line.reader is not None:
                line.reader.cancel()
            line.reader = asyncio.get_running_loop().create_task(self._read(line, track))

    async def _read(self, line: Line, track: MediaStreamTrack) -> None:
        downmix = Downmix()
        with contextlib.suppress(MediaStreamError):
            while True:
                frame = await track.recv()
                assert isinstance(frame, AudioFrame)
                samples = downmix(frame)
                line.input_level = level(samples)
                call = line.call
                if call is None:
                    continue
                said = silence(len(samples)) if line.muted or line.held else samples
                call.callee.hear(said)
                if call.record:
                    call.agent_audio.extend(said)

    def control(self, agent_id: int, *, muted: bool | None, held: bool | None) -> dict[str, Any]:
        line = self.line(agent_id)
        if muted is not None:
            line.muted = muted
        if held is not None:
            line.held = held
        return line.state()

    async def close_line(self, agent_id: int) -> None:
        """The agent logged out: the peer connection goes; a call in progress keeps its leg
        until the dialer releases it."""
        line = self.lines.get(agent_id)
        if line is not None:
            await self._close_pc(line)
            if line.call is None:
                del self.lines[agent_id]

    async def _close_pc(self, line: Line) -> None:
        if line.reader is not None:
            line.reader.cancel()
            line.reader = None
        if line.pc is not None:
            pc, line.pc = line.pc, None
            await pc.close()

    def stream(self, call_ref: str) -> StreamedCallee:
        """The carrier's media stream of a call; it may connect before or after the bridge."""
        return self.streams.setdefault(call_ref, StreamedCallee())

    async def connect(
        self, call_ref: str, agent_id: int, *, record: bool, streamed: bool = False
    ) -> bool:
        """Bridges the agent's line to the call: to the carrier's media stream when
        `streamed`, else to a generated callee (the simulated carrier)."""
        line = self.lines.get(agent_id)
        if line is None or line.pc is None or line.pc.connectionState != "connected":
            return False
        line.muted = line.held = False
        callee = self.stream(call_ref) if streamed else CalleeVoice()
        line.call = CallLeg(call_ref, callee, record)
        self.calls[call_ref] = line
        return True

    async def release(self, call_ref: str) -> str | None:
        self.streams.pop(call_ref, None)
        line = self.calls.pop(call_ref, None)
        if line is None or line.call is None or line.call.call_ref != call_ref:
            return None
        call, line.call = line.call, None
        line.held = False
        if not call.record:
            return None
        key = f"recordings/{time.strftime('%Y/%m/%d')}/{call_ref}.wav"
        await self.blobs.put(
            key, stereo_wav(call.agent_audio, call.callee_audio), content_type="audio/wav"
        )
        return key

    def states(self) -> list[dict[str, Any]]:
        return [line.state() for line in self.lines.values()]

    async def close(self) -> None:
        for line in list(self.lines.values()):
            await self._close_pc(line)
        self.lines.clear()
        self.calls.clear()
        self.streams.clear()
