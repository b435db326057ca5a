"""Audio for the bridge: 20 ms frames of 16-bit mono PCM at 8 kHz (telephone quality).

Samples travel as `array("h")`: the bridge only copies, mixes and stores them, which needs
no numeric library. The simulated carrier's callee needs a voice: a vowel-like tone whose
loudness rises and falls in syllables, with pauses, so a listener hears "someone talking"
and a test can find its pitch. Recordings are stereo WAV: agent left, callee right.
"""

import asyncio
import io
import math
import wave
from array import array
from collections.abc import Sequence
from fractions import Fraction

from av import AudioFrame, AudioResampler

RATE = 8000
FRAME_SAMPLES = RATE // 50  # 20 ms, WebRTC's usual packet time
TIME_BASE = Fraction(1, RATE)
CALLEE_PITCH_HZ = 440.0


def silence(samples: int = FRAME_SAMPLES) -> array:
    return array("h", bytes(2 * samples))


class CalleeVoice:
    """The simulated carrier's callee: `next()` gives the next 20 ms of a generated voice;
    what the agent says is not heard by anyone."""

    def __init__(self, pitch_hz: float = CALLEE_PITCH_HZ, level: float = 0.3) -> None:
        self.pitch_hz, self.amplitude = pitch_hz, level * 32767
        self._sample = 0

    def next(self) -> array:
        start, self._sample = self._sample, self._sample + FRAME_SAMPLES
        return array("h", (self._at((start + i) / RATE) for i in range(FRAME_SAMPLES)))

    def hear(self, samples: array) -> None:
        pass

    def _at(self, t: float) -> int:
        if t % 4.0 >= 3.2:  # speaks 3.2 s, pauses 0.8 s
            return 0
        syllables = 0.55 + 0.45 * math.sin(2 * math.pi * 3.0 * t)  # ~3 syllables a second
        return int(self.amplitude * syllables * math.sin(2 * math.pi * self.pitch_hz * t))


class StreamedCallee:
    """A real callee whose audio arrives as a media stream from the carrier (Telnyx) and
    goes back to it: `feed` takes what the callee says, `next` plays it out 20 ms at a time
    (a short jitter buffer), and what the agent says is queued for `send`."""

    MAX_BUFFER = RATE  # 1 s: a stalled reader must not grow the buffer without bound

    def __init__(self) -> None:
        self._in = array("h")
        self._out = array("h")
        self.outgoing: asyncio.Queue[array] = asyncio.Queue()

    def feed(self, samples: array) -> None:
        self._in.extend(samples)
        if len(self._in) > self.MAX_BUFFER:
            del self._in[: len(self._in) - self.MAX_BUFFER]

    def next(self) -> array:
        if len(self._in) < FRAME_SAMPLES:
            return silence()
        chunk = self._in[:FRAME_SAMPLES]
        del self._in[:FRAME_SAMPLES]
        return chunk

    def hear(self, samples: array) -> None:
        self._out.extend(samples)
        while len(self._out) >= FRAME_SAMPLES:
            self.outgoing.put_nowait(self._out[:FRAME_SAMPLES])
            del self._out[:FRAME_SAMPLES]


def to_frame(samples: array, pts: int) -> AudioFrame:
    frame = AudioFrame(format="s16", layout="mono", samples=len(samples))
    frame.planes[0].update(samples.tobytes())
    frame.sample_rate, frame.pts, frame.time_base = RATE, pts, TIME_BASE
    return frame


class Downmix:
    """Whatever the browser's codec decodes to (Opus: 48 kHz stereo) → 8 kHz mono s16."""

    def __init__(self) -> None:
        self._resampler = AudioResampler(format="s16", layout="mono", rate=RATE)

    def __call__(self, frame: AudioFrame) -> array:
        out = array("h")
        for part in self._resampler.resample(frame):
            out.frombytes(bytes(part.planes[0])[: 2 * part.samples])
        return out


def level(samples: Sequence[int]) -> float:
    """RMS level 0..1, for meters and tests."""
    if not samples:
        return 0.0
    return math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768


def tone_level(samples: Sequence[int], hz: float) -> float:
    """How much of `samples` is at `hz` (Goertzel), on the same 0..1 scale as `level`."""
    if not samples:
        return 0.0
    coeff = 2 * math.cos(2 * math.pi * hz / RATE)
    prev = prev2 = 0.0
    for s in samples:
        prev, prev2 = s + coeff * prev - prev2, prev
    power = prev2 * prev2 + prev * prev - coeff * prev * prev2
    return math.sqrt(2 * max(power, 0.0)) / len(samples) / 32768


def stereo_wav(left: array, right: array) -> bytes:
    """One WAV file, left and right padded with silence to the same length."""
    length = max(len(left), len(right))
    both = array("h", bytes(4 * length))
    both[0 : 2 * len(left) : 2] = left
    both[1 : 2 * len(right) : 2] = right
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(both.tobytes())
    return out.getvalue()


def read_stereo_wav(data: bytes) -> tuple[array, array, int]:
    """(left, right, sample rate) of a stereo 16-bit WAV."""
    with wave.open(io.BytesIO(data)) as wav:
        if wav.getnchannels() != 2 or wav.getsampwidth() != 2:
            raise ValueError("not a stereo 16-bit WAV")
        both = array("h", wav.readframes(wav.getnframes()))
        return both[0::2], both[1::2], wav.getframerate()
