"""Waiting in tests for something that happens in the background."""

import asyncio
import time
from collections.abc import Callable
from typing import Any


async def wait_for(check: Callable[[], Any], within: float = 15.0) -> Any:
    """Polls `check` (plain or async) until it is truthy and returns that value; fails after
    `within` seconds.

    The limit is generous on purpose: CI runs on two loaded cores.
    """
    deadline = time.monotonic() + within
    while True:
        value = check()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)
