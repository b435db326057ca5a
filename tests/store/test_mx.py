"""MX lookup against a real DNS server the test starts (UDP, dnspython on both sides)."""

import asyncio
from collections import Counter

from store.mx import MxLookup
from tests.support.dns_server import Zone, dns_server

ZONE: Zone = {
    "acme.com": {"MX": ["10 mx1.acme.com.", "20 mx2.acme.com."]},
    "a-only.org": {"A": ["192.0.2.10"]},
    "v6-only.org": {"AAAA": ["2001:db8::1"]},
    "nomail.net": {"MX": ["0 ."]},  # null MX, RFC 7505
    "parked.io": {"TXT": ['"v=spf1 -all"']},  # exists, no MX, no address
    "slow.example": None,  # never answers
}


def lookup(port: int, timeout: float = 2.0) -> MxLookup:
    return MxLookup(nameservers=["127.0.0.1"], port=port, timeout=timeout, concurrency=4)


async def test_answers_per_rfc_5321_and_7505() -> None:
    async with dns_server(ZONE) as server:
        mx = lookup(server.port)
        assert await mx.reason("acme.com") is None
        assert await mx.reason("a-only.org") is None  # implicit MX: the A record
        assert await mx.reason("v6-only.org") is None
        assert "null MX" in (await mx.reason("nomail.net") or "")
        assert "does not exist" in (await mx.reason("missing.example") or "")
        assert "no MX record and no A/AAAA" in (await mx.reason("parked.io") or "")


async def test_a_timeout_keeps_the_row() -> None:
    async with dns_server(ZONE) as server:
        assert await lookup(server.port, timeout=0.3).reason("slow.example") is None


async def test_each_domain_is_asked_once_however_many_rows() -> None:
    async with dns_server(ZONE) as server:
        mx = lookup(server.port)
        domains = ["acme.com", "parked.io", "missing.example"] * 50
        reasons = await asyncio.gather(*map(mx.reason, domains))
        assert reasons[:3] == reasons[3:6]
        asked = Counter(server.queries)
        assert asked[("acme.com", "MX")] == 1
        assert asked[("parked.io", "MX")] == 1
        assert asked[("parked.io", "A")] == 1
        assert asked[("missing.example", "MX")] == 1
