"""Import jobs: the `imports` row, its error rows, and the chunked run that writes contacts.

Each chunk (validated rows, the contacts they match, inserts, updates, error rows and the
progress counters) is one transaction: a chunk is written whole or not at all. When a chunk
fails the job is marked failed with the reason, and the chunks before it stay written.
"""

import asyncio
import contextlib
import json
import logging
import multiprocessing
import os
import tempfile
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any

import anyio
from sqlalchemy import ARRAY, Select, String, any_, bindparam, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from config.settings import Settings
from engine import custom_fields
from engine import imports as rules
from engine.errors import IllegalTransition, NotFound
from store import audience
from store.models import Account, Contact, ImportError_, ImportJob, utcnow
from store.mx import MxLookup

log = logging.getLogger(__name__)

CHUNK_ROWS = 5_000
Progress = Callable[[dict[str, Any]], None]


# --- the uploaded file, kept until the run ---------------------------------------------


def spool_dir() -> Path:
    path = Path(tempfile.gettempdir()) / "pivotal-imports"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


SPOOL_SECONDS = 86_400  # an upload not run within a day is dropped


def spool(content: bytes) -> str:
    """Keeps the upload for its run; sweeps uploads older than SPOOL_SECONDS."""
    folder = spool_dir()
    stale = time.time() - SPOOL_SECONDS
    for old in folder.iterdir():
        with contextlib.suppress(OSError):  # another process may sweep it first
            if old.stat().st_mtime < stale:
                old.unlink()
    token = uuid.uuid4().hex
    (folder / token).write_bytes(content)
    return token


def spooled(token: str) -> bytes:
    path = spool_dir() / token
    if not path.is_file():
        raise NotFound("The uploaded file")
    return path.read_bytes()


def unspool(token: str) -> None:
    (spool_dir() / token).unlink(missing_ok=True)


# --- jobs ---------------------------------------------------------------------------------


async def create(
    session: AsyncSession,
    *,
    filename: str,
    options: dict[str, Any],
    entity: str = "contact",
    rows_total: int,
    by_user: int | None,
) -> ImportJob:
    job = ImportJob(
        entity=entity,
        filename=filename[:300],
        options=options,
        rows_total=rows_total,
        created_by_id=by_user,
    )
    session.add(job)
    await session.flush()
    return job


async def get_or_raise(session: AsyncSession, *, import_id: int) -> ImportJob:
    job = await session.get(ImportJob, import_id)
    if job is None:
        raise NotFound("Import")
    return job


def imports_query() -> Select[tuple[ImportJob]]:
    return select(ImportJob)


async def mark_running(session: AsyncSession, *, job: ImportJob, mapping: dict[str, str]) -> None:
    """uploaded → running, once: a second run of the same job is refused."""
    started = time.time()
    result = await session.execute(
        update(ImportJob)
        .where(ImportJob.id == job.id, ImportJob.status == "uploaded")
        .values(
            status="running",
            mapping=mapping,
            options=job.options | {"started": started},
            heartbeat_at=utcnow(),
        )
    )
    if getattr(result, "rowcount", 0) != 1:
        raise IllegalTransition("Import", job.status, "running")
    await session.refresh(job)


def options_of(job: ImportJob) -> rules.Options:
    return rules.Options(
        job.options["region"],
        rules.PhonePolicy(job.options["phone_policy"]),
        rules.DedupPolicy(job.options["dedup"]),
    )


async def claim_stale(
    session: AsyncSession,
    *,
    stale_seconds: float,
    import_id: int | None = None,
) -> list[int]:
    """Running imports whose process is gone (heartbeat older than `stale_seconds`, or
    cleared by a clean shutdown), claimed by beating their heartbeat: one UPDATE, so two
    processes starting at once never both resume the same import."""
    cutoff = utcnow() - timedelta(seconds=stale_seconds)
    query = (
        update(ImportJob)
        .where(
            ImportJob.status == "running",
            or_(ImportJob.heartbeat_at.is_(None), ImportJob.heartbeat_at < cutoff),
        )
        .values(heartbeat_at=utcnow())
        .returning(ImportJob.id)
    )
    if import_id is not None:
        query = query.where(ImportJob.id == import_id)
    return list(await session.scalars(query))


