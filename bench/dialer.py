"""Dialer benchmark: N simulated agents over M campaigns on the simulated carrier.

    .venv/bin/python -m bench.dialer --size smoke|full

Runs the real engine (Ray actors; a PostgreSQL server it starts, or a SQLite file; the
simulated carrier with short ring/talk times). This process plays the agents: it readies
them all, disposes their calls after a short wrap-up and sends do-not-call requests for
numbers that are in the hoppers while dialing runs. It prints DESIGN.md's figures, one per line.
"""

import argparse
import asyncio
import contextlib
import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
import ray
from alembic import command
from alembic.config import Config
from sqlalchemy import insert

from actors.runtime import RayDialer
from bench._postgres import postgres_server
from config.settings import Settings
from engine.calling_window import CallingWindow, callee_timezones, is_callable
from engine.credentials import hash_password
from engine.disposition import DEFAULT_DISPOSITIONS
from store.db import create_engine, session_factory
from store.models import Campaign, CampaignLead, Contact, Disposition, Suppression, User

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Size:
    agents: int
    campaigns: int
    leads_per_campaign: int
    seconds: float
    dnc_requests: int
    # Simulated talk time [low, high] (times PROFILE's time_scale): sets the offered load.
    talk_s: tuple[float, float] = (20.0, 60.0)
    # Seconds served before measuring: every agent readied at once is a burst, not the
    # steady state the targets are about (the burst is in the "all" figures).
    warmup: float = 10.0


SIZES = {
    "smoke": Size(
        agents=40, campaigns=4, leads_per_campaign=400, seconds=10, dnc_requests=30, warmup=3
    ),
    # 1,000 agents offering ≈ 130 dials/s (DESIGN's target is ≥ 100): the latency targets.
    "full": Size(
        agents=1000,
        campaigns=50,
        leads_per_campaign=1500,
        seconds=60,
        dnc_requests=300,
        talk_s=(50.0, 200.0),
    ),
    # The same floor with 2-6 s calls: more dials than the engine can place, so dials_per_s
    # is its ceiling and the latencies show it saturated.
    "saturate": Size(
        agents=1000, campaigns=50, leads_per_campaign=1500, seconds=60, dnc_requests=300
    ),
}
PROFILE = {
    "p_answered": 0.25,
    "p_machine": 0.15,
    "p_no_answer": 0.4,
    "p_busy": 0.1,
    "p_failed": 0.1,
    # Simulated seconds times 0.1: ring 1-4 s, talk 2-6 s, no answer after 3 s.
    "setup_s": [1.0, 3.0],
    "ring_s": [10.0, 40.0],
    "talk_s": [20.0, 60.0],
    "time_scale": 0.1,
    "seed": 42,
}
WRAP_UP_SECONDS = 0.3
# A third of the contacts sit where it is night now: none of them may be dialed.
NIGHT_SHARE = 3


def zone_at_hour(hour: int) -> str:
    offset = (hour - datetime.now(UTC).hour + 12) % 24 - 12
    return f"Etc/GMT{-offset:+d}" if offset else "UTC"


