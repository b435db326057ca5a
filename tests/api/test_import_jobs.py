"""Import jobs beyond one request, on both databases: a SIGKILLed import resumes from its
last written chunk (at start-up, or on request) with no duplicate and no missing row; the
app's shutdown ends the validation worker processes; MX lookup against a local DNS server."""

import asyncio
import csv
import io
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.app import create_app
from config.settings import Settings
from engine import imports as rules
from engine.roles import Role
from store import imports as store
from store.models import Contact, ImportError_, ImportJob, utcnow
from tests.conftest import Actors
from tests.support.dns_server import dns_server

ROOT = Path(__file__).resolve().parents[2]
ROWS = 3_000
CHUNK = 200


def generate(rows: int) -> tuple[bytes, set[str], int]:
    """A file, the emails it should leave in the database and how many rows it rejects:
    every 13th row has a broken email, every 10th repeats the first row's email (so
    duplicates after a resume point must still be caught as in-file duplicates)."""
    lines, emails, bad = ["email,first name"], set(), 0
    for i in range(rows):
        if i % 13 == 5:
            lines.append(f"broken{i}.acme.com,B{i}")
            bad += 1
        elif i % 10 == 9:
            lines.append(f"person0@acme.com,Dup{i}")
            bad += 1
        else:
            lines.append(f"person{i}@acme.com,P{i}")
            emails.add(f"person{i}@acme.com")
    return "\n".join(lines).encode(), emails, bad


async def running_job(
    sessions: async_sessionmaker[AsyncSession], content: bytes, heartbeat: datetime | None
) -> int:
    """A job as the run endpoint leaves it: spooled file, mapping checked, status running."""
    table = rules.read_table(content, "people.csv")
    mapping = rules.check_mapping(rules.suggest_mapping(table.headers), table.headers, [])
    options = {"region": "US", "phone_policy": "reject", "dedup": "skip"}
    async with sessions() as session, session.begin():
        job = await store.create(
            session,
            filename="people.csv",
            options=options | {"file": store.spool(content), "headers": table.headers},
            rows_total=len(table.rows),
            by_user=None,
        )
        await store.mark_running(session, job=job, mapping=mapping)
        job.heartbeat_at = heartbeat
        return job.id


async def job_of(sessions: async_sessionmaker[AsyncSession], import_id: int) -> ImportJob:
    async with sessions() as session:
        return await store.get_or_raise(session, import_id=import_id)


async def wait_for(
    sessions: async_sessionmaker[AsyncSession],
    import_id: int,
    done: Callable[[ImportJob], bool],
    seconds: float = 60,
) -> ImportJob:
    for _ in range(int(seconds / 0.02)):
        job = await job_of(sessions, import_id)
        if done(job):
            return job
        await asyncio.sleep(0.02)
    raise AssertionError(f"import {import_id} stuck: {job.status} at {job.rows_done}")


async def assert_imported_once(
    sessions: async_sessionmaker[AsyncSession], import_id: int, emails: set[str], bad: int
) -> None:
    job = await job_of(sessions, import_id)
    assert (job.status, job.rows_done, job.rows_failed) == ("finished", ROWS, bad), job.options
    assert job.options["created"] == len(emails)
    async with sessions() as session:
        found = list(await session.scalars(select(Contact.email)))
        errors = list(await session.scalars(select(ImportError_.row_number)))
        reasons = set(await session.scalars(select(ImportError_.reason)))
    assert len(found) == len(set(found)) and set(found) == emails
    assert len(errors) == len(set(errors)) == bad
    assert "Duplicate of row 2 in this file." in reasons


@asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """Another API process's app on the same database, started and stopped by the test."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield app, http


@pytest.mark.slow
async def test_a_killed_import_resumes_at_start_up_without_duplicates(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    client: httpx.AsyncClient,
    actors: Actors,
) -> None:
    content, emails, bad = generate(ROWS)
    import_id = await running_job(sessions, content, utcnow())
    command = ["-m", "tests.support.import_worker", settings.database_url, str(import_id)]
    worker = await asyncio.create_subprocess_exec(
        sys.executable,
        *command,
        str(CHUNK),
        "0.1",
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    try:
        await wait_for(sessions, import_id, lambda j: j.rows_done >= 3 * CHUNK)
    finally:
        worker.send_signal(signal.SIGKILL)
        await worker.wait()
    killed = await job_of(sessions, import_id)
    assert killed.status == "running" and 3 * CHUNK <= killed.rows_done < ROWS
    ops = await actors.headers_for(Role.DATA_OPS)
    fresh = await client.post(f"/api/v1/imports/{import_id}/resume", headers=ops)
    assert fresh.status_code == 409, fresh.text  # its heartbeat is younger than 60 s

    await asyncio.sleep(0.3)
    restarted = settings.model_copy(update={"import_stale_seconds": 0.2})
    async with running_app(restarted):  # a new API process: it resumes the stale import
        await wait_for(sessions, import_id, lambda j: j.status != "running")
    await assert_imported_once(sessions, import_id, emails, bad)


async def test_resume_endpoint_takes_over_an_import_left_without_heartbeat(
    sessions: async_sessionmaker[AsyncSession], client: httpx.AsyncClient, actors: Actors
) -> None:
    content, emails, bad = generate(ROWS)
    import_id = await running_job(sessions, content, None)  # as a clean shutdown leaves it
    ops = await actors.headers_for(Role.DATA_OPS)
    response = await client.post(f"/api/v1/imports/{import_id}/resume", headers=ops)
    assert response.status_code == 202, response.text
    await wait_for(sessions, import_id, lambda j: j.status != "running")
    await assert_imported_once(sessions, import_id, emails, bad)
    again = await client.post(f"/api/v1/imports/{import_id}/resume", headers=ops)
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    missing = await client.post("/api/v1/imports/999999/resume", headers=ops)
    assert missing.status_code == 404
    reader = await actors.headers_for(Role.AGENT)
    denied = await client.post(f"/api/v1/imports/{import_id}/resume", headers=reader)
    assert denied.status_code == 403


async def test_a_stopped_import_clears_its_heartbeat_and_resumes_at_once(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    client: httpx.AsyncClient,
    actors: Actors,
) -> None:
    content, emails, bad = generate(ROWS)
    import_id = await running_job(sessions, content, utcnow())
    progressed = asyncio.Event()

    def slowly(event: dict[str, Any]) -> None:
        if event["rows_done"] >= 2 * CHUNK:
            progressed.set()

    task = asyncio.ensure_future(
        store.execute(
            sessions, import_id=import_id, settings=settings, progress=slowly, chunk_rows=CHUNK
        )
    )
    await progressed.wait()
    task.cancel()  # what the app's shutdown does to a running import
    with pytest.raises(asyncio.CancelledError):
        await task
    stopped = await job_of(sessions, import_id)
    assert stopped.status == "running" and stopped.heartbeat_at is None
    assert 2 * CHUNK <= stopped.rows_done < ROWS

    ops = await actors.headers_for(Role.DATA_OPS)
    response = await client.post(f"/api/v1/imports/{import_id}/resume", headers=ops)
    assert response.status_code == 202, response.text  # no need to wait for it to go stale
    await wait_for(sessions, import_id, lambda j: j.status != "running")
    await assert_imported_once(sessions, import_id, emails, bad)


def children() -> set[int]:
    # multiprocessing's resource tracker is one helper per Python process, shared by every
    # pool, not an import worker: it lives as long as the process that started it.
    return {
        p.pid
        for p in psutil.Process().children(recursive=True)
        if "resource_tracker" not in " ".join(p.cmdline())
    }


@pytest.mark.slow
async def test_shutdown_ends_the_import_worker_processes(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    actors: Actors,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(store, "POOL_ROWS", 100)  # this small file is checked in the pool
    content, emails, _ = generate(500)
    before = children()
    ops = await actors.headers_for(Role.DATA_OPS)
    async with running_app(settings) as (_, http):
        files = {"file": ("people.csv", content, "text/csv")}
        preview = (await http.post("/api/v1/imports", files=files, headers=ops)).json()
        url = f"/api/v1/imports/{preview['id']}"
        run = await http.post(
            f"{url}/run", json={"mapping": preview["suggested_mapping"]}, headers=ops
        )
        assert run.status_code == 202, run.text
        job = await wait_for(sessions, preview["id"], lambda j: j.status != "running")
        assert job.status == "finished" and job.options["created"] == len(emails)
        workers = children() - before
        assert workers, "the import ran without worker processes"
    assert not children() - before
    assert not any(psutil.pid_exists(pid) for pid in workers)


ZONE = {"acme.com": {"MX": ["10 mx.acme.com."]}, "nomail.net": {"MX": ["0 ."]}}
MX_FILE = (
    b"email,first name\n"
    b"ada@acme.com,Ada\n"
    b"bob@nomail.net,Bob\n"
    b"cy@missing.example,Cy\n"
    b"dana@acme.com,Dana\n"
    b"eli@missing.example,Eli\n"
)


async def test_mx_lookup_rejects_rows_whose_domain_takes_no_mail(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], actors: Actors
) -> None:
    ops = await actors.headers_for(Role.DATA_OPS)
    async with dns_server(ZONE) as dns:
        resolver = {"import_dns_nameservers": ["127.0.0.1"], "import_dns_port": dns.port}
        async with running_app(settings.model_copy(update=resolver)) as (_, http):
            checked = await run_file(http, sessions, ops, MX_FILE, mx_lookup="true")
            asked = list(dns.queries)
            unchecked = await run_file(http, sessions, ops, MX_FILE.replace(b"@", b"2@"))
        assert dns.queries == asked  # the import that did not ask for MX made no lookup
    assert asked.count(("missing.example", "MX")) == 1  # one lookup per domain
    assert (checked["rows_failed"], checked["created"], checked["mx_lookup"]) == (3, 2, True)
    assert (unchecked["rows_failed"], unchecked["created"], unchecked["mx_lookup"]) == (0, 5, False)
    async with running_app(settings) as (_, http):
        response = await http.get(f"/api/v1/imports/{checked['id']}/errors.csv", headers=ops)
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["row_number"], r["field"], r["email"]) for r in rows] == [
        ("3", "email", "bob@nomail.net"),
        ("4", "email", "cy@missing.example"),
        ("6", "email", "eli@missing.example"),
    ]
    assert rows[0]["reason"] == "The email domain nomail.net accepts no email (null MX)."
    assert rows[1]["reason"] == "The email domain missing.example does not exist (DNS)."


async def run_file(
    http: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    headers: dict[str, str],
    content: bytes,
    **form: str,
) -> dict[str, Any]:
    files = {"file": ("people.csv", content, "text/csv")}
    preview = (await http.post("/api/v1/imports", files=files, data=form, headers=headers)).json()
    url = f"/api/v1/imports/{preview['id']}"
    mapping = {"mapping": preview["suggested_mapping"]}
    assert (await http.post(f"{url}/run", json=mapping, headers=headers)).status_code == 202
    await wait_for(sessions, preview["id"], lambda j: j.status != "running")
    return dict((await http.get(url, headers=headers)).json())
