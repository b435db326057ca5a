"""Suppressions: add one (a DNC request), add a CSV file, check, list, remove (admin).

Every new phone suppression is handed to the dialer after commit, which drops the number
from every active queue at once, and every new email one to the send pacers; both also
check suppressions before each dial or send.
"""

import csv
import io
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Literal, get_args

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile
from pydantic import Field

from api.deps import PageDep, Principal, SessionDep, SettingsDep, require
from api.schemas import Page, ReadModel, RowId, Strict
from engine.contacts import normalize_domain, normalize_email, require_e164
from engine.errors import FieldError, ValidationFailed
from store import audit, suppressions
from store.models import Suppression
from store.pagination import paginate
from store.suppressions import NewSuppression

log = logging.getLogger(__name__)
router = APIRouter(tags=["suppressions"])

Reader = Annotated[Principal, Depends(require("suppressions", "read"))]
Writer = Annotated[Principal, Depends(require("suppressions", "write"))]
Importer = Annotated[Principal, Depends(require("suppression_imports", "write"))]
Remover = Annotated[Principal, Depends(require("suppression_removal", "write"))]

Kind = Literal["phone", "email", "domain"]
# Why the contact must not be reached: kept with the record for compliance.
ConsentBasis = Literal[
    "dnc_request",
    "unsubscribe",
    "complaint",
    "bounce",
    "regulatory_list",
    "legal_obligation",
    "client_request",
    "other",
]
Region = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
Text = Annotated[str, Field(min_length=1, max_length=200)]
# Ids the databases can hold (BIGINT): a bigger one is a 422, not a driver error.
CSV_COLUMNS = ("kind", "value", "reason", "consent_basis", "client_id")
MAX_REPORTED_ERRORS = 1000


class SuppressionCreate(Strict):
    kind: Kind
    value: Annotated[str, Field(min_length=1, max_length=320)]
    client_id: RowId | None = None
    reason: Text | None = None
    consent_basis: ConsentBasis | None = None
    source: Annotated[str, Field(min_length=1, max_length=100)] = "api"
    phone_region: Region | None = None


class SuppressionRead(ReadModel):
    id: int
    kind: str
    value: str
    client_id: int | None
    reason: str | None
    consent_basis: str | None
    source: str
    created_by_id: int | None
    created_at: datetime


class SuppressionCheck(Strict):
    suppressed: bool
    matches: list[SuppressionRead]


class SuppressionImportResult(Strict):
    rows: int
    created: int
    already_present: int


def _normalise(kind: str, raw: str, region: str, field: str) -> str:
    """The stored form of a value; ValidationFailed names `field` when it is malformed."""
    try:
        if kind == "phone":
            return require_e164(raw, region, field)
        if kind == "email":
            return normalize_email(raw, field)
        domain = normalize_domain(raw)
    except ValidationFailed as exc:
        raise ValidationFailed([FieldError(field, e.message) for e in exc.errors]) from exc
    if len(domain) > 253:
        raise ValidationFailed([FieldError(field, "A domain has at most 253 characters.")])
    return domain


async def _check_clients(session: SessionDep, client_ids: set[int], field: str) -> None:
    missing = await suppressions.missing_clients(session, client_ids=client_ids)
    if missing:
        raise ValidationFailed([FieldError(field, f"No such client: {missing[0]}.")])


async def _tell_actors(request: Request, rows: Sequence[Suppression]) -> None:
    """New numbers leave every dial queue, new addresses every send pacer, at once.

    The rows are committed, and both the dialer and the pacers check the suppression table
    again right before each dial or send: a hiccup here is logged, not an error."""
    numbers = [row.value for row in rows if row.kind == "phone"]
    emails = [row.value for row in rows if row.kind == "email"]
    for told, values in (
        (request.app.state.dialer.numbers_suppressed, numbers),
        (request.app.state.email.emails_suppressed, emails),
    ):
        if not values:
            continue
        try:
            await told(values)
        except Exception:
            log.exception("%d suppressions were not passed on", len(values))