async def seed(url: str, size: Size) -> tuple[list[int], list[int], dict[str, str]]:
    """Agents, campaigns and contacts, inserted in bulk. Returns ids and phone → zone."""
    engine = create_engine(url)
    day, night = zone_at_hour(12), zone_at_hour(2)
    phones: dict[str, str] = {}
    async with session_factory(engine)() as session, session.begin():
        password = hash_password("bench")
        agents = list(
            await session.scalars(
                insert(User).returning(User.id),
                [
                    {
                        "email": f"agent{n}@bench.test",
                        "full_name": f"Agent {n}",
                        "password_hash": password,
                        "role": "agent",
                        "is_active": True,
                        "created_at": datetime.now(UTC),
                        "updated_at": datetime.now(UTC),
                    }
                    for n in range(size.agents)
                ],
            )
        )
        await session.execute(
            insert(Disposition),
            [
                {
                    "code": d.code,
                    "label": d.label,
                    "rule": d.rule,
                    "shortcut": d.shortcut,
                    "retry_outcome": d.retry_outcome,
                }
                for d in DEFAULT_DISPOSITIONS
            ],
        )
        retry = {"no_answer": 0, "busy": 0, "machine": 0, "failed": 0, "max_attempts": 100}
        campaigns = list(
            await session.scalars(
                insert(Campaign).returning(Campaign.id),
                [
                    {
                        "kind": "call",
                        "name": f"Bench {n}",
                        "status": "draft",
                        "audience": {},
                        "settings": {"wrap_up_seconds": WRAP_UP_SECONDS, "retry": retry},
                        "created_at": datetime.now(UTC),
                        "updated_at": datetime.now(UTC),
                    }
                    for n in range(size.campaigns)
                ],
            )
        )
        total = size.campaigns * size.leads_per_campaign
        rows = []
        for n in range(total):
            phone = f"+1{212 + n % 700:03d}{2000000 + n // 700:07d}"
            zone = night if n % NIGHT_SHARE == 0 else day
            phones[phone] = zone
            rows.append(
                {
                    "email": f"c{n}@bench.test",
                    "direct_phone_e164": phone,
                    "phone_status": "valid",
                    "timezone": zone,
                    "email_verification_status": "unverified",
                    "email_status": "active",
                    "intent_topics": [],
                    "custom_fields": {},
                    "created_at": datetime.now(UTC),
                    "updated_at": datetime.now(UTC),
                }
            )
        contacts = list(await session.scalars(insert(Contact).returning(Contact.id), rows))
        await session.execute(
            insert(CampaignLead),
            [
                {
                    "campaign_id": campaigns[n % size.campaigns],
                    "contact_id": contact,
                    "status": "pending",
                    "priority": 0,
                    "attempts": 0,
                    "updated_at": datetime.now(UTC),
                }
                for n, contact in enumerate(contacts)
            ],
        )
    await engine.dispose()
    return agents, campaigns, phones


class Agents:
    """Plays every agent: ready at once, a disposition after the wrap-up, ready again."""

    def __init__(self, dialer: RayDialer, agent_ids: list[int], campaign_ids: list[int]) -> None:
        self.dialer = dialer
        self.agent_ids = agent_ids
        self.campaign_ids = campaign_ids

    async def start(self) -> None:
        per = max(1, len(self.campaign_ids))
        for n, agent_id in enumerate(self.agent_ids):
            mine = [self.campaign_ids[n % per], self.campaign_ids[(n + 1) % per]]
            await self.dialer.command("login", agent_id, sorted(set(mine)))
        await asyncio.gather(*(self.dialer.command("ready", a) for a in self.agent_ids))

    async def run(self, until: float) -> None:
        waiting: dict[int, float] = {}
        while time.monotonic() < until:
            for agent_id in await self.dialer.command("agents_in", "wrap_up"):
                if agent_id not in waiting:
                    waiting[agent_id] = time.monotonic() + WRAP_UP_SECONDS
            due = [a for a, t in waiting.items() if t <= time.monotonic()]
            await asyncio.gather(*(self._dispose(a) for a in due))
            for agent_id in due:
                waiting.pop(agent_id)
            await asyncio.sleep(0.05)

    async def _dispose(self, agent_id: int) -> None:
        await self.dialer.command(
            "dispose",
            agent_id,
            code="not_interested",
            answers={},
            notes=None,
            callback_at=None,
            callback_to_me=False,
        )


async def dnc_requests(
    url: str, dialer: RayDialer, phones: list[str], count: int, until: float
) -> tuple[dict[str, float], list[float]]:
    """Suppresses numbers while dialing runs, as the API does: row first, then the queues.
    Returns number → the moment every queue had dropped it, and each request's latency."""
    engine = create_engine(url)
    sessions = session_factory(engine)
    rng = random.Random(5)
    acked: dict[str, float] = {}
    latencies: list[float] = []
    pause = max(0.01, (until - time.monotonic()) / (count + 1))
    for number in rng.sample(phones, count):
        if time.monotonic() >= until:
            break
        async with sessions() as session, session.begin():
            session.add(Suppression(kind="phone", value=number, source="bench"))
        started = time.monotonic()
        await dialer.numbers_suppressed([number])
        latencies.append(time.monotonic() - started)
        acked[number] = time.time()
        await asyncio.sleep(pause)
    await engine.dispose()
    return acked, latencies


def engine_processes() -> list[psutil.Process]:
    """Every process of the local Ray cluster: GCS, raylet, workers, helpers."""
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if "ray" in cmdline and (
            "ray::" in cmdline
            or "gcs_server" in cmdline
            or "raylet" in cmdline
            or "ray/_private" in cmdline
            or "default_worker.py" in cmdline
        ):
            found.append(process)
    return found


