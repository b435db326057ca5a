"""Live-stream benchmark: actor state change → browser over WebSocket, with many subscribers.

    .venv/bin/python -m bench.stream --size smoke|full

Starts the dialer actors (local Ray), an API process (uvicorn, a Ray driver of the same
cluster) and N WebSocket subscribers signed in as a campaign manager (who receive every
event). It then changes agents' states at a steady rate; every event carries the time the
actor emitted it, and each subscriber notes when it arrived (event_to_client_*).

Then Chromium shows the built wallboard (ui/dist) as the same manager, with every
subscriber still connected, and one probe agent, kept out of the load, toggles between
ready and paused a few times a second:
a MutationObserver in the page notes when the probe's state cell changes, which against the
actor's time of the event is event_to_dom_* (skipped, with a note, when ui/dist is absent).
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
CHROMIUM = "/usr/bin/chromium"
PROBE_TOGGLES = 20
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
    def __init__(self, count: int, probe: int) -> None:
        self.latencies: list[float] = []
        self.probe = probe
        self.probe_events: list[float] = []  # actor times of the probe's state changes
        self.waiting = count
        self.all_ready = asyncio.Event()

    async def listen(self, url: str, until: float, *, first: bool = False) -> None:
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
                        if first and event.get("agent_id") == self.probe:
                            self.probe_events.append(event["at"])


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


# Records (time, text) of every change of the probe's state cell on the monitor page.
OBSERVE = """probe => {
  window.__changes = [];
  const selector = `[data-testid=agent-${probe}] [data-testid=agent-row-state]`;
  const cell = () => document.querySelector(selector);
  new MutationObserver(() => {
    const text = cell()?.textContent;
    const last = window.__changes[window.__changes.length - 1];
    if (text && (!last || last[1] !== text)) window.__changes.push([Date.now() / 1000, text]);
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


async def toggle_probe(dialer: RayDialer, probe: int, times: int) -> None:
    for n in range(times):
        await dialer.command("ready" if n % 2 == 0 else "pause", probe, *(["probe"] * (n % 2)))
        await asyncio.sleep(0.3)  # apart enough that React renders each change


async def dom_latencies(
    base: str, session: dict[str, object], probe: int, dialer: RayDialer, listeners: Subscribers
) -> list[float]:
    """Event (actor time) → the monitor page's DOM showing it, in Chromium."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = await browser.new_page()
            stored = json.dumps(json.dumps(session))
            await page.add_init_script(f"localStorage.setItem('pivotal.session', {stored})")
            await page.goto(f"{base}/#/monitor")
            cell = f"[data-testid=agent-{probe}] [data-testid=agent-row-state]"
            await page.wait_for_selector(cell, timeout=30_000)
            await page.evaluate(OBSERVE, probe)
            seen = len(listeners.probe_events)
            await toggle_probe(dialer, probe, PROBE_TOGGLES)
            await asyncio.sleep(1)
            changes: list[list[object]] = await page.evaluate("window.__changes")
        finally:
            await browser.close()
    events = listeners.probe_events[seen:]
    shown = [float(str(at)) for at, _ in changes]
    return [dom - at for at, dom in zip(events, shown, strict=False) if dom >= at]


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
    manager, agents, campaign = await seed(url, size.agents + 1)
    probe, agents = agents[0], agents[1:]
    settings = Settings(
        database_url=url, secret_key=SECRET, environment="test", media_enabled=False
    )
    namespace = "stream-bench"
    ray.init(include_dashboard=False, log_to_driver=False, namespace=namespace)
    dialer = RayDialer(settings, namespace=namespace)
    await dialer.start()
    await dialer.command("start_campaign", campaign)
    for agent in [probe, *agents]:
        await dialer.command("login", agent, [campaign])
    port = 18000 + os.getpid() % 1000
    process = api_process(url, ray.get_runtime_context().gcs_address, namespace, port)
    try:
        await wait_healthy(f"http://127.0.0.1:{port}")
        token = create_access_token(settings, user_id=manager, role="campaign_manager")
        listeners = Subscribers(size.subscribers, probe)
        until = time.time() + size.seconds + 60
        stream = f"ws://127.0.0.1:{port}/api/v1/stream?access_token={token}"
        tasks = [
            asyncio.create_task(listeners.listen(stream, until, first=n == 0))
            for n in range(size.subscribers)
        ]
        await listeners.all_ready.wait()
        changes = await change_states(dialer, agents, size, time.time() + size.seconds)
        # Then the browser, with every subscriber still connected: the page shares the one
        # API process with them, but not the load's burst of events.
        dom: list[float] = []
        if (ROOT / "ui" / "dist" / "index.html").is_file():
            session = browser_session(token, manager)
            dom = await dom_latencies(f"http://127.0.0.1:{port}", session, probe, dialer, listeners)
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
    figures: dict[str, float] = {
        "subscribers": size.subscribers,
        "state_changes": changes,
        "events_delivered": len(lat),
        "event_to_client_p50_ms": round(percentile(lat, 0.5) * 1000, 1),
        "event_to_client_p99_ms": round(percentile(lat, 0.99) * 1000, 1),
    }
    if dom:
        figures["dom_samples"] = len(dom)
        figures["event_to_dom_p50_ms"] = round(percentile(dom, 0.5) * 1000, 1)
        figures["event_to_dom_p99_ms"] = round(percentile(dom, 0.99) * 1000, 1)
    else:
        print("event_to_dom: not measured (build the UI first: cd ui && npm run build)")
    return figures


def browser_session(token: str, manager: int) -> dict[str, object]:
    """What the web app keeps in localStorage after a sign-in (auth/states/sessionStore.ts)."""
    user = {
        "id": manager,
        "email": "manager@bench.pivotal.dev",
        "full_name": "Bench Manager",
        "role": "campaign_manager",
        "client_id": None,
    }
    expires = int((time.time() + 3600) * 1000)
    return {"accessToken": token, "refreshToken": "-", "expiresAt": expires, "user": user}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="smoke")
    args = parser.parse_args()
    for name, value in asyncio.run(main(SIZES[args.size])).items():
        print(f"{name}: {value}{' ms' if name.endswith('_ms') else ''}")
