"""What an actor sends to the live stream, collected for a test to read."""

from typing import Any


class Published(list[dict[str, Any]]):
    """Pass it as an actor's `publish`: it keeps every event, in order."""

    async def __call__(self, events: list[dict[str, Any]]) -> None:
        self.extend(events)

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self if e["type"] == kind]