async def watch_memory(until: float, peak: list[float]) -> None:
    while time.monotonic() < until:
        total = 0
        for process in engine_processes():
            try:
                total += process.memory_info().rss
            except psutil.Error:
                continue
        peak[0] = max(peak[0], total / 2**20)
        await asyncio.sleep(1)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main(size: Size, url: str) -> dict[str, Any]:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    await asyncio.to_thread(command.upgrade, config, "head")
    agent_ids, campaign_ids, phones = await seed(url, size)

    profile = PROFILE | {"talk_s": list(size.talk_s)}
    # Benchmark agents have no softphone: the media bridge would only add a process.
    settings = Settings(
        database_url=url, carrier_options=profile, environment="test", media_enabled=False
    )
    ray.init(include_dashboard=False, log_to_driver=False, namespace="bench")
    dialer = RayDialer(settings)
    await dialer.start()
    for campaign_id in campaign_ids:
        await dialer.command("start_campaign", campaign_id)
    agents = Agents(dialer, agent_ids, campaign_ids)
    await agents.start()
    await agents.run(time.monotonic() + size.warmup)
    warmup_samples = (await dialer.metrics())["samples"]
    await dialer.shard.reset_samples.remote()
    steady_from = time.time()
    began = time.monotonic()
    until = began + size.seconds
    peak = [0.0]
    day_numbers = [p for p, z in phones.items() if z == zone_at_hour(12)]
    (acked, dnc_latencies), *_ = await asyncio.gather(
        dnc_requests(url, dialer, day_numbers, size.dnc_requests, until),
        agents.run(until),
        watch_memory(until, peak),
    )
    metrics = await dialer.metrics()
    elapsed = time.monotonic() - began
    workers = sum(1 for p in engine_processes() if "ray::" in " ".join(p.cmdline()))
    ray.shutdown()
    result = figures(metrics, acked, dnc_latencies, phones, steady_from, elapsed, peak[0], workers)
    everything = warmup_samples["ready_to_dial"] + metrics["samples"]["ready_to_dial"]
    result["ready_to_dial_p99_ms_with_warmup"] = round(percentile(everything, 0.99) * 1000, 1)
    return result


def figures(
    metrics: dict[str, Any],
    acked: dict[str, float],
    dnc_latencies: list[float],
    phones: dict[str, str],
    steady_from: float,
    elapsed: float,
    peak_mb: float,
    workers: int,
) -> dict[str, Any]:
    ready = metrics["samples"]["ready_to_dial"]
    answer = metrics["samples"]["answer_to_agent"]
    dialed = metrics["dialed"]
    window = CallingWindow()
    suppressed = sum(1 for _ref, to, at, *_ in dialed if to in acked and at >= acked[to])
    outside = sum(
        1
        for _ref, to, at, *_ in dialed
        if not is_callable(
            window, callee_timezones(to, phones.get(to)), datetime.fromtimestamp(at, UTC)
        )
    )
    return {
        "ready_to_dial_p50_ms": round(percentile(ready, 0.5) * 1000, 1),
        "ready_to_dial_p99_ms": round(percentile(ready, 0.99) * 1000, 1),
        "answer_to_agent_p50_ms": round(percentile(answer, 0.5) * 1000, 2),
        "answer_to_agent_p99_ms": round(percentile(answer, 0.99) * 1000, 2),
        "dials_per_s": round(sum(1 for d in dialed if d[2] >= steady_from) / elapsed, 1),
        "dnc_to_removed_p50_ms": round(statistics.median(dnc_latencies) * 1000, 1),
        "dnc_to_removed_p99_ms": round(percentile(dnc_latencies, 0.99) * 1000, 1),
        "suppressed_dials": suppressed,
        "out_of_window_dials": outside,
        "engine_rss_mb": round(peak_mb),
        "ray_worker_processes": workers,
        "dials_total": len(dialed),
    }


UNITS = {"ms": "ms", "per_s": "dials/s", "mb": "MB"}


def unit(name: str) -> str:
    return next((u for suffix, u in UNITS.items() if name.endswith(suffix)), "")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="smoke")
    parser.add_argument(
        "--db",
        choices=["postgresql", "sqlite"],
        default="postgresql",
        help="a throw-away PostgreSQL server (durable commits), or a SQLite file",
    )
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.db == "postgresql":
            durable = {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}
            url = stack.enter_context(postgres_server(durable))
        else:
            url = f"sqlite+aiosqlite:///{tempfile.mkdtemp(prefix='pivotal-bench-')}/bench.db"
        results = asyncio.run(main(SIZES[args.size], url))
    for name, value in results.items():
        print(f"{name}: {value} {unit(name)}".rstrip())