async def execute(
    sessions: async_sessionmaker[AsyncSession],
    *,
    import_id: int,
    settings: Settings,
    progress: Progress | None = None,
    table: rules.Table | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> str:
    """Runs a running job (just started, or claimed to resume) from its stored mapping,
    options and spooled file (`table`: the file already read). The file is dropped once the
    job has ended; without it a resume can only fail the job."""
    async with sessions() as session:
        job = await get_or_raise(session, import_id=import_id)
        specs = await audience.field_specs(session, entity=job.entity)
    token = job.options["file"]
    try:
        if table is None:
            table = await anyio.to_thread.run_sync(rules.read_table, spooled(token), job.filename)
    except NotFound:
        reason = f"The uploaded file is gone: rows after {job.rows_done} were not imported."
        await _finish(sessions, import_id, "failed", reason)
        return "failed"
    mx_wanted = job.options.get("mx_lookup", settings.import_mx_lookup)
    status = await run(
        sessions,
        import_id=import_id,
        table=table,
        mapping=job.mapping,
        specs=specs,
        options=options_of(job),
        progress=progress,
        chunk_rows=chunk_rows,
        mx=MxLookup.from_settings(settings) if mx_wanted else None,
        heartbeat_seconds=settings.import_stale_seconds / 4,
    )
    if status in ("finished", "failed"):
        unspool(token)
    return status


async def error_chunks(
    sessions: async_sessionmaker[AsyncSession], *, import_id: int, size: int = 5_000
) -> AsyncIterator[list[ImportError_]]:
    after = 0
    while True:
        async with sessions() as session:
            rows = list(
                await session.scalars(
                    select(ImportError_)
                    .where(ImportError_.import_id == import_id, ImportError_.id > after)
                    .order_by(ImportError_.id)
                    .limit(size)
                )
            )
        if not rows:
            return
        yield rows
        after = rows[-1].id


# --- the run --------------------------------------------------------------------------------

COUNTS = ("created", "updated", "skipped")
HEARTBEAT_SECONDS = 15.0


class Superseded(Exception):
    """Another process took the import over (this one was stalled past the stale limit)."""


async def run(
    sessions: async_sessionmaker[AsyncSession],
    *,
    import_id: int,
    table: rules.Table,
    mapping: dict[str, str],
    specs: list[custom_fields.FieldSpec],
    options: rules.Options,
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
    parallel: bool | None = None,
    mx: MxLookup | None = None,
    heartbeat_seconds: float = HEARTBEAT_SECONDS,
) -> str:
    """Validates and writes every row, chunk by chunk; returns the status it ends in:
    finished or failed, never running (or "superseded" when another process took over).

    A job with rows already done (a resumed one) goes on after them: the rows before are
    validated again, not written, only so in-file duplicates of them are still caught.
    `parallel`: check rows in worker processes; unset, files of POOL_ROWS rows or more do.
    `mx`: reject rows whose email domain takes no mail. Cancelled (the app shuts down), the
    job stays running with its heartbeat cleared, to be resumed at once."""
    async with sessions() as session:
        job = await get_or_raise(session, import_id=import_id)
        resume_at, failed = job.rows_done, job.rows_failed
        counts = {name: int(job.options.get(name, 0)) for name in COUNTS}
        entity = rules.ENTITIES[job.entity]
    validator = rules.Validator(table.headers, mapping, specs, options, entity)
    done = resume_at
    beat = asyncio.ensure_future(_beat(sessions, import_id, heartbeat_seconds))
    chunks = _checked_chunks(validator, table.rows, resume_at, chunk_rows, parallel, mx)
    try:
        async for start, results in chunks:
            if start < resume_at:  # written before the resume: only remembered
                continue
            rejected = sum(isinstance(r, rules.Rejected) for r in results)
            totals = (start + len(results), failed + rejected)
            async with sessions() as session, session.begin():
                await _write_chunk(
                    session, import_id, entity, results, options.dedup, done, totals, counts
                )
            done, failed = totals
            if progress:
                progress(_event(import_id, "running", done, failed, len(table.rows)))
        status, reason = "finished", None
    except asyncio.CancelledError:
        await asyncio.shield(_release(sessions, import_id))
        raise
    except Superseded:
        log.warning("import %s was taken over by another process", import_id)
        return "superseded"
    except Exception as exc:
        log.exception("import %s failed", import_id)
        status, reason = "failed", f"Stopped at row {done + 2}: {type(exc).__name__}: {exc}"
    finally:
        beat.cancel()
        await chunks.aclose()
    await _finish(sessions, import_id, status, reason and reason[:500])
    if progress:
        progress(_event(import_id, status, done, failed, len(table.rows)))
    return status


Results = list[rules.Valid | rules.Rejected]


async def _checked_chunks(
    validator: rules.Validator,
    rows: Sequence[list[str]],
    resume_at: int,
    size: int,
    parallel: bool | None,
    mx: MxLookup | None,
) -> AsyncGenerator[tuple[int, Results]]:
    """(first row index, results) per chunk, in file order, deduplicated across the file.
    Chunk n+1 is checked (in a thread or the worker processes) while n is written. Chunks
    restart at `resume_at`, so a resumed run writes exactly the rows not yet written."""
    starts = sorted({*range(0, resume_at, size), *range(resume_at, len(rows), size)})
    ends = [*starts[1:], len(rows)]
    pool = _pool_for(len(rows), parallel)
    pending = _validating(validator, rows, starts[0], ends[0], pool) if starts else None
    try:
        for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
            assert pending is not None
            results = await pending
            pending = None
            if index + 1 < len(starts):
                pending = _validating(validator, rows, ends[index], ends[index + 1], pool)
            if mx is not None:
                results = await _mx_checked(mx, validator, results, rows[start:end])
            yield (
                start,
                [
                    validator.dedup(result, cells)
                    for result, cells in zip(results, rows[start:end], strict=True)
                ],
            )
    finally:
        if pending is not None:
            pending.cancel()


async def _mx_checked(
    mx: MxLookup, validator: rules.Validator, results: Results, rows: Sequence[list[str]]
) -> Results:
    """The chunk with rows whose email domain takes no mail rejected (each domain asked once
    per import, the chunk's domains at once)."""
    domains = {
        r.values["email"].rsplit("@", 1)[1]
        for r in results
        if isinstance(r, rules.Valid) and r.values.get("email")
    }
    reasons = dict(zip(domains, await asyncio.gather(*map(mx.reason, domains)), strict=True))
    out: Results = []
    for result, cells in zip(results, rows, strict=True):
        email = result.values.get("email") if isinstance(result, rules.Valid) else None
        reason = reasons[email.rsplit("@", 1)[1]] if email else None
        out.append(
            rules.Rejected(result.row, "email", reason, validator.raw(cells)) if reason else result
        )
    return out


def _validating(
    validator: rules.Validator,
    rows: Sequence[list[str]],
    start: int,
    end: int,
    pool: ProcessPoolExecutor | None,
) -> "asyncio.Future[Results]":
    chunk = rows[start:end]
    if pool is None:
        work = anyio.to_thread.run_sync(_validate, validator, chunk, start + 2)
        return asyncio.ensure_future(work)
    return asyncio.ensure_future(_validate_in(pool, validator, chunk, start + 2))


def _validate(validator: rules.Validator, rows: Sequence[list[str]], first: int) -> Results:
    return [validator.check(first + i, cells) for i, cells in enumerate(rows)]


async def _validate_in(
    pool: ProcessPoolExecutor, validator: rules.Validator, rows: Sequence[list[str]], first: int
) -> Results:
    """Each row checked in the pool's processes (phones and emails are CPU-bound)."""
    global _pool
    loop = asyncio.get_running_loop()
    step = -(-len(rows) // POOL_PROCESSES)
    v = validator
    args = (v.headers, v.mapping, v.specs, v.options, v.entity.name)
    try:
        parts = await asyncio.gather(
            *(
                loop.run_in_executor(pool, rules.check_rows, *args, rows[i : i + step], first + i)
                for i in range(0, len(rows), step)
            )
        )
    except (BrokenProcessPool, RuntimeError):  # e.g. a main module without a __main__ guard
        log.warning("import worker processes unavailable; validating in a thread", exc_info=True)
        _pool = None
        pool.shutdown(wait=False, cancel_futures=True)
        return await anyio.to_thread.run_sync(_validate, validator, rows, first)
    return [result for part in parts for result in part]


# Files this long have their rows checked in worker processes (started once, on first use,
# with "spawn": forking a process that runs an event loop and threads is not safe).
POOL_ROWS = 20_000
POOL_PROCESSES = min(2, os.cpu_count() or 1)
_pool: ProcessPoolExecutor | None = None


def shutdown_pool() -> None:
    """Stops the worker processes (they start again on the next large import)."""
    global _pool
    if _pool is not None:
        _pool.shutdown()
        _pool = None


def _pool_for(rows: int, parallel: bool | None) -> ProcessPoolExecutor | None:
    global _pool
    wanted = rows >= POOL_ROWS if parallel is None else parallel
    if not wanted or POOL_PROCESSES < 2:
        return None
    if _pool is None:
        context = multiprocessing.get_context("spawn")
        _pool = ProcessPoolExecutor(POOL_PROCESSES, mp_context=context)
    return _pool


def _event(import_id: int, status: str, done: int, failed: int, total: int) -> dict[str, Any]:
    return {
        "type": "import.progress",
        "import_id": import_id,
        "status": status,
        "rows_total": total,
        "rows_done": done,
        "rows_failed": failed,
    }


async def _counters(
    session: AsyncSession,
    import_id: int,
    before: int,
    totals: tuple[int, int],
    counts: dict[str, int],
) -> None:
    """The chunk's counters, written only if no other process moved the job on meanwhile
    (the row is locked on PostgreSQL; SQLite has one writer): a chunk is never written twice."""
    job = await session.get(ImportJob, import_id, with_for_update=True, populate_existing=True)
    if job is None or job.status != "running" or job.rows_done != before:
        raise Superseded
    job.rows_done, job.rows_failed = totals
    job.options = job.options | counts
    job.heartbeat_at = utcnow()


async def _beat(sessions: async_sessionmaker[AsyncSession], import_id: int, seconds: float) -> None:
    """Keeps the heartbeat fresh between chunks (a chunk of slow DNS lookups may be long)."""
    while True:
        await asyncio.sleep(seconds)
        try:
            async with sessions() as session, session.begin():
                await session.execute(
                    update(ImportJob)
                    .where(ImportJob.id == import_id, ImportJob.status == "running")
                    .values(heartbeat_at=utcnow())
                )
        except Exception:  # e.g. SQLite busy under a long chunk: the next beat will do
            log.warning("import %s: heartbeat not written", import_id, exc_info=True)


async def _release(sessions: async_sessionmaker[AsyncSession], import_id: int) -> None:
    """A clean stop: the job stays running with no heartbeat, so it is resumed at once."""
    async with sessions() as session, session.begin():
        await session.execute(
            update(ImportJob)
            .where(ImportJob.id == import_id, ImportJob.status == "running")
            .values(heartbeat_at=None)
        )


async def _finish(
    sessions: async_sessionmaker[AsyncSession], import_id: int, status: str, reason: str | None
) -> None:
    async with sessions() as session, session.begin():
        job = await session.get(ImportJob, import_id)
        if job is None:  # deleted while it ran: nothing left to mark
            return
        job.status = status
        job.finished_at = utcnow()
        job.heartbeat_at = None
        if reason:
            job.options = job.options | {"failure": reason}


@dataclass(frozen=True)
class _Table:
    model: type[Contact] | type[Account]
    links: tuple[str, ...]  # columns filled from other tables: a contact's account
    copy_defaults: dict[str, Any]  # COPY skips the models' Python-side defaults


_TABLES = {
    "contact": _Table(
        Contact,
        ("account_id",),
        {"email_verification_status": "unverified", "email_status": "active"}
        | {"intent_topics": "[]"},
    ),
    "account": _Table(Account, (), {"intent_topics": "[]", "tech_stack": "[]"}),
}


async def _write_chunk(
    session: AsyncSession,
    import_id: int,
    entity: rules.Entity,
    results: list[rules.Valid | rules.Rejected],
    policy: rules.DedupPolicy,
    before: int,
    totals: tuple[int, int],
    counts: dict[str, int],
) -> None:
    """Plans the chunk in Python, then writes: counters, error rows, updates, new rows (the
    counters first: they refuse a chunk already written, and on PostgreSQL the COPY needs
    the transaction a statement has begun). `before`: the rows done before this chunk."""
    table = _TABLES[entity.name]
    valid = [r for r in results if isinstance(r, rules.Valid)]
    rejected = [r for r in results if isinstance(r, rules.Rejected)]
    match_of = await _existing(session, table, entity, valid)
    accounts = await _accounts(session, {v.domain for v in valid if v.domain and table.links})
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    now = utcnow()
    for row in valid:
        values = row.values
        links = {"account_id": accounts.get(row.domain or "")} if table.links else {}
        match = match_of(values)
        if match is None:
            new.append({**values, **links, "created_at": now, "updated_at": now})
            counts["created"] += 1
            continue
        if policy is rules.DedupPolicy.SKIP:
            counts["skipped"] += 1
            continue
        diff = rules.changes(match, values, policy, entity)
        diff |= {k: v for k, v in links.items() if v is not None and match[k] is None}
        if diff:
            match.update(diff)
            changed.append({"id": match["id"], **diff, "updated_at": now})
            counts["updated"] += 1
        else:
            counts["skipped"] += 1
    await _counters(session, import_id, before, totals, counts)
    model = table.model
    for values in changed:  # differing key sets: one statement each (updates are few)
        row_id = values.pop("id")
        await session.execute(update(model).where(model.id == row_id).values(**values))
    if rejected:
        await session.execute(
            insert(ImportError_),
            [
                {
                    "import_id": import_id,
                    "row_number": r.row,
                    "field": (r.field or "")[:100] or None,
                    "reason": r.reason[:500],
                    "raw": r.raw,
                }
                for r in rejected
            ],
        )
    if new and session.get_bind().dialect.name == "postgresql":
        await _copy(session, table, entity, new)
    elif new:
        await session.execute(insert(model), new)


async def _copy(
    session: AsyncSession, table: _Table, entity: rules.Entity, new: list[dict[str, Any]]
) -> None:
    """PostgreSQL's COPY through the session's own asyncpg connection, so it is part of the
    chunk's transaction. JSON goes as text: SQLAlchemy's codecs on that connection take it."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    columns = (
        *entity.value_columns,
        *table.links,
        *table.copy_defaults,
        "created_at",
        "updated_at",
    )
    for row in new:
        row["custom_fields"] = json.dumps(row["custom_fields"]) if row["custom_fields"] else "{}"
    pick = itemgetter(*columns)
    records = [pick(table.copy_defaults | row) for row in new]
    driver = raw.driver_connection
    assert driver is not None
    name = table.model.__tablename__
    await driver.copy_records_to_table(name, records=records, columns=list(columns))


Match = Callable[[dict[str, Any]], dict[str, Any] | None]


async def _existing(
    session: AsyncSession, table: _Table, entity: rules.Entity, valid: list[rules.Valid]
) -> Match:
    """The records the chunk's rows match by any of the entity's keys (one query), as a
    function of a row's values: the match by the first key that has one."""
    wanted = {key: [v.values[key] for v in valid if v.values[key]] for key in entity.keys}
    wanted = {key: found for key, found in wanted.items() if found}
    if not wanted:
        return lambda values: None
    model = table.model
    if session.get_bind().dialect.name == "postgresql":  # array parameters, not 10,000
        conditions = [
            getattr(model, key) == any_(bindparam(key, found, type_=ARRAY(String)))
            for key, found in wanted.items()
        ]
    else:
        conditions = [getattr(model, key).in_(found) for key, found in wanted.items()]
    names = ("id", *table.links, "custom_fields", *entity.mergeable)
    query = select(*(getattr(model, name) for name in names)).where(or_(*conditions))
    index: dict[str, dict[str, dict[str, Any]]] = {key: {} for key in entity.keys}
    for found in (await session.execute(query)).mappings():
        record = dict(found)
        for key in entity.keys:
            if record[key]:
                index[key].setdefault(record[key], record)

    def match_of(values: dict[str, Any]) -> dict[str, Any] | None:
        for key in entity.keys:
            if values[key] and values[key] in index[key]:
                return index[key][values[key]]
        return None

    return match_of


async def _accounts(session: AsyncSession, domains: set[str]) -> dict[str, int]:
    if not domains:
        return {}
    query = select(Account.domain, Account.id).where(Account.domain.in_(sorted(domains)))
    return {domain: account_id for domain, account_id in await session.execute(query) if domain}
