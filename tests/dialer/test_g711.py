"""μ-law (PCMU) as G.711 defines it: reference codes, and round trips within one step."""

from array import array

import pytest

from dialer.media.g711 import ulaw_decode, ulaw_encode


@pytest.mark.parametrize(
    ("sample", "code"),
    [
        (0, 0xFF),
        (-1, 0x7E),
        (100, 0xF2),
        (-100, 0x72),
        (8000, 0xA0),
        (-8000, 0x20),
        (32767, 0x80),
        (-32768, 0x00),
    ],
)
def test_reference_codes(sample: int, code: int) -> None:
    assert ulaw_encode([sample]) == bytes([code])


def test_decode_inverts_encode_within_the_quantisation_step() -> None:
    samples = array("h", range(-32768, 32768, 97))
    decoded = ulaw_decode(ulaw_encode(samples))
    for original, back in zip(samples, decoded, strict=True):
        assert abs(original - back) <= max(8, abs(original) // 16)


def test_every_code_decodes_and_reencodes_to_itself() -> None:
    codes = bytes(range(256))
    again = ulaw_encode(ulaw_decode(codes))
    # 0x7F and 0xFF are both zero (negative and positive zero); zero encodes as 0xFF
    assert [a for a, b in zip(codes, again, strict=True) if a != b] == [0x7F]
