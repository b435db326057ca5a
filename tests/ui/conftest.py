"""Fixtures of the browser tests: one local Ray for the whole run."""

from collections.abc import Iterator

import pytest
import ray


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
