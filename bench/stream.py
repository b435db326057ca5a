"""Live-stream benchmark: actor state change → browser over WebSocket, with many subscribers.

    .venv/bin/python -m bench.stream --size smoke|full

Starts the dialer actors (local Ray), an API process (uvicorn, a Ray driver of the same
cluster) and N WebSocket subscribers signed in as a campaign manager (who receive every
event). It then changes agents' states at a steady rate; every event carries the time the
actor emitted it, and each subscriber notes when it arrived.
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import ray
import websockets
from alembic import command
from alembic.config import Config
from sqlalchemy import insert

from actors.runtime import RayDialer
from api.security import create_access_token
from config.settings import Settings
from store.db import create_engine, session_factory
from store.models import Campaign, User

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret-" + "x" * 32


@dataclass(frozen=True)
class Size:
    subscribers: int
    agents: int
    changes_per_s: float
    seconds: float


SIZES = {
    "smoke": Size(subscribers=50, agents=10, changes_per_s=20, seconds=5),
    "full": Size(subscribers=1000, agents=50, changes_per_s=10, seconds=20),
}


async def seed(url: str, agents: int) -> tuple[int, list[int], int]:
    engine = create_engine(url)
    now = datetime.now(UTC)
    person = {"password_hash": "-", "is_active": True, "created_at": now, "updated_at": now}
    async with session_factory(engine)() as session, session.begin():
        manager = await session.scalar(
            insert(User).returning(User.id),
            [
                {"email": "manager@bench.test", "full_name": "M", "role": "campaign_manager"}
                | person
            ],
        )
        ids = list(
            await session.scalars(
                insert(User).returning(User.id),
                [
                    {"email": f"a{n}@bench.test", "full_name": f"A{n}", "role": "agent"} | person
                    for n in range(agents)
                ],
            )
        )
        campaign = await session.scalar(
            insert(Campaign).returning(Campaign.id),
            [
                {
                    "kind": "call",
                    "name": "Stream bench",
                    "status": "draft",
                    "audience": {"contact_ids": []},
                    "settings": {},
                    "created_at": now,
                    "updated_at": now,
                }
            ],
        )
    await engine.dispose()
    assert manager is not None and campaign is not None
    return manager, ids, campaign


class Subscribers:
    def __init__(self, count: int) -> None:
        self.latencies: list[float] = []
        self.waiting = count
        self.all_ready = asyncio.Event()

    async def listen(self, url: str, until: float) -> None:
        async with websockets.connect(url, max_queue=None) as socket:
            await socket.recv()  # hello
            self.waiting -= 1
            if not self.waiting:
                self.all_ready.set()
            while time.time() < until:
                try:
                    message = await asyncio.wait_for(socket.recv(), max(0.1, until - time.time()))
                except TimeoutError:
                    break
                arrived = time.time()
                for event in json.loads(message):
                    if "at" in event:
                        self.latencies.append(arrived - event["at"])


async def change_states(dialer: RayDialer, agents: list[int], size: Size, until: float) -> int:
    paused = dict.fromkeys(agents, True)
    changes, n = 0, 0
    pause = 1 / size.changes_per_s
    while time.time() < until:
        agent = agents[n % len(agents)]
        n += 1
        await dialer.command(
            "ready" if paused[agent] else "pause", agent, *([] if paused[agent] else ["bench"])
        )
        paused[agent] = not paused[agent]
        changes += 1
        await asyncio.sleep(pause)
    return changes


def api_process(url: str, address: str, namespace: str, port: int) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "PIVOTAL_DATABASE_URL": url,
        "PIVOTAL_SECRET_KEY": SECRET,
        "PIVOTAL_RAY_ADDRESS": address,
        "PIVOTAL_RAY_NAMESPACE": namespace,
        "PIVOTAL_ENVIRONMENT": "test",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "api.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--ws-max-queue",
            "4096",
        ],
        cwd=ROOT,
        env=env,
    )


async def wait_healthy(base: str) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(600):
            try:
                if (await http.get(f"{base}/api/v1/health", timeout=1)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the API process did not start")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


async def main(size: Size) -> dict[str, float]:
    url = f"sqlite+aiosqlite:///{tempfile.mkdtemp(prefix='pivotal-stream-')}/bench.db"
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    await asyncio.to_thread(command.upgrade, config, "head")
    manager, agents, campaign = await seed(url, size.agents)
    settings = Settings(
        database_url=url, secret_key=SECRET, environment="test", media_enabled=False
    )
    namespace = "stream-bench"
    ray.init(include_dashboard=False, log_to_driver=False, namespace=namespace)
    dialer = RayDialer(settings, namespace=namespace)
    await dialer.start()
    await dialer.command("start_campaign", campaign)
    for agent in agents:
        await dialer.command("login", agent, [campaign])
    port = 18000 + os.getpid() % 1000
    process = api_process(url, ray.get_runtime_context().gcs_address, namespace, port)
    try:
        await wait_healthy(f"http://127.0.0.1:{port}")
        token = create_access_token(settings, user_id=manager, role="campaign_manager")
        listeners = Subscribers(size.subscribers)
        until = time.time() + size.seconds + 30
        tasks = [
            asyncio.create_task(
                listeners.listen(f"ws://127.0.0.1:{port}/api/v1/stream?access_token={token}", until)
            )
            for _ in range(size.subscribers)
        ]
        await listeners.all_ready.wait()
        changes = await change_states(dialer, agents, size, time.time() + size.seconds)
        await asyncio.sleep(1)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        process.terminate()
        process.wait(30)
        await dialer.close()
        ray.shutdown()
    lat = listeners.latencies
    return {
        "subscribers": size.subscribers,
        "state_changes": changes,
        "events_delivered": len(lat),
        "stream_latency_p50_ms": round(percentile(lat, 0.5) * 1000, 1),
        "stream_latency_p99_ms": round(percentile(lat, 0.99) * 1000, 1),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="smoke")
    args = parser.parse_args()
    for name, value in asyncio.run(main(SIZES[args.size])).items():
        print(f"{name}: {value}{' ms' if name.endswith('_ms') else ''}")
