"""Real Ray for the actor tests: one local Ray per run, and dialers started on it."""

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import ray

from actors.runtime import RayDialer
from config.settings import Settings
from tests.actors.emails import maildir_mx


@pytest.fixture(scope="session")
def ray_address() -> Iterator[str]:
    started = not ray.is_initialized()  # the browser tests may have started it
    if started:
        ray.init(
            num_cpus=2, include_dashboard=False, log_to_driver=False, namespace="pivotal-tests"
        )
    yield ray.get_runtime_context().gcs_address
    if started:
        ray.shutdown()


def dialer_settings(settings: Settings, profile: dict[str, Any], media: bool = False) -> Settings:
    update = {"dialer_enabled": True, "carrier_options": profile, "media_enabled": media}
    return settings.model_copy(update=update)


@pytest.fixture
async def start_dialer(ray_address: str, settings: Settings) -> AsyncIterator[Any]:
    started: list[RayDialer] = []

    async def start(profile: dict[str, Any], media: bool = False) -> RayDialer:
        dialer = RayDialer(
            dialer_settings(settings, profile, media), namespace=f"t-{uuid.uuid4().hex[:8]}"
        )
        await dialer.start()
        started.append(dialer)
        return dialer

    yield start
    for dialer in started:
        await dialer.close()
        for handle in dialer.handles():
            ray.kill(handle, no_restart=True)


@pytest.fixture
def bounce_mx(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """The bounce address's MTA: a real SMTP server that delivers into a Maildir."""
    yield from maildir_mx(tmp_path / "bounces")
