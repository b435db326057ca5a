"""Fixtures of the browser tests: one local Ray for the whole run, and a dialer on it."""

from collections.abc import AsyncIterator, Iterator

import pytest
import ray
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.runtime import RayDialer
from config.settings import Settings
from tests.ui.floor import ray_dialer


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
async def dialer(
    local_ray: None, settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[RayDialer]:
    """The dialer with agent audio (the console's softphone connects to it). It starts after
    `sessions` (the app fixture) has emptied the tables: it rebuilds its state from them."""
    async with ray_dialer(settings, media_enabled=True) as started:
        yield started
