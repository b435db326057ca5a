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
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from operator import itemgetter
from pathlib import Path
from typing import Any

import anyio
from sqlalchemy import ARRAY, Select, String, any_, bindparam, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine import custom_fields
from engine import imports as rules
from engine.errors import IllegalTransition, NotFound
from store.models import Account, Contact, ImportError_, ImportJob, utcnow

log = logging.getLogger(__name__)

CHUNK_ROWS = 5_000
Progress = Callable[[dict[str, Any]], None]
_MATCH_COLUMNS = ("id", "account_id", "custom_fields", *rules.MERGEABLE)


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
    rows_total: int,
    by_user: int | None,
) -> ImportJob:
    job = ImportJob(
        entity="contact",
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
        .values(status="running", mapping=mapping, options=job.options | {"started": started})
    )
    if getattr(result, "rowcount", 0) != 1:
        raise IllegalTransition("Import", job.status, "running")
    await session.refresh(job)


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
) -> None:
    """Validates and writes every row, chunk by chunk; ends finished or failed, never running.

    `parallel`: check rows in worker processes; unset, files of POOL_ROWS rows or more do."""
    validator = rules.Validator(table.headers, mapping, specs, options)
    counts = {"created": 0, "updated": 0, "skipped": 0}
    done = failed = 0
    pending: asyncio.Future[Results] | None = None
    try:
        starts = range(0, len(table.rows), chunk_rows)
        # Chunk n+1 is validated (in a thread or the worker processes) while n is written.
        pool = _pool_for(len(table.rows), parallel)
        pending = (
            _validating(validator, table.rows, starts[0], chunk_rows, pool) if starts else None
        )
        for start in starts:
            assert pending is not None
            results = await pending
            rows = table.rows[start : start + chunk_rows]
            following = start + chunk_rows
            pending = (
                _validating(validator, table.rows, following, chunk_rows, pool)
                if following < len(table.rows)
                else None
            )
            rejected = sum(isinstance(r, rules.Rejected) for r in results)
            totals = (done + len(rows), failed + rejected)
            async with sessions() as session, session.begin():
                await _write_chunk(session, import_id, results, options.dedup, totals, counts)
            done, failed = totals
            if progress:
                progress(_event(import_id, "running", done, failed, len(table.rows)))
        await _finish(sessions, import_id, "finished", None)
        if progress:
            progress(_event(import_id, "finished", done, failed, len(table.rows)))
    except Exception as exc:
        if pending is not None:
            pending.cancel()
        log.exception("import %s failed", import_id)
        reason = f"Stopped at row {done + 2}: {type(exc).__name__}: {exc}"[:500]
        await _finish(sessions, import_id, "failed", reason)
        if progress:
            progress(_event(import_id, "failed", done, failed, len(table.rows)))


Results = list[rules.Valid | rules.Rejected]


def _validating(
    validator: rules.Validator,
    rows: Sequence[list[str]],
    start: int,
    size: int,
    pool: ProcessPoolExecutor | None,
) -> "asyncio.Future[Results]":
    chunk = rows[start : start + size]
    if pool is None:
        work = anyio.to_thread.run_sync(_validate, validator, chunk, start + 2)
        return asyncio.ensure_future(work)
    return asyncio.ensure_future(_validate_in(pool, validator, chunk, start + 2))


def _validate(validator: rules.Validator, rows: Sequence[list[str]], first: int) -> Results:
    return [validator.row(first + i, cells) for i, cells in enumerate(rows)]


async def _validate_in(
    pool: ProcessPoolExecutor, validator: rules.Validator, rows: Sequence[list[str]], first: int
) -> Results:
    """Each row checked in the pool's processes (phones and emails are CPU-bound), then
    deduplicated here, in file order."""
    global _pool
    loop = asyncio.get_running_loop()
    step = -(-len(rows) // POOL_PROCESSES)
    args = (validator.headers, validator.mapping, validator.specs, validator.options)
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
    checked = [result for part in parts for result in part]
    return [validator.dedup(result, cells) for result, cells in zip(checked, rows, strict=True)]


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
    session: AsyncSession, import_id: int, done: int, failed: int, counts: dict[str, int]
) -> None:
    job = await get_or_raise(session, import_id=import_id)
    job.rows_done = done
    job.rows_failed = failed
    job.options = job.options | counts


async def _finish(
    sessions: async_sessionmaker[AsyncSession], import_id: int, status: str, reason: str | None
) -> None:
    async with sessions() as session, session.begin():
        job = await session.get(ImportJob, import_id)
        if job is None:  # deleted while it ran: nothing left to mark
            return
        job.status = status
        job.finished_at = utcnow()
        if reason:
            job.options = job.options | {"failure": reason}


