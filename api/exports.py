"""Contact exports (CSV, XLSX) of a filter, a segment or a list: streamed and audited."""

import csv
import io
import tempfile
from collections.abc import AsyncIterator, Sequence
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.deps import Principal, SessionDep, require
from api.segments import FilterBody
from engine import exports
from engine.errors import FieldError, ValidationFailed
from store import audience, audit, segments
from store.models import Contact

router = APIRouter(tags=["exports"])

Exporter = Annotated[Principal, Depends(require("exports", "read"))]
Format = Literal["csv", "xlsx"]
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
Rows = AsyncIterator[list[list[Any]]]


@router.get("/exports/contacts.{fmt}")
async def export_saved(
    fmt: Format,
    request: Request,
    principal: Exporter,
    session: SessionDep,
    segment_id: int | None = None,
    list_id: int | None = None,
) -> StreamingResponse:
    """The members of a segment (evaluated now) or of a static list."""
    if (segment_id is None) == (list_id is None):
        raise ValidationFailed([FieldError("segment_id", "Give either segment_id or list_id.")])
    if segment_id is not None:
        segment = await segments.get_segment_or_raise(session, segment_id=segment_id)
        node = await segments.segment_filter(session, segment)
        query = segments.export_query(node=node)
        source: dict[str, Any] = {"type": "segment", "id": segment_id}
    else:
        await segments.get_list_or_raise(session, list_id=list_id or 0)
        query = segments.export_query(list_id=list_id)
        source = {"type": "list", "id": list_id}
    return await _export(request, session, principal, fmt, query, source)


@router.post("/exports/contacts.{fmt}")
async def export_filter(
    fmt: Format, body: FilterBody, request: Request, principal: Exporter, session: SessionDep
) -> StreamingResponse:
    node = await segments.check_filter(session, body.filter)
    source = {"type": "filter", "id": None, "filter": body.filter}
    return await _export(request, session, principal, fmt, segments.export_query(node=node), source)


async def _export(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    fmt: Format,
    query: segments.ExportSelect,
    source: dict[str, Any],
) -> StreamingResponse:
    """Audits first (a download the client abandons was still handed out), then streams."""
    keys = [spec.key for spec in await audience.field_specs(session, entity="contact")]
    audit.record(
        session,
        action="export.contacts",
        target_type=source["type"],
        target_id=source["id"],
        data={"format": fmt, **{k: v for k, v in source.items() if k == "filter"}},
        by=principal.audit(),
    )
    await session.commit()
    rows = _rows(request.app.state.sessions, query, keys)
    return download(rows, exports.header(keys), fmt=fmt, name="contacts")


def download(rows: Rows, header: Sequence[str], *, fmt: Format, name: str) -> StreamingResponse:
    """A streamed CSV or XLSX attachment `name.fmt` of rows (already neutralised cells)."""
    body = csv_body(rows, header) if fmt == "csv" else xlsx_body(rows, header, sheet=name)
    disposition = f'attachment; filename="{name}.{fmt}"'
    return StreamingResponse(
        body, media_type=MEDIA[fmt], headers={"Content-Disposition": disposition}
    )


async def _rows(
    sessions: async_sessionmaker[AsyncSession], query: segments.ExportSelect, keys: Sequence[str]
) -> Rows:
    async for chunk in segments.export_chunks(sessions, query):
        yield [exports.row(_values(contact, name, domain, keys)) for contact, name, domain in chunk]


def _values(
    contact: Contact, name: str | None, domain: str | None, keys: Sequence[str]
) -> list[Any]:
    own = [getattr(contact, column) for column in exports.CONTACT_COLUMNS]
    return [*own, name, domain, *(contact.custom_fields.get(k) for k in keys)]


async def csv_body(rows: Rows, header: Sequence[str]) -> AsyncIterator[bytes]:
    """One encoded piece per database chunk: the file is never whole in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(exports.row(header))
    async for chunk in rows:
        writer.writerows(chunk)
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode()


async def xlsx_body(rows: Rows, header: Sequence[str], *, sheet: str) -> AsyncIterator[bytes]:
    """openpyxl's write-only mode spools rows to disk; the zip is built once at the end (an
    XLSX cannot be emitted before its last row), then sent in pieces."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.append([_xml_safe(v) for v in exports.row(header)])
    async for chunk in rows:
        for values in chunk:
            worksheet.append([_xml_safe(v) for v in values])
    with tempfile.TemporaryFile() as spool:
        await anyio.to_thread.run_sync(workbook.save, spool)
        spool.seek(0)
        while piece := await anyio.to_thread.run_sync(spool.read, 65_536):
            yield piece


def _xml_safe(value: Any) -> Any:
    """XLSX is XML: control characters would make openpyxl refuse the cell. Neutralised
    again because dropping them may bring a formula character to the front."""
    return (
        exports.neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
        if isinstance(value, str)
        else value
    )
