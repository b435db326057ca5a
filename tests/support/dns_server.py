"""A small authoritative DNS server on UDP for tests, built with dnspython's dns.message.

`zone` maps a domain to its records by type, e.g. {"acme.com": {"MX": ["10 mx.acme.com."]}}.
A domain not in the zone answers NXDOMAIN; a known domain without the asked type answers
NOERROR with no records (what a resolver calls NoAnswer); a domain mapped to None never
answers (a lookup that times out). Every question asked is kept in `queries`.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import cast

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset

Zone = dict[str, dict[str, list[str]] | None]


@dataclass
class DnsServer:
    port: int
    queries: list[tuple[str, str]] = field(default_factory=list)


class _Responder(asyncio.DatagramProtocol):
    def __init__(self, zone: Zone, server: DnsServer) -> None:
        self.zone = zone
        self.server = server
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        query = dns.message.from_wire(data)
        question = query.question[0]
        name = question.name.to_text(omit_final_dot=True).lower()
        rdtype = dns.rdatatype.to_text(question.rdtype)
        self.server.queries.append((name, rdtype))
        if name in self.zone and self.zone[name] is None:
            return  # silent: the client times out
        response = dns.message.make_response(query)
        records = self.zone.get(name)
        if records is None:
            response.set_rcode(dns.rcode.NXDOMAIN)
        elif rdtype in records:
            rrset = dns.rrset.from_text_list(question.name, 300, "IN", rdtype, records[rdtype])
            response.answer.append(rrset)
        assert self.transport is not None
        self.transport.sendto(response.to_wire(), addr)


@contextlib.asynccontextmanager
async def dns_server(zone: Zone) -> AsyncIterator[DnsServer]:
    """Serves `zone` on 127.0.0.1 at a free UDP port, inside the test's event loop."""
    loop = asyncio.get_running_loop()
    server = DnsServer(port=0)
    transport, _ = await loop.create_datagram_endpoint(
        lambda: _Responder(zone, server), local_addr=("127.0.0.1", 0)
    )
    server.port = transport.get_extra_info("sockname")[1]
    try:
        yield server
    finally:
        transport.close()