async def _write_chunk(
    session: AsyncSession,
    import_id: int,
    results: list[rules.Valid | rules.Rejected],
    policy: rules.DedupPolicy,
    totals: tuple[int, int],
    counts: dict[str, int],
) -> None:
    """Plans the chunk in Python, then writes: counters, error rows, updates, new rows (the
    counters first: on PostgreSQL the COPY needs the transaction a statement has begun)."""
    valid = [r for r in results if isinstance(r, rules.Valid)]
    rejected = [r for r in results if isinstance(r, rules.Rejected)]
    by_email, by_phone = await _existing(session, valid)
    accounts = await _accounts(session, {v.domain for v in valid if v.domain})
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    now = utcnow()
    for row in valid:
        values = row.values
        account_id = accounts.get(row.domain) if row.domain else None
        match = by_email.get(values["email"]) if values["email"] else None
        if match is None and values["direct_phone_e164"]:
            match = by_phone.get(values["direct_phone_e164"])
        if match is None:
            new.append({**values, "account_id": account_id, "created_at": now, "updated_at": now})
            counts["created"] += 1
            continue
        if policy is rules.DedupPolicy.SKIP:
            counts["skipped"] += 1
            continue
        diff = rules.changes(match, values, policy)
        if account_id and match["account_id"] is None:
            diff["account_id"] = account_id
        if diff:
            match.update(diff)
            changed.append({"id": match["id"], **diff, "updated_at": now})
            counts["updated"] += 1
        else:
            counts["skipped"] += 1
    await _counters(session, import_id, *totals, counts)
    for values in changed:  # differing key sets: one statement each (updates are few)
        row_id = values.pop("id")
        await session.execute(update(Contact).where(Contact.id == row_id).values(**values))
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
        await _copy_contacts(session, new)
    elif new:
        await session.execute(insert(Contact), new)


_COPY_COLUMNS = (
    *rules.CONTACT_VALUE_COLUMNS,
    "account_id",
    "email_verification_status",
    "email_status",
    "intent_topics",
    "created_at",
    "updated_at",
)


async def _copy_contacts(session: AsyncSession, new: list[dict[str, Any]]) -> None:
    """PostgreSQL's COPY through the session's own asyncpg connection, so it is part of the
    chunk's transaction. JSON goes as text: SQLAlchemy's codecs on that connection take it."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    defaults = {"email_verification_status": "unverified", "email_status": "active"}
    defaults["intent_topics"] = "[]"
    for row in new:
        row["custom_fields"] = json.dumps(row["custom_fields"]) if row["custom_fields"] else "{}"
    pick = itemgetter(*_COPY_COLUMNS)
    records = [pick(defaults | row) for row in new]
    driver = raw.driver_connection
    assert driver is not None
    await driver.copy_records_to_table("contacts", records=records, columns=list(_COPY_COLUMNS))


async def _existing(
    session: AsyncSession, valid: list[rules.Valid]
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """Contacts the chunk's rows match, by email and by direct phone: one query."""
    emails = [v.values["email"] for v in valid if v.values["email"]]
    phones = [v.values["direct_phone_e164"] for v in valid if v.values["direct_phone_e164"]]
    if not emails and not phones:
        return {}, {}
    columns = [getattr(Contact, c) for c in _MATCH_COLUMNS]
    if session.get_bind().dialect.name == "postgresql":  # two array parameters, not 10,000
        matches = or_(
            Contact.email == any_(bindparam("emails", emails, type_=ARRAY(String))),
            Contact.direct_phone_e164 == any_(bindparam("phones", phones, type_=ARRAY(String))),
        )
    else:
        matches = or_(Contact.email.in_(emails), Contact.direct_phone_e164.in_(phones))
    query = select(*columns).where(matches)
    by_email: dict[str, dict[str, Any]] = {}
    by_phone: dict[str, dict[str, Any]] = {}
    for found in (await session.execute(query)).mappings():
        contact = dict(found)
        if contact["email"]:
            by_email[contact["email"]] = contact
        if contact["direct_phone_e164"]:
            by_phone.setdefault(contact["direct_phone_e164"], contact)
    return by_email, by_phone


async def _accounts(session: AsyncSession, domains: set[str]) -> dict[str, int]:
    if not domains:
        return {}
    query = select(Account.domain, Account.id).where(Account.domain.in_(sorted(domains)))
    return {domain: account_id for domain, account_id in await session.execute(query) if domain}
