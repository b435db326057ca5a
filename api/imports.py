"""Contact and account imports: upload → preview with a suggested mapping → run in the
background → progress (here and on the live stream) → the error file of rejected rows."""

import asyncio
import csv
import io
import logging
import time
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.deps import PageDep, Principal, SessionDep, SettingsDep, require
from api.schemas import Page, ReadModel, Strict
from config.settings import Settings
from engine import exports
from engine import imports as rules
from engine.errors import Conflict, IllegalTransition, ValidationFailed
from store import audience, audit
from store import imports as store
from store.models import ImportJob
from store.pagination import paginate

log = logging.getLogger(__name__)
router = APIRouter(tags=["imports"])

Reader = Annotated[Principal, Depends(require("imports", "read"))]
Writer = Annotated[Principal, Depends(require("imports", "write"))]


class ImportPreview(ReadModel):
    id: int
    filename: str
    format: str
    encoding: str | None
    delimiter: str | None
    rows_total: int
    headers: list[str]
    suggested_mapping: dict[str, str | None]
    targets: list[str]
    rows: list[dict[str, Any]]


class ImportRun(Strict):
    mapping: dict[str, str | None] = Field(description="file column → field (None: not read)")


class ImportRead(ReadModel):
    id: int
    entity: str
    filename: str
    status: str
    rows_total: int
    rows_done: int
    rows_failed: int
    rows_per_s: float | None
    created: int
    updated: int
    skipped: int
    failure: str | None
    region: str
    phone_policy: str
    dedup: str
    mx_lookup: bool
    mapping: dict[str, Any]
    created_at: datetime
    finished_at: datetime | None


@router.post("/imports", status_code=201)
async def upload(
    principal: Writer,
    session: SessionDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="CSV (any common encoding/delimiter) or XLSX")],
    filename: Annotated[str | None, Form(max_length=300)] = None,
    entity: Annotated[Literal["contact", "account"], Form()] = "contact",
    region: Annotated[str | None, Form(min_length=2, max_length=2)] = None,
    phone_policy: Annotated[rules.PhonePolicy, Form()] = rules.PhonePolicy.REJECT,
    dedup: Annotated[rules.DedupPolicy, Form()] = rules.DedupPolicy.SKIP,
    mx_lookup: Annotated[
        bool | None, Form(description="look up email domains' MX (unset: the setting)")
    ] = None,
) -> ImportPreview:
    """Reads the whole file (a broken one is refused here, before anything is stored) and
    previews its first rows validated under the suggested mapping."""
    name = filename or file.filename or f"{entity}s.csv"
    content = await file.read()
    table = await anyio.to_thread.run_sync(rules.read_table, content, name)
    kind = rules.ENTITIES[entity]
    specs = await audience.field_specs(session, entity=entity)
    keys = [s.key for s in specs]
    suggested = rules.suggest_mapping(table.headers, keys, kind)
    options = rules.Options(
        rules.check_region(region or settings.default_phone_region), phone_policy, dedup
    )
    token = store.spool(content)
    job = await store.create(
        session,
        filename=name,
        entity=entity,
        options={
            "region": options.region,
            "phone_policy": options.phone_policy.value,
            "dedup": options.dedup.value,
            "mx_lookup": settings.import_mx_lookup if mx_lookup is None else mx_lookup,
            "file": token,
            "headers": table.headers,
            "format": table.format,
            "encoding": table.encoding,
            "delimiter": table.delimiter,
        },
        rows_total=len(table.rows),
        by_user=principal.user_id,
    )
    data = {"rows": len(table.rows), "format": table.format}
    audit.record(
        session,
        action="import.upload",
        target_type="import",
        target_id=job.id,
        data=data,
        by=principal.audit(),
    )
    await session.commit()
    return ImportPreview(
        id=job.id,
        filename=name,
        format=table.format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        rows_total=len(table.rows),
        headers=table.headers,
        suggested_mapping=suggested,
        targets=[*kind.targets, *(f"{rules.CUSTOM}{k}" for k in keys)],
        rows=_preview(table, suggested, specs, options, kind),
    )


def _preview(
    table: rules.Table,
    mapping: dict[str, str | None],
    specs: list[Any],
    options: rules.Options,
    entity: rules.Entity,
) -> list[dict[str, Any]]:
    try:
        used = rules.check_mapping(mapping, table.headers, [s.key for s in specs], entity)
    except ValidationFailed:
        used = None
    validator = rules.Validator(table.headers, used, specs, options, entity) if used else None
    out = []
    for number, cells in enumerate(table.rows[: rules.PREVIEW_ROWS], start=2):
        result = validator.row(number, cells) if validator else None
        out.append(
            {
                "row": number,
                "cells": cells,
                "valid": isinstance(result, rules.Valid) if result else None,
                "field": result.field if isinstance(result, rules.Rejected) else None,
                "reason": result.reason if isinstance(result, rules.Rejected) else None,
            }
        )
    return out


@router.get("/imports")
async def list_imports(_: Reader, session: SessionDep, page: PageDep) -> Page[ImportRead]:
    result = await paginate(
        session,
        store.imports_query(),
        ImportJob.id,
        limit=page.limit,
        cursor=page.cursor,
        newest_first=True,
    )
    return Page[ImportRead](items=[_read(j) for j in result.items], next_cursor=result.next_cursor)


@router.get("/imports/{import_id}")
async def get_import(import_id: int, _: Reader, session: SessionDep) -> ImportRead:
    return _read(await store.get_or_raise(session, import_id=import_id))


