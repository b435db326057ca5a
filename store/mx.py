"""MX lookup of email domains for imports: does a domain accept mail at all?

Lives beside store/imports.py, the pipeline that asks it (engine/ does no I/O). One MxLookup
serves one import run: each domain is looked up once however many rows share it, and at
most `concurrency` lookups are in flight. Only a definite answer rejects a row: the domain
does not exist, publishes a null MX (RFC 7505), or has no MX and no A/AAAA record to fall
back on (RFC 5321 §5.1). A timeout or a failing server means "cannot tell": the row is kept.
"""

import asyncio

import dns.asyncresolver
import dns.exception
import dns.name
import dns.resolver

from config.settings import Settings


class MxLookup:
    def __init__(
        self, *, nameservers: list[str], port: int, timeout: float, concurrency: int
    ) -> None:
        # No nameservers given: the system's resolv.conf, read only then.
        self.resolver = dns.asyncresolver.Resolver(configure=not nameservers)
        if nameservers:
            self.resolver.nameservers = list(nameservers)
        self.resolver.port = port
        self.resolver.lifetime = timeout
        self.limit = asyncio.Semaphore(concurrency)
        self.answers: dict[str, asyncio.Future[str | None]] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> "MxLookup":
        return cls(
            nameservers=settings.import_dns_nameservers,
            port=settings.import_dns_port,
            timeout=settings.import_dns_timeout_seconds,
            concurrency=settings.import_dns_concurrency,
        )

    async def reason(self, domain: str) -> str | None:
        """Why mail to `domain` cannot be delivered; None if it can (or if DNS cannot tell).
        Rows of the same domain looked up at once share the one lookup."""
        if domain not in self.answers:
            self.answers[domain] = asyncio.ensure_future(self._lookup(domain))
        return await self.answers[domain]

    async def _lookup(self, domain: str) -> str | None:
        async with self.limit:
            try:
                answer = await self.resolver.resolve(domain, "MX")
            except dns.resolver.NXDOMAIN:
                return f"The email domain {domain} does not exist (DNS)."
            except dns.resolver.NoAnswer:
                return await self._address_fallback(domain)
            except dns.exception.DNSException:
                return None
        exchanges = [record.exchange for record in answer]
        if exchanges == [dns.name.root]:
            return f"The email domain {domain} accepts no email (null MX)."
        return None

    async def _address_fallback(self, domain: str) -> str | None:
        for rdtype in ("A", "AAAA"):
            try:
                await self.resolver.resolve(domain, rdtype)
            except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
                continue
            except dns.exception.DNSException:
                return None
            return None
        return f"The email domain {domain} has no MX record and no A/AAAA record."
