"""How events leave the actors: the event hub actor, or Redis pub/sub when configured.

Each API process holds one subscription (DESIGN.md: one streaming call per process, fanned
out in-process to its WebSockets, see api/stream.py).
"""

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import ray
from redis.asyncio import Redis

EVENTS_CHANNEL = "pivotal:events"
HUB_NAME = "event-hub"

Batch = list[dict[str, Any]]


@ray.remote(max_restarts=-1, max_task_retries=0)
class EventHub:
    """Passes every published batch to every subscription."""

    def __init__(self) -> None:
        self._queues: list[asyncio.Queue[Batch]] = []

    async def publish(self, events: Batch) -> None:
        for queue in self._queues:
            queue.put_nowait(events)

    async def subscribe(self) -> AsyncIterator[Batch]:
        queue: asyncio.Queue[Batch] = asyncio.Queue()
        self._queues.append(queue)
        try:
            yield [{"type": "subscribed", "at": datetime.now().isoformat()}]
            while True:
                yield await queue.get()
        finally:
            self._queues.remove(queue)


async def deliver(events: Batch, *, redis: Redis | None, hub: Any) -> None:
    """Onto the path every API process subscribes to: Redis when configured, else the hub."""
    if redis is not None:
        await redis.publish(EVENTS_CHANNEL, json.dumps(events, default=str))
    else:
        await hub.publish.remote(events)


async def redis_events(url: str) -> AsyncIterator[Batch]:
    """Event batches published by every host actor, as each API process receives them."""
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