@router.post("/imports/{import_id}/run", status_code=202)
async def run_import(
    import_id: int, body: ImportRun, request: Request, principal: Writer, session: SessionDep
) -> ImportRead:
    """Checks the mapping against the file, then runs the import as a background task."""
    job = await store.get_or_raise(session, import_id=import_id)
    if job.status != "uploaded":
        raise IllegalTransition("Import", job.status, "running")
    content = store.spooled(job.options["file"])
    table = await anyio.to_thread.run_sync(rules.read_table, content, job.filename)
    specs = await audience.field_specs(session, entity=job.entity)
    keys = [s.key for s in specs]
    mapping = rules.check_mapping(body.mapping, table.headers, keys, rules.ENTITIES[job.entity])
    await store.mark_running(session, job=job, mapping=mapping)
    audit.record(
        session,
        action="import.run",
        target_type="import",
        target_id=job.id,
        data={"mapping": mapping},
        by=principal.audit(),
    )
    await session.commit()
    launch(request.app, job.id, table)
    return _read(job)


@router.post("/imports/{import_id}/resume", status_code=202)
async def resume_import(
    import_id: int, request: Request, principal: Writer, session: SessionDep
) -> ImportRead:
    """Resumes a running import whose process died (no heartbeat for
    `import_stale_seconds`) from its last written chunk; a live one is refused (409)."""
    job = await store.get_or_raise(session, import_id=import_id)
    settings: Settings = request.app.state.settings
    claimed = await store.claim_stale(
        session, stale_seconds=settings.import_stale_seconds, import_id=job.id
    )
    if not claimed:
        if job.status == "running":
            raise Conflict("The import is still running (its heartbeat is fresh).")
        raise IllegalTransition("Import", job.status, "running")
    audit.record(
        session,
        action="import.resume",
        target_type="import",
        target_id=job.id,
        data={"rows_done": job.rows_done},
        by=principal.audit(),
    )
    await session.commit()
    launch(request.app, job.id)
    return _read(job)


def launch(app: FastAPI, import_id: int, table: rules.Table | None = None) -> None:
    """Runs a running import as a task of the app, stopped (and left to resume) on shutdown."""
    task = asyncio.get_running_loop().create_task(
        store.execute(
            app.state.sessions,
            import_id=import_id,
            settings=app.state.settings,
            progress=lambda event: app.state.outbox.emit([event]),
            table=table,
        )
    )
    tasks: set[asyncio.Task[str]] = app.state.__dict__.setdefault("import_tasks", set())
    tasks.add(task)
    task.add_done_callback(tasks.discard)


async def resume_stale(app: FastAPI) -> None:
    """At start-up: every import left running by a dead process goes on here."""
    settings: Settings = app.state.settings
    async with app.state.sessions() as session, session.begin():
        claimed = await store.claim_stale(session, stale_seconds=settings.import_stale_seconds)
    for import_id in claimed:
        log.warning("resuming import %s left running by a stopped process", import_id)
        launch(app, import_id)


async def stop(app: FastAPI) -> None:
    """At shutdown: running imports stop between writes (they resume at the next start) and
    the validation worker processes end."""
    tasks: set[asyncio.Task[str]] = app.state.__dict__.get("import_tasks", set())
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await anyio.to_thread.run_sync(store.shutdown_pool)


@router.get("/imports/{import_id}/errors.csv")
async def error_file(
    import_id: int, request: Request, principal: Reader, session: SessionDep
) -> StreamingResponse:
    """Every rejected row: its number, the field and reason, and the row as it was in the
    file. Cells are neutralised against formula injection; the download is audited."""
    job = await store.get_or_raise(session, import_id=import_id)
    headers: list[str] = list(job.options.get("headers") or [])
    audit.record(
        session,
        action="import.errors",
        target_type="import",
        target_id=job.id,
        data={"rows_failed": job.rows_failed},
        by=principal.audit(),
    )
    await session.commit()
    body = _error_csv(request.app.state.sessions, job.id, headers)
    disposition = f'attachment; filename="import-{job.id}-errors.csv"'
    return StreamingResponse(
        body, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": disposition}
    )


async def _error_csv(
    sessions: async_sessionmaker[AsyncSession], import_id: int, headers: list[str]
) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(exports.row(["row_number", "field", "reason", *headers]))
    async for chunk in store.error_chunks(sessions, import_id=import_id):
        for error in chunk:
            raw = [error.raw.get(h, "") for h in headers]
            writer.writerow(exports.row([error.row_number, error.field, error.reason, *raw]))
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode()


def _read(job: ImportJob) -> ImportRead:
    options = job.options
    started = options.get("started")
    rate = None
    if started is not None:
        end = job.finished_at.timestamp() if job.finished_at else time.time()
        rate = round(job.rows_done / max(end - started, 1e-3), 1)
    return ImportRead(
        id=job.id,
        entity=job.entity,
        filename=job.filename,
        status=job.status,
        rows_total=job.rows_total,
        rows_done=job.rows_done,
        rows_failed=job.rows_failed,
        rows_per_s=rate,
        created=options.get("created", 0),
        updated=options.get("updated", 0),
        skipped=options.get("skipped", 0),
        failure=options.get("failure"),
        region=options.get("region", ""),
        phone_policy=options.get("phone_policy", ""),
        dedup=options.get("dedup", ""),
        mx_lookup=options.get("mx_lookup", False),
        mapping=job.mapping,
        created_at=job.created_at,
        finished_at=job.finished_at,
    )
