"""Starts, names and supervises the dialer's Ray actors, and is the API's gateway to them.

Locally (no PIVOTAL_RAY_ADDRESS) the API process starts Ray itself and the actors live as
long as it does. Against a cluster the actors are detached and named in the namespace, so
every API process finds the same ones (`get_if_exists`). The engine's Ray footprint is two
worker processes whatever the number of agents: one dialer shard and one event hub.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from typing import Any

import ray
from ray.exceptions import ActorDiedError, ActorUnavailableError

from actors.floor import FloorConfig
from actors.gateway import DialerGateway, DialerUnavailable
from actors.shard import DialerShard, EventHub, redis_events
from config.settings import Settings
from engine.errors import DomainError, FieldError

log = logging.getLogger(__name__)

SHARD_NAME = "dialer-0"
HUB_NAME = "event-hub"
# A restarted actor rebuilds on its first call; the supervisor makes that call promptly.
SUPERVISE_SECONDS = 0.5


def floor_config(settings: Settings) -> FloorConfig:
    return FloorConfig(
        database_url=settings.database_url,
        carrier=settings.carrier,
        carrier_options=dict(settings.carrier_options),
        caller_id=settings.caller_id,
        redis_url=settings.redis_url,
    )


def ensure_ray(settings: Settings) -> None:
    if ray.is_initialized():
        return
    ray.init(
        address=settings.ray_address,
        namespace=settings.ray_namespace,
        include_dashboard=False,
        logging_level=logging.WARNING,
        log_to_driver=False,
    )


class RayDialer(DialerGateway):
    def __init__(self, settings: Settings, namespace: str | None = None) -> None:
        self.settings = settings
        self.namespace = namespace or settings.ray_namespace
        self._supervisor: asyncio.Task[None] | None = None
        self.shard: Any = None
        self.hub: Any = None

    async def start(self) -> None:
        ensure_ray(self.settings)
        detached = self.settings.ray_address is not None
        options: dict[str, Any] = {
            "namespace": self.namespace,
            "get_if_exists": True,
            "lifetime": "detached" if detached else None,
            "num_cpus": 0,  # they wait on I/O; don't let Ray's CPU accounting starve them
        }
        self.hub = EventHub.options(name=HUB_NAME, **options).remote()  # type: ignore[attr-defined]
        self.shard = DialerShard.options(  # type: ignore[attr-defined]
            name=SHARD_NAME, resources=self.settings.dialer_resources, **options
        ).remote(floor_config(self.settings), HUB_NAME, self.namespace)
        await self.shard.ping.remote()
        self._supervisor = asyncio.get_running_loop().create_task(self._supervise())

    async def _supervise(self) -> None:
        while True:
            await asyncio.sleep(SUPERVISE_SECONDS)
            with contextlib.suppress(ActorUnavailableError, ActorDiedError):
                await self.shard.ping.remote()

    async def command(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if self.shard is None:
            raise DialerUnavailable
        try:
            result = await self.shard.call.remote(method, *args, **kwargs)
        except (ActorUnavailableError, ActorDiedError) as exc:
            # At-most-once: the command may or may not have run; the caller decides.
            log.warning("dialer unavailable for %s: %s", method, exc)
            raise DialerUnavailable from exc
        if result[0] == "ok":
            return result[1]
        _, status, code, message, errors = result
        raise DomainError(message, code, status, [FieldError(f, m) for f, m in errors])

    async def numbers_suppressed(self, numbers: Sequence[str]) -> None:
        if numbers:
            await self.command("suppress_numbers", list(numbers))

    async def events(self) -> AsyncIterator[list[dict[str, Any]]]:
        if self.settings.redis_url:
            async for batch in redis_events(self.settings.redis_url):
                yield batch
            return
        async for ref in self.hub.subscribe.remote():
            yield await ref

    async def metrics(self) -> dict[str, Any]:
        result: dict[str, Any] = await self.shard.metrics.remote()
        return result

    async def close(self) -> None:
        if self._supervisor is not None:
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor
