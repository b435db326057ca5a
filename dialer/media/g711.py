"""G.711 μ-law (PCMU), the codec of Telnyx media streams: 8 kHz, one byte per sample.

Python 3.13 removes `audioop`, so the codec is written out here (ITU-T G.711: the
reference segment encoder and a 256-entry decode table).
"""

from array import array
from collections.abc import Sequence

_BIAS = 0x84


def _decode(byte: int) -> int:
    byte = ~byte & 0xFF
    magnitude = (((byte & 0x0F) << 3) + _BIAS) << ((byte & 0x70) >> 4)
    return _BIAS - magnitude if byte & 0x80 else magnitude - _BIAS


_DECODE = array("h", (_decode(b) for b in range(256)))


_SEGMENT_ENDS = (0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF)


def _encode(sample: int) -> int:
    """The reference encoder (Sun's g711.c, as CPython's audioop did it), on 14 bits."""
    pcm = sample >> 2
    mask = 0x7F if pcm < 0 else 0xFF
    pcm = min(abs(pcm), 8159) + (_BIAS >> 2)
    segment = next((i for i, end in enumerate(_SEGMENT_ENDS) if pcm <= end), None)
    if segment is None:  # past the top segment: the loudest code
        return 0x7F ^ mask
    return ((segment << 4) | ((pcm >> (segment + 1)) & 0x0F)) ^ mask


def ulaw_decode(data: bytes) -> array:
    return array("h", (_DECODE[b] for b in data))


def ulaw_encode(samples: Sequence[int]) -> bytes:
    return bytes(_encode(s) for s in samples)
