"""What the API process uses to talk to the dialer actors.

`DialerGateway` is the port; `Disabled` answers 503 (the dialer is switched off, e.g. in
tests of other parts), and actors/runtime.py's `RayDialer` is the real one.
"""

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

from engine.errors import DomainError


class DialerUnavailable(DomainError):
    def __init__(self) -> None:
        super().__init__(
            message="The dialer is not running.", code="dialer_unavailable", status=503
        )


class MediaUnavailable(DomainError):
    def __init__(self) -> None:
        super().__init__(
            message="Agent audio is not available.", code="media_unavailable", status=503
        )


class DialerGateway:
    async def command(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Runs a floor method (actors/floor.py) in the dialer; domain errors come back
        as the same DomainError."""
        raise DialerUnavailable

    async def media(self, method: str, *args: Any) -> Any:
        """Runs a media bridge method (actors/media.py `MediaActor`) for the agent console."""
        raise MediaUnavailable

    async def numbers_suppressed(self, numbers: Sequence[str]) -> None:
        """Takes newly suppressed E.164 numbers out of every active dial queue at once.

        Call it after the suppression rows are committed; it returns when every queue
        has dropped them.
        """

    async def publish(self, events: list[dict[str, Any]]) -> bool:
        """Sends events made in an API process down the path `events()` reads, so every API
        process gets them; False when there is none (this process's subscribers are all)."""
        return False

    async def events(self) -> AsyncIterator[list[dict[str, Any]]]:
        """Batches of live events for this process to fan out; none without a dialer."""
        return
        yield  # the bare yield makes this an async generator that ends at once

    async def close(self) -> None:
        pass

    # Named commands, so callers read as the domain does.

    async def dispose(
        self,
        agent_id: int,
        *,
        code: str,
        answers: dict[str, Any],
        notes: str | None,
        callback_at: datetime | None,
        callback_to_me: bool,
    ) -> dict[str, Any]:
        result: dict[str, Any] = await self.command(
            "dispose",
            agent_id,
            code=code,
            answers=answers,
            notes=notes,
            callback_at=callback_at,
            callback_to_me=callback_to_me,
        )
        if result.get("suppressed"):
            await self.numbers_suppressed(result["suppressed"])
        return result
