"""What the API process uses to talk to the send pacers.

`EmailGateway` is the port: without pacers (switched off, or tests of other parts) commands
answer 503 and `emails_suppressed` does nothing (the database guard still holds).
`RayEmail` starts (or finds) the `PacerShard` Ray actor.
"""

from collections.abc import Sequence
from typing import Any

from actors.hosting import HostClient
from actors.pacer import PacerConfig
from config.settings import Settings
from engine.errors import DomainError

PACER_NAME = "email-0"


class EmailUnavailable(DomainError):
    def __init__(self) -> None:
        super().__init__(
            message="The email pacers are not running.", code="email_unavailable", status=503
        )


class EmailGateway:
    async def command(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Runs a `Pacers` method (actors/pacer.py); domain errors come back as raised."""
        raise EmailUnavailable

    async def emails_suppressed(self, emails: Sequence[str]) -> None:
        """Tells the pacers these addresses must get nothing more, from now on."""

    async def close(self) -> None:
        pass


def pacer_config(settings: Settings) -> PacerConfig:
    return PacerConfig(
        database_url=settings.database_url,
        secret_key=settings.secret_key,
        public_base_url=settings.public_base_url,
        smtp_host=settings.smtp_host,
        smtp_port=settings.smtp_port,
        connections=settings.smtp_connections,
        unsubscribe_mailbox=settings.unsubscribe_mailbox or None,
        bounce_address=settings.bounce_address or None,
        bounce_maildir=settings.bounce_maildir or None,
        reply_maildir=settings.reply_maildir or None,
        redis_url=settings.redis_url,
    )


class RayEmail(EmailGateway):
    def __init__(self, settings: Settings, namespace: str | None = None) -> None:
        self.settings = settings
        self.host = HostClient(
            settings, namespace or settings.ray_namespace, self._create, EmailUnavailable
        )

    def _create(self, options: dict[str, Any]) -> Any:
        from actors.pacer_shard import PacerShard  # imports Ray only when pacers run

        return PacerShard.options(**options).remote(  # type: ignore[attr-defined]
            pacer_config(self.settings), self.host.namespace
        )

    async def start(self) -> None:
        await self.host.start(PACER_NAME)

    async def command(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return await self.host.command(method, *args, **kwargs)

    async def emails_suppressed(self, emails: Sequence[str]) -> None:
        if emails:
            await self.command("suppress_emails", list(emails))

    async def close(self) -> None:
        await self.host.close()
