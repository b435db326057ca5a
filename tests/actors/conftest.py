"""Fixtures shared by the tests of actors on real Ray."""

from collections.abc import Iterator

import pytest
import ray


@pytest.fixture(scope="session")
def ray_address() -> Iterator[str]:
    """One real local Ray for the whole test session (the dialer's and the pacers')."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, namespace="pivotal-tests")
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()
