"""The Ray actor that hosts every running email campaign's send pacer (actors/pacer.py), in
one worker process (see actors/hosting.py)."""

import ray

from actors.hosting import HostActor
from actors.pacer import PacerConfig, Pacers


@ray.remote(max_restarts=-1, max_task_retries=0)
class PacerShard(HostActor):
    def __init__(self, config: PacerConfig, namespace: str) -> None:
        super().__init__(config.redis_url, namespace)
        self.hosted = Pacers(config, publish=self.publish)
