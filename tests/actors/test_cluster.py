"""On a simulated multi-node cluster, losing the dialer's node moves it to another node,
rebuilt from the database. Runs in a subprocess: a process holds one Ray connection."""

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.actors.floors import Setup, add_agents, add_campaign, add_dispositions, us_numbers
from tests.actors.test_runtime import midday_zone

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
async def test_losing_the_dialer_node_moves_the_dialer_to_another_node(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    setup = Setup()
    await add_dispositions(sessions)
    campaign = await add_campaign(sessions, us_numbers(5), setup=setup, timezone=midday_zone())
    (agent,) = await add_agents(sessions, 1, setup)
    done = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            "-m",
            "tests.actors.cluster_scenario",
            database_url,
            str(campaign),
            str(agent),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["before"] != seen["after"]
    assert seen["campaigns"] == [campaign]
    assert seen["agents"] == [agent]
    assert seen["recovered_s"] < 60
