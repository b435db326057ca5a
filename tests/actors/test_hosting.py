"""With no Ray address configured, the app starts a Ray of its own: it never joins whatever
cluster the machine's environment points at. Runs in a subprocess: a process holds one Ray
connection."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import ray
from actors.hosting import ensure_ray
from config.settings import Settings

ensure_ray(Settings(environment="test", ray_namespace="hosting-test"))
print(ray.get_runtime_context().gcs_address)
ray.shutdown()
"""


@pytest.mark.slow
async def test_an_unset_ray_address_starts_a_local_ray_whatever_ray_address_says() -> None:
    nowhere = "127.0.0.1:9"  # the discard port: a cluster that does not exist
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=os.environ | {"RAY_ADDRESS": nowhere, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=90,  # joining the address instead would wait here until killed
    )
    assert done.returncode == 0, done.stderr[-3000:]
    address = done.stdout.strip().splitlines()[-1]
    assert address and address != nowhere