@router.post("/suppressions", status_code=201)
async def add_suppression(
    body: SuppressionCreate,
    principal: Writer,
    session: SessionDep,
    settings: SettingsDep,
    request: Request,
    response: Response,
) -> SuppressionRead:
    """201 with the new entry; 200 with the existing one when it is already suppressed."""
    region = body.phone_region or settings.default_phone_region
    value = _normalise(body.kind, body.value, region, "value")
    if body.client_id is not None:
        await _check_clients(session, {body.client_id}, "client_id")
    entry = NewSuppression(
        kind=body.kind,
        value=value,
        client_id=body.client_id,
        source=body.source,
        reason=body.reason,
        consent_basis=body.consent_basis,
    )
    row, created = await suppressions.add(session, entry=entry, created_by_id=principal.user_id)
    await session.commit()
    if created:
        await _tell_actors(request, [row])
    else:
        response.status_code = 200
    return SuppressionRead.model_validate(row)


# --- CSV files -------------------------------------------------------------------------------


def _read_rows(data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed([FieldError("file", "The file is not UTF-8 text.")]) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    unknown = sorted(set(header) - set(CSV_COLUMNS))
    if not {"kind", "value"} <= set(header) or unknown:
        got = ", ".join(header) or "none"
        message = f"Use the columns kind, value[, reason, consent_basis, client_id]; got {got}."
        raise ValidationFailed([FieldError("file", message)])
    reader.fieldnames = header
    try:
        rows = [_clean(row) for row in reader]
    except csv.Error as exc:
        raise ValidationFailed([FieldError("file", f"Not a readable CSV file: {exc}.")]) from exc
    if not rows:
        raise ValidationFailed([FieldError("file", "The file has no rows.")])
    return rows


def _clean(row: dict[str | None, str | list[str] | None]) -> dict[str, str]:
    """Trimmed cells; cells beyond the header land under "extra" (an error later)."""
    cells = {k: v.strip() for k, v in row.items() if isinstance(k, str) and isinstance(v, str)}
    return cells | ({"extra": "yes"} if None in row else {})


def _cell_errors(row: dict[str, str], at: str) -> list[FieldError]:
    """What is wrong with a row's cells, the value aside."""
    errors = []
    basis, client = row.get("consent_basis"), row.get("client_id")
    if row.get("kind", "").lower() not in get_args(Kind):
        errors.append(FieldError(f"{at}.kind", "Use phone, email or domain."))
    if basis and basis not in get_args(ConsentBasis):
        errors.append(FieldError(f"{at}.consent_basis", f"{basis!r} is not a consent basis."))
    if client and not (client.isascii() and client.isdigit() and len(client) < 19):
        errors.append(FieldError(f"{at}.client_id", "Give a client id or leave it empty."))
    if len(row.get("reason", "")) > 200:
        errors.append(FieldError(f"{at}.reason", "At most 200 characters."))
    if "extra" in row:
        errors.append(FieldError(at, "The row has more cells than the header."))
    if not row.get("value"):
        errors.append(FieldError(f"{at}.value", "A value is required."))
    return errors


def _entry(row: dict[str, str], line: int, source: str, region: str) -> NewSuppression:
    """One row as a suppression; ValidationFailed lists every bad cell of it."""
    at, kind = f"rows.{line}", row.get("kind", "").lower()
    errors = _cell_errors(row, at)
    value = ""
    if kind in get_args(Kind) and row.get("value"):
        try:
            value = _normalise(kind, row["value"], region, f"{at}.value")
        except ValidationFailed as exc:
            errors += exc.errors
    if errors:
        raise ValidationFailed(errors)
    client = row.get("client_id")
    return NewSuppression(
        kind=kind,
        value=value,
        client_id=int(client) if client else None,
        source=source,
        reason=row.get("reason") or None,
        consent_basis=row.get("consent_basis") or None,
    )


def _entries(rows: list[dict[str, str]], source: str, region: str) -> list[NewSuppression]:
    """Every row checked before anything is written: one bad row refuses the whole file."""
    entries, errors = [], []
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        try:
            entries.append(_entry(row, line, source, region))
        except ValidationFailed as exc:
            errors += exc.errors
    if errors:
        bad_rows = len({e.field.split(".")[1] for e in errors})
        raise ValidationFailed(
            errors[:MAX_REPORTED_ERRORS],
            f"{bad_rows} of {len(rows)} rows have errors; nothing was imported.",
        )
    return entries


@router.post("/suppressions/bulk")
async def import_suppressions(
    principal: Importer,
    session: SessionDep,
    settings: SettingsDep,
    request: Request,
    file: Annotated[
        UploadFile, File(description="CSV: kind,value[,reason,consent_basis,client_id]")
    ],
    source: Annotated[str | None, Form(min_length=1, max_length=100)] = None,
    phone_region: Annotated[str | None, Form(pattern=r"^[A-Z]{2}$")] = None,
) -> SuppressionImportResult:
    """All or nothing: a file with any bad row is refused with every row error inline."""
    name = (file.filename or "upload.csv")[:80]
    rows = _read_rows(await file.read())
    region = phone_region or settings.default_phone_region
    entries = _entries(rows, source or f"csv:{name}", region)
    client_ids = {e.client_id for e in entries if e.client_id is not None}
    await _check_clients(session, client_ids, "client_id")
    created = await suppressions.add_many(session, entries=entries, created_by_id=principal.user_id)
    audit.record(
        session,
        action="suppression.import",
        target_type="suppression",
        data={"file": name, "rows": len(rows), "created": len(created)},
        by=principal.audit(),
    )
    await session.commit()
    await _tell_actors(request, created)
    return SuppressionImportResult(
        rows=len(rows), created=len(created), already_present=len(rows) - len(created)
    )


# --- reading and removing --------------------------------------------------------------------


@router.get("/suppressions")
async def list_suppressions(
    _: Reader,
    session: SessionDep,
    page: PageDep,
    kind: Kind | None = None,
    client_id: RowId | None = None,
    global_only: bool = False,
    q: Annotated[str | None, Query(max_length=320)] = None,
) -> Page[SuppressionRead]:
    query = suppressions.suppressions_query(
        kind=kind, client_id=client_id, global_only=global_only, q=q
    )
    result = await paginate(session, query, Suppression.id, limit=page.limit, cursor=page.cursor)
    return Page[SuppressionRead](
        items=[SuppressionRead.model_validate(r) for r in result.items],
        next_cursor=result.next_cursor,
    )


@router.get("/suppressions/check")
async def check_suppression(
    _: Reader,
    session: SessionDep,
    settings: SettingsDep,
    phone: Annotated[str | None, Query(max_length=50)] = None,
    email: Annotated[str | None, Query(max_length=320)] = None,
    domain: Annotated[str | None, Query(max_length=253)] = None,
    client_id: RowId | None = None,
    phone_region: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$")] = None,
) -> SuppressionCheck:
    if not (phone or email or domain):
        raise ValidationFailed([FieldError("phone", "Give a phone, an email or a domain.")])
    region = phone_region or settings.default_phone_region
    if client_id is not None:
        await _check_clients(session, {client_id}, "client_id")
    found = await suppressions.matches(
        session,
        phone=_normalise("phone", phone, region, "phone") if phone else None,
        email=_normalise("email", email, region, "email") if email else None,
        domain=_normalise("domain", domain, region, "domain") if domain else None,
        client_id=client_id,
    )
    return SuppressionCheck(
        suppressed=bool(found), matches=[SuppressionRead.model_validate(r) for r in found]
    )


@router.delete("/suppressions/{suppression_id}", status_code=204)
async def remove_suppression(
    suppression_id: RowId, principal: Remover, session: SessionDep
) -> None:
    row = await suppressions.get_or_raise(session, suppression_id=suppression_id)
    audit.record(
        session,
        action="suppression.delete",
        target_type="suppression",
        target_id=suppression_id,
        data={"kind": row.kind, "value": row.value, "client_id": row.client_id},
        by=principal.audit(),
    )
    await session.delete(row)
    await session.commit()
