"""Many logical actors in one Ray actor process, and the API's way to reach them.

The dialer (actors/floor.py) and the send pacers (actors/pacer.py) are plain classes that
hold many logical actors. `HostActor` is the base of the Ray actor wrapping one: it starts
(or, after Ray restarted its process, rebuilds from the database) on the first call, turns
domain errors into data so they cross Ray intact, and sends events out through Redis or
the event hub. `HostClient` is the API process's side: it creates or finds the named actor,
pings it so a restarted one rebuilds within a second, and raises domain errors again.

Calls are at-most-once (max_task_retries=0): their side effects carry idempotency keys in
the database, so a caller that sees the host unavailable may retry reads, and commands only
after checking their effect.
"""

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable
from typing import Any, Protocol

import ray
from ray.actor import ActorHandle
from ray.exceptions import ActorDiedError, ActorUnavailableError
from redis.asyncio import Redis

from actors.events import HUB_NAME, deliver
from config.settings import Settings
from engine.errors import DomainError, FieldError

log = logging.getLogger(__name__)

SUPERVISE_SECONDS = 0.5

# What crosses Ray: ("ok", value) or ("error", status, code, message, [(field, message)]).
Result = tuple[Any, ...]


class Hosted(Protocol):
    async def start(self) -> None: ...


class HostActor:
    """Base of a Ray actor hosting `self.hosted`; subclasses build it in their constructor."""

    hosted: Hosted

    def __init__(self, redis_url: str | None, namespace: str) -> None:
        self._redis = Redis.from_url(redis_url) if redis_url else None
        self._namespace = namespace
        self._hub: ActorHandle[Any] | None = None
        self._started = False
        self._starting: asyncio.Lock | None = None

    async def _ensure_started(self) -> None:
        if self._started:
            return
        self._starting = self._starting or asyncio.Lock()
        async with self._starting:
            if not self._started:
                await self.hosted.start()
                self._started = True

    async def publish(self, events: list[dict[str, Any]]) -> None:
        """Events of the hosted actors, to every API process."""
        if self._redis is None and self._hub is None:
            try:
                self._hub = ray.get_actor(HUB_NAME, namespace=self._namespace)
            except ValueError:
                return  # no hub (yet): nobody is listening
        await deliver(events, redis=self._redis, hub=self._hub)

    async def call(self, method: str, *args: Any, **kwargs: Any) -> Result:
        """One entry point for the hosted object's commands."""
        await self._ensure_started()
        try:
            value = getattr(self.hosted, method)(*args, **kwargs)
            if asyncio.iscoroutine(value):
                value = await value
        except DomainError as exc:
            errors = [(e.field, e.message) for e in exc.errors]
            return ("error", exc.status, exc.code, exc.message, errors)
        return ("ok", value)

    async def ping(self) -> int:
        await self._ensure_started()
        return os.getpid()

    async def node(self) -> str:
        """The cluster node this actor runs on."""
        return str(ray.get_runtime_context().get_node_id())


def ensure_ray(settings: Settings) -> None:
    """Joins the configured cluster, or starts a Ray of our own: with no address Ray would
    join whatever `ray start` or RAY_ADDRESS left on the machine, a cluster that may not be
    ours or may no longer exist."""
    if ray.is_initialized():
        return
    ray.init(
        address=settings.ray_address or "local",
        namespace=settings.ray_namespace,
        include_dashboard=False,
        logging_level=logging.WARNING,
        log_to_driver=False,
    )


def actor_options(settings: Settings, name: str, namespace: str) -> dict[str, Any]:
    """Named, shared by every API process; detached on a cluster so no driver owns it."""
    return {
        "name": name,
        "namespace": namespace,
        "get_if_exists": True,
        "lifetime": "detached" if settings.ray_address is not None else None,
        "num_cpus": 0,  # they wait on I/O; don't let Ray's CPU accounting starve them
    }


class HostClient:
    def __init__(
        self,
        settings: Settings,
        namespace: str,
        create: Callable[[dict[str, Any]], ActorHandle[Any]],
        unavailable: Callable[[], DomainError],
    ) -> None:
        """`create(options)` makes (or finds) the actor with the given Ray options."""
        self.settings = settings
        self.namespace = namespace
        self._create = create
        self._unavailable = unavailable
        self.actor: Any = None
        self._supervisor: asyncio.Task[None] | None = None

    async def start(self, name: str) -> None:
        ensure_ray(self.settings)
        self.actor = self._create(actor_options(self.settings, name, self.namespace))
        await self.actor.ping.remote()
        self._supervisor = asyncio.get_running_loop().create_task(self._supervise())

    async def _supervise(self) -> None:
        while True:
            await asyncio.sleep(SUPERVISE_SECONDS)
            with contextlib.suppress(ActorUnavailableError, ActorDiedError):
                await self.actor.ping.remote()

    async def command(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if self.actor is None:
            raise self._unavailable()
        try:
            result = await self.actor.call.remote(method, *args, **kwargs)
        except (ActorUnavailableError, ActorDiedError) as exc:
            # At-most-once: the command may or may not have run; the caller decides.
            log.warning("%s unavailable: %s", method, exc)
            raise self._unavailable() from exc
        if result[0] == "ok":
            return result[1]
        _, status, code, message, errors = result
        raise DomainError(message, code, status, [FieldError(f, m) for f, m in errors])

    async def close(self) -> None:
        if self._supervisor is not None:
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor
