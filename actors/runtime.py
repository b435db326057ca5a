"""The dialer's Ray actors as the API process sees them: it starts (or finds) them and is
the API's gateway to them (actors/gateway.py).

Locally (no PIVOTAL_RAY_ADDRESS) the API process starts Ray itself and the actors live as
long as it does. Against a cluster they are detached and named in the namespace, so every
API process finds the same ones. The dialer's Ray footprint is two worker processes
whatever the number of agents: one dialer shard and one event hub.
"""

from collections.abc import AsyncIterator, Sequence
from typing import Any

from ray.exceptions import RayError
from redis.asyncio import Redis

from actors.events import HUB_NAME, Batch, EventHub, deliver, redis_events
from actors.floor import FloorConfig
from actors.gateway import DialerGateway, DialerUnavailable, MediaUnavailable
from actors.hosting import HostClient, actor_options, ensure_ray
from actors.media import MEDIA_NAME, MediaActor
from actors.shard import DialerShard
from config.settings import Settings

SHARD_NAME = "dialer-0"


def floor_config(settings: Settings) -> FloorConfig:
    return FloorConfig(
        database_url=settings.database_url,
        carrier=settings.carrier,
        carrier_options=(
            settings.telnyx_options() if settings.carrier == "telnyx" else settings.carrier_options
        ),
        caller_id=settings.caller_id,
        redis_url=settings.redis_url,
        media=settings.media_enabled,
        transcribe=settings.transcription != "off",
    )


class RayDialer(DialerGateway):
    def __init__(self, settings: Settings, namespace: str | None = None) -> None:
        self.settings = settings
        self.namespace = namespace or settings.ray_namespace
        self.hub: Any = None
        self.media_actor: Any = None
        self.redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
        self.host = HostClient(settings, self.namespace, self._create_shard, DialerUnavailable)

    def _create_shard(self, options: dict[str, Any]) -> Any:
        return DialerShard.options(  # type: ignore[attr-defined]
            resources=self.settings.dialer_resources, **options
        ).remote(floor_config(self.settings), self.namespace)

    @property
    def shard(self) -> Any:
        return self.host.actor

    async def start(self) -> None:
        ensure_ray(self.settings)
        options = actor_options(self.settings, HUB_NAME, self.namespace)
        self.hub = EventHub.options(**options).remote()  # type: ignore[attr-defined]
        if self.settings.media_enabled:
            options = actor_options(self.settings, MEDIA_NAME, self.namespace)
            self.media_actor = MediaActor.options(**options).remote(  # type: ignore[attr-defined]
                self.settings
            )
            if self.settings.carrier == "telnyx" and self.settings.media_stream_public_url:
                await self.media_actor.serve_streams.remote(
                    self.settings.media_stream_host,
                    self.settings.media_stream_port,
                    self.settings.secret_key,
                )
        await self.host.start(SHARD_NAME)

    async def command(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return await self.host.command(method, *args, **kwargs)

    async def media(self, method: str, *args: Any) -> Any:
        if self.media_actor is None:
            raise MediaUnavailable
        try:
            return await getattr(self.media_actor, method).remote(*args)
        except RayError as exc:
            raise MediaUnavailable from exc

    async def numbers_suppressed(self, numbers: Sequence[str]) -> None:
        if numbers:
            await self.command("suppress_numbers", list(numbers))

    async def publish(self, events: Batch) -> bool:
        await deliver(events, redis=self.redis, hub=self.hub)
        return True

    async def events(self) -> AsyncIterator[Batch]:
        if self.settings.redis_url:
            async for batch in redis_events(self.settings.redis_url):
                yield batch
            return
        async for ref in self.hub.subscribe.remote():
            yield await ref

    def handles(self) -> list[Any]:
        """The Ray actors this dialer started or found (for tests and benchmarks to kill)."""
        return [h for h in (self.shard, self.hub, self.media_actor) if h is not None]

    async def metrics(self) -> dict[str, Any]:
        result: dict[str, Any] = await self.shard.metrics.remote()
        return result

    async def close(self) -> None:
        await self.host.close()
        if self.redis is not None:
            await self.redis.aclose()
