"""The dialer of the browser tests: real Ray actors with the simulated carrier answering
every call, and the demo data with every callee at midday (their calling window open)."""

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import ray
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.runtime import RayDialer
from config.settings import Settings
from store import demo
from store.models import Campaign, Contact

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


def midday_zone() -> str:
    """A fixed-offset zone where it is about noon now, so the calling window is open."""
    offset = (12 - datetime.now(UTC).hour + 12) % 24 - 12
    return f"Etc/GMT{-offset:+d}" if offset else "UTC"


@contextlib.asynccontextmanager
async def ray_dialer(settings: Settings, **overrides: Any) -> AsyncIterator[RayDialer]:
    """A dialer in its own Ray namespace, killed at the end."""
    dialer_settings = settings.model_copy(
        update={"dialer_enabled": True, "carrier_options": ALWAYS_ANSWERED, **overrides}
    )
    started = RayDialer(dialer_settings, namespace=f"ui-{uuid.uuid4().hex[:8]}")
    await started.start()
    try:
        yield started
    finally:
        await started.close()
        for handle in started.handles():
            ray.kill(handle, no_restart=True)


async def demo_floor(sessions: async_sessionmaker[AsyncSession], kind: str = "call") -> int:
    """The demo data, with every contact in a zone where it is midday (window open); the id
    of the demo campaign of `kind`."""
    async with sessions() as session, session.begin():
        await demo.seed(session)
        await session.execute(update(Contact).values(timezone=midday_zone()))
    return await demo_campaign(sessions, kind)


async def demo_campaign(sessions: async_sessionmaker[AsyncSession], kind: str) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(Campaign.id).where(Campaign.kind == kind)) or 0)
