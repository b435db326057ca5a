"""The Ray actor that hosts a dialer floor, and the event hub that carries its events out.

A shard is one Ray worker process holding many logical actors (campaigns, dial queues,
agents: see actors/floor.py). Ray restarts it when its process dies; the constructor then
rebuilds everything from the database. Calls are at-most-once (max_task_retries=0): the
side effects they cause carry idempotency keys in the database, so a caller that sees
ActorUnavailableError may retry reads, and commands only after checking their effect.
"""

import asyncio
import json
import os
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import ray
from redis.asyncio import Redis

from actors.floor import Floor, FloorConfig
from engine.errors import DomainError

EVENTS_CHANNEL = "pivotal:events"

# A result that crosses Ray: ("ok", value) or ("error", status, code, message, field errors).
Result = tuple[Any, ...]


def _error(exc: DomainError) -> Result:
    return ("error", exc.status, exc.code, exc.message, [(e.field, e.message) for e in exc.errors])


@ray.remote(max_restarts=-1, max_task_retries=0)
class DialerShard:
    def __init__(self, config: FloorConfig, hub_name: str, namespace: str) -> None:
        self.redis = Redis.from_url(config.redis_url) if config.redis_url else None
        self.hub = None if self.redis else ray.get_actor(hub_name, namespace=namespace)
        self.floor = Floor(config, publish=self._publish)
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
        if self.redis is not None:
            await self.redis.publish(EVENTS_CHANNEL, json.dumps(events, default=str))
        elif self.hub is not None:
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

    async def node(self) -> str:
        """The cluster node this shard runs on."""
        return str(ray.get_runtime_context().get_node_id())

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


async def redis_events(url: str) -> AsyncIterator[list[dict[str, Any]]]:
    """Event batches published by every shard, as each API process receives them."""
    client = Redis.from_url(url)
    pubsub = client.pubsub()
    await pubsub.subscribe(EVENTS_CHANNEL)
    try:
        async for message in pubsub.listen():
            if message["type"] == "message":
                yield json.loads(message["data"])
    finally:
        await pubsub.aclose()
        await client.aclose()
