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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
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
FETCH_TIMEOUT_S = 60.0
MAX_RECORDING_BYTES = 500 * 1024 * 1024  # some 4 hours of dual-channel 8 kHz WAV


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


@dataclass(frozen=True, slots=True)
class Monitoring:
    """A supervisor's line joined to an agent's calls: listening, or whispering too."""

    agent_id: int
    whisper: bool


@dataclass(slots=True)
class Line:
    """A user's audio line (an agent's, or a supervisor's); outlives connections and calls."""

    user_id: int
    pc: RTCPeerConnection | None = None
    call: CallLeg | None = None
    muted: bool = False
    held: bool = False
    input_level: float = 0.0  # the user's microphone, RMS 0..1, last 20 ms
    reader: asyncio.Task[None] | None = None
    # What supervisors listening in hear: the agent's and the callee's last 20 ms.
    last_said: array = field(default_factory=silence)
    last_heard: array = field(default_factory=silence)
    whispers: array = field(default_factory=lambda: array("h"))  # to the agent only
    monitoring: Monitoring | None = None  # a supervisor's line: whom it listens to

    def state(self) -> dict[str, Any]:
        watched = self.monitoring
        return {
            "user_id": self.user_id,
            "connection": self.pc.connectionState if self.pc else "closed",
            "call_ref": self.call.call_ref if self.call else None,
            "muted": self.muted,
            "held": self.held,
            "input_level": round(self.input_level, 4),
            "monitoring": None
            if watched is None
            else {"agent_id": watched.agent_id, "mode": "whisper" if watched.whisper else "listen"},
        }


def mixed(first: array, second: array) -> array:
    """Two signals summed sample by sample (clipped), as long as the longer one."""
    if len(first) < len(second):
        first, second = second, first
    out = array("h", first)
    for i, sample in enumerate(second):
        out[i] = max(-32768, min(32767, out[i] + sample))
    return out


class ToUser(MediaStreamTrack):
    """What a line's user hears, 20 ms at a time from `next_frame`, paced in real time like
    aiortc's own tracks (each frame pulled also advances the call's recording)."""

    kind = "audio"

    def __init__(self, next_frame: Callable[[], array]) -> None:
        super().__init__()
        self.next_frame = next_frame
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
        return to_frame(self.next_frame(), self._pts)


class Bridge:
    """Every audio line in this process. Not thread-safe: one asyncio loop owns it.

    An agent hears the callee (unless on hold) and any whisper; the callee and the recording
    get what the agent says (unless muted or on hold), never a whisper. A supervisor
    monitoring an agent hears the agent and the callee; whispering, the agent hears them.
    """

    def __init__(self, blobs: BlobStore, ice_servers: list[dict[str, Any]] | None = None) -> None:
        self.blobs = blobs
        self.ice = [RTCIceServer(**server) for server in ice_servers or []]
        self.lines: dict[int, Line] = {}
        self.calls: dict[str, Line] = {}
        self.streams: dict[str, StreamedCallee] = {}  # carrier media streams by call ref

    def line(self, user_id: int) -> Line:
        return self.lines.setdefault(user_id, Line(user_id))

    async def offer(self, user_id: int, sdp: str, kind: str = "offer") -> dict[str, str]:
        """The browser's offer in, our answer out (ICE candidates gathered into the SDP)."""
        line = self.line(user_id)
        await self._close_pc(line)
        pc = line.pc = RTCPeerConnection(RTCConfiguration(iceServers=self.ice))
        pc.on("track", lambda track: self._listen(line, track))
        await pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type=kind))
        pc.addTrack(ToUser(lambda: self._hears(line)))
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
                self._says(line, samples)

    def _hears(self, line: Line) -> array:
        """The next 20 ms for the line's user."""
        if line.monitoring is not None:
            agent = self.lines.get(line.monitoring.agent_id)
            if agent is None or agent.call is None:
                return silence()
            return mixed(agent.last_said, agent.last_heard)
        call = line.call
        if call is None:
            return silence()
        voice = call.callee.next()
        if call.record:
            call.callee_audio.extend(voice)
        line.last_heard = voice
        heard = silence() if line.held else voice
        if len(line.whispers) >= FRAME_SAMPLES:
            heard = mixed(heard, line.whispers[:FRAME_SAMPLES])
            del line.whispers[:FRAME_SAMPLES]
        return heard

    def _says(self, line: Line, samples: array) -> None:
        """What the line's user said in the last frame goes where it may."""
        watched = line.monitoring
        if watched is not None:
            agent = self.lines.get(watched.agent_id)
            if watched.whisper and agent is not None and agent.call is not None:
                agent.whispers.extend(samples)
                del agent.whispers[: max(0, len(agent.whispers) - RATE)]  # at most 1 s behind
            return
        call = line.call
        if call is None:
            return
        said = silence(len(samples)) if line.muted or line.held else samples
        line.last_said = said
        call.callee.hear(said)
        if call.record:
            call.agent_audio.extend(said)

    def monitor(self, supervisor_id: int, agent_id: int, *, whisper: bool) -> dict[str, Any]:
        """The supervisor's line listens to (and with `whisper`, speaks to) the agent."""
        if supervisor_id == agent_id:
            raise ValueError("a line cannot monitor itself")
        line = self.line(supervisor_id)
        line.monitoring = Monitoring(agent_id, whisper)
        return line.state()

    def stop_monitoring(self, supervisor_id: int) -> dict[str, Any]:
        line = self.line(supervisor_id)
        line.monitoring = None
        return line.state()

    def control(self, user_id: int, *, muted: bool | None, held: bool | None) -> dict[str, Any]:
        line = self.line(user_id)
        if muted is not None:
            line.muted = muted
        if held is not None:
            line.held = held
        return line.state()

    async def close_line(self, user_id: int) -> None:
        """The user left: the peer connection goes; a call in progress keeps its leg until
        the dialer releases it."""
        line = self.lines.get(user_id)
        if line is not None:
            await self._close_pc(line)
            if line.call is None:
                del self.lines[user_id]

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
        line.whispers = array("h")
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

    async def keep_recording(self, call_ref: str, url: str) -> str | None:
        try:
            async with (
                httpx.AsyncClient(timeout=FETCH_TIMEOUT_S, follow_redirects=True) as http,
                http.stream("GET", url) as answer,
            ):
                answer.raise_for_status()
                kind = answer.headers.get("content-type", "").split(";")[0].strip()
                data = bytearray()
                async for chunk in answer.aiter_bytes():
                    data += chunk
                    if len(data) > MAX_RECORDING_BYTES:
                        raise ValueError("the recording is larger than allowed")
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("the carrier's recording of %s was not kept: %s", call_ref, exc)
            return None
        mp3 = kind == "audio/mpeg" or url.split("?")[0].endswith(".mp3")
        key = f"recordings/{time.strftime('%Y/%m/%d')}/{call_ref}-carrier.{'mp3' if mp3 else 'wav'}"
        await self.blobs.put(key, bytes(data), content_type="audio/mpeg" if mp3 else "audio/wav")
        return key

    def states(self) -> list[dict[str, Any]]:
        return [line.state() for line in self.lines.values()]

    async def close(self) -> None:
        for line in list(self.lines.values()):
            await self._close_pc(line)
        self.lines.clear()
        self.calls.clear()
        self.streams.clear()
