"""The Ray actor that hosts a dialer floor, and the event hub that carries its events out.

A shard is one Ray worker process holding many logical actors (campaigns, dial queues,
agents: see actors/floor.py). Ray restarts it when its process dies; the constructor then
rebuilds everything from the database. Calls are at-most-once (max_task_retries=0): the
side effects they cause carry idempotency keys in the database, so a caller that sees
ActorUnavailableError may retry reads, and commands only after checking their effect.
"""

import asyncio
import os
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import ray

from actors.floor import Floor, FloorConfig
from engine.errors import DomainError

# A result that crosses Ray: ("ok", value) or ("error", status, code, message, field errors).
Result = tuple[Any, ...]


def _error(exc: DomainError) -> Result:
    return ("error", exc.status, exc.code, exc.message, [(e.field, e.message) for e in exc.errors])


@ray.remote(max_restarts=-1, max_task_retries=0)
class DialerShard:
    def __init__(self, config: FloorConfig, hub_name: str | None, namespace: str) -> None:
        self.hub = ray.get_actor(hub_name, namespace=namespace) if hub_name else None
        self.floor = Floor(config, publish=self._publish if self.hub else None)
        self._started = False
        self._starting: asyncio.Lock | None = None

    async def _ensure_started(self) -> None:
        """The floor starts (or, after a restart, rebuilds) on the first call; the runtime
        pings every shard so a restarted one rebuilds within a second, not on demand."""
        if self._started:
            return
        self._starting = self._starting or asyncio.Lock()
        async with self._starting:
            if not self._started:
                await self.floor.start()
                self._started = True

    async def _publish(self, events: list[dict[str, Any]]) -> None:
        assert self.hub is not None
        await self.hub.publish.remote(events)

    async def call(self, method: str, *args: Any, **kwargs: Any) -> Result:
        """One entry point for the floor's commands, so domain errors cross Ray as data."""
        await self._ensure_started()
        target = getattr(self.floor, method)
        try:
            value = target(*args, **kwargs)
            if asyncio.iscoroutine(value):
                value = await value
        except DomainError as exc:
            return _error(exc)
        return ("ok", value)

    async def ping(self) -> int:
        await self._ensure_started()
        return os.getpid()

    async def metrics(self) -> dict[str, Any]:
        await self._ensure_started()
        carrier = self.floor.carrier
        return {
            "samples": self.floor.samples,
            "dialed": [tuple(d) for d in getattr(carrier, "dialed_numbers", [])],
            "counters": dict(getattr(carrier, "counters", {})),
        }


@ray.remote(max_restarts=-1, max_task_retries=0)
class EventHub:
    """Fans event batches out to one subscription per API process (DESIGN.md: one streaming
    call per process, fanned out in-process to its WebSockets)."""

    def __init__(self) -> None:
        self._queues: list[asyncio.Queue[list[dict[str, Any]]]] = []

    async def publish(self, events: list[dict[str, Any]]) -> None:
        for queue in self._queues:
            queue.put_nowait(events)

    async def subscribe(self) -> AsyncIterator[list[dict[str, Any]]]:
        queue: asyncio.Queue[list[dict[str, Any]]] = asyncio.Queue()
        self._queues.append(queue)
        try:
            yield [{"type": "subscribed", "at": datetime.now().isoformat()}]
            while True:
                yield await queue.get()
        finally:
            self._queues.remove(queue)
