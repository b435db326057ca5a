"""The Ray actor that hosts the dialer floor (actors/floor.py): every running call campaign,
its dial queue and every logged-in agent, in one worker process (see actors/hosting.py)."""

from typing import Any

import ray

from actors.floor import Floor, FloorConfig
from actors.hosting import HostActor
from actors.media import RayMedia


@ray.remote(max_restarts=-1, max_task_retries=0)
class DialerShard(HostActor):
    def __init__(self, config: FloorConfig, namespace: str) -> None:
        super().__init__(config.redis_url, namespace)
        media = RayMedia(namespace) if config.media else None
        self.floor = Floor(config, publish=self.publish, media=media)
        self.hosted = self.floor

    async def reset_samples(self) -> None:
        for samples in self.floor.samples.values():
            samples.clear()

    async def metrics(self) -> dict[str, Any]:
        """What the carrier saw and the floor measured, for benchmarks."""
        await self._ensure_started()
        carrier = self.floor.carrier
        return {
            "samples": self.floor.samples,
            "dialed": [tuple(d) for d in getattr(carrier, "dialed_numbers", [])],
            "counters": dict(getattr(carrier, "counters", {})),
        }
