"""The browser tests' dialer: real Ray actors with the simulated carrier, every call answered."""

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import ray

from actors.runtime import RayDialer
from config.settings import Settings

# Every call is answered after a short ring and lasts until the agent hangs up.
ALWAYS_ANSWERED = {
    "time_scale": 0.002,
    "seed": 5,
    "p_answered": 1.0,
    "p_machine": 0.0,
    "p_no_answer": 0.0,
    "p_busy": 0.0,
    "p_failed": 0.0,
    "talk_s": [3_000_000.0, 3_000_000.0],
}


@pytest.fixture(scope="session")
def local_ray() -> Iterator[None]:
    started = not ray.is_initialized()
    if started:
        ray.init(
            num_cpus=2, include_dashboard=False, log_to_driver=False, namespace="pivotal-tests"
        )
    yield
    if started:
        ray.shutdown()


@pytest.fixture
async def dialer(local_ray: None, settings: Settings) -> AsyncIterator[RayDialer]:
    dialer_settings = settings.model_copy(
        update={"dialer_enabled": True, "carrier_options": ALWAYS_ANSWERED, "media_enabled": True}
    )
    started = RayDialer(dialer_settings, namespace=f"ui-{uuid.uuid4().hex[:8]}")
    await started.start()
    yield started
    await started.close()
    for handle in started.handles():
        ray.kill(handle, no_restart=True)
