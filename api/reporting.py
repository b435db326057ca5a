"""Reporting: telemarketing and email KPIs, ABM coverage and contact penetration, as JSON
or as streamed, audited CSV/XLSX downloads. The SQL is store.reporting's, the rates
engine.reporting's."""

from collections.abc import AsyncIterator, Callable, Coroutine
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.deps import PageDep, Principal, SessionDep, require
from api.exports import Format, Rows, download
from api.schemas import Page, RowId
from engine import exports
from engine import reporting as rules
from engine.errors import FieldError, ValidationFailed
from engine.reporting import Group
from store import audit, reporting
from store.pagination import decode_cursor, encode_cursor

router = APIRouter(prefix="/reports", tags=["reporting"])

Reader = Annotated[Principal, Depends(require("reporting", "read"))]
Key = int | str | None


class ReportFilters:
    """The query parameters every report takes: local days of a time zone, campaigns."""

    def __init__(
        self,
        date_from: date | None = None,
        date_to: date | None = None,
        tz: Annotated[str, Query(min_length=1, max_length=64)] = "UTC",
        campaign_id: Annotated[list[RowId] | None, Query(max_length=200)] = None,
    ) -> None:
        self.raw = {"date_from": date_from, "date_to": date_to, "tz": tz}
        self.scope = reporting.Scope(
            rules.period(date_from=date_from, date_to=date_to, tz=tz), campaign_id
        )
        self.campaign_ids = campaign_id

    def audited(self) -> dict[str, Any]:
        return {k: str(v) for k, v in self.raw.items() if v is not None} | {
            "campaign_ids": self.campaign_ids
        }


Filters = Annotated[ReportFilters, Depends()]
GroupBy = Annotated[Group, Query()]


class CallKpis(BaseModel):
    key: Key
    label: str | None
    attempts: int
    connects: int
    connect_rate: float | None
    talk_seconds: float
    avg_talk_seconds: float | None
    dispositions: dict[str, int]
    leads: int
    approved: int
    leads_by_status: dict[str, int]
    conversion_rate: float | None


class EmailKpis(BaseModel):
    key: Key
    label: str | None
    sent: int
    delivered: int
    opens: int
    unique_opens: int
    clicks: int
    unique_clicks: int
    bounces: int
    complaints: int
    unsubscribes: int
    delivery_rate: float | None
    open_rate: float | None
    ctr: float | None
    bounce_rate: float | None
    complaint_rate: float | None
    unsubscribe_rate: float | None


class TelemarketingReport(BaseModel):
    group_by: Group
    rows: list[CallKpis]
    total: CallKpis


class EmailReport(BaseModel):
    group_by: Group
    rows: list[EmailKpis]
    total: EmailKpis


class CoverageRow(BaseModel):
    key: int
    label: str | None
    accounts_targeted: int
    accounts_reached: int
    coverage: float | None


class PenetrationRow(BaseModel):
    account_id: int
    account_name: str
    domain: str | None
    contacts: int
    contacts_targeted: int
    contacts_reached: int
    penetration: float | None


CoverageBy = Literal["campaign", "segment"]
SegmentIds = Annotated[list[RowId] | None, Query(max_length=50)]


async def _telemarketing(
    session: AsyncSession, filters: ReportFilters, group_by: Group, **_: Any
) -> list[dict[str, Any]]:
    return await reporting.telemarketing_report(session, scope=filters.scope, group=group_by)


async def _email(
    session: AsyncSession, filters: ReportFilters, group_by: Group, **_: Any
) -> list[dict[str, Any]]:
    rules.check_group(group_by, rules.EMAIL_GROUPS, "email")
    return await reporting.email_report(session, scope=filters.scope, group=group_by)


async def _coverage(
    session: AsyncSession,
    filters: ReportFilters,
    by: CoverageBy,
    segment_id: list[int] | None = None,
    **_: Any,
) -> list[dict[str, Any]]:
    if by == "campaign":
        counts = await reporting.coverage_by_campaign(session, scope=filters.scope)
    elif not segment_id:
        raise ValidationFailed([FieldError("segment_id", "Give the segments to cover.")])
    else:
        counts = await reporting.coverage_by_segment(
            session, scope=filters.scope, segment_ids=segment_id
        )
    return rules.coverage_rows(counts)


@router.get("/telemarketing")
async def telemarketing(
    _: Reader, session: SessionDep, filters: Filters, group_by: GroupBy = "campaign"
) -> TelemarketingReport:
    """Attempts, connects, talk time, dispositions and leads per campaign, agent, day or
    account domain."""
    rows = await _telemarketing(session, filters, group_by)
    return TelemarketingReport(
        group_by=group_by,
        rows=[CallKpis(**row) for row in rows],
        total=CallKpis(**rules.call_totals(rows)),
    )


@router.get("/email")
async def email(
    _: Reader, session: SessionDep, filters: Filters, group_by: GroupBy = "campaign"
) -> EmailReport:
    """Sent, delivered, opens, clicks, bounces, complaints, unsubscribes and their rates per
    campaign, day or account domain."""
    rows = await _email(session, filters, group_by)
    return EmailReport(
        group_by=group_by,
        rows=[EmailKpis(**row) for row in rows],
        total=EmailKpis(**rules.email_totals(rows)),
    )


@router.get("/abm/coverage")
async def coverage(
    _: Reader,
    session: SessionDep,
    filters: Filters,
    by: CoverageBy = "campaign",
    segment_id: SegmentIds = None,
) -> list[CoverageRow]:
    """Accounts with at least one contact reached, per campaign or per segment."""
    rows = await _coverage(session, filters, by, segment_id)
    return [CoverageRow(**row) for row in rows]


@router.get("/abm/penetration")
async def penetration(
    _: Reader, session: SessionDep, filters: Filters, page: PageDep
) -> Page[PenetrationRow]:
    """Per account with a contact in the campaigns' audiences, in account id order."""
    after = decode_cursor(page.cursor) if page.cursor else 0
    counts = await reporting.penetration(
        session, scope=filters.scope, after=after, limit=page.limit + 1
    )
    rows = rules.penetration_rows(counts[: page.limit])
    more = len(counts) > page.limit
    return Page[PenetrationRow](
        items=[PenetrationRow(**row) for row in rows],
        next_cursor=encode_cursor(rows[-1]["account_id"]) if more else None,
    )


# --- downloads -----------------------------------------------------------------------------------

Report = Callable[..., Coroutine[Any, Any, list[dict[str, Any]]]]
GROUPED: dict[str, Report] = {
    "telemarketing": _telemarketing,
    "email": _email,
    "coverage": _coverage,
}


async def _audit(
    session: AsyncSession, principal: Principal, report: str, fmt: str, data: dict[str, Any]
) -> None:
    """Audited before streaming: a download the caller abandons was still handed out."""
    audit.record(
        session,
        action="report.export",
        target_type="report",
        target_id=report,
        data={"format": fmt} | data,
        by=principal.audit(),
    )
    await session.commit()


async def _one_chunk(values: list[list[Any]]) -> Rows:
    yield [exports.row(v) for v in values]


@router.get("/telemarketing.{fmt}")
async def telemarketing_download(
    fmt: Format,
    principal: Reader,
    session: SessionDep,
    filters: Filters,
    group_by: GroupBy = "campaign",
) -> StreamingResponse:
    return await _grouped_download(
        "telemarketing", fmt, principal, session, filters, group_by=group_by
    )


@router.get("/email.{fmt}")
async def email_download(
    fmt: Format,
    principal: Reader,
    session: SessionDep,
    filters: Filters,
    group_by: GroupBy = "campaign",
) -> StreamingResponse:
    return await _grouped_download("email", fmt, principal, session, filters, group_by=group_by)


@router.get("/abm/coverage.{fmt}")
async def coverage_download(
    fmt: Format,
    principal: Reader,
    session: SessionDep,
    filters: Filters,
    by: CoverageBy = "campaign",
    segment_id: SegmentIds = None,
) -> StreamingResponse:
    return await _grouped_download(
        "coverage", fmt, principal, session, filters, by=by, segment_id=segment_id
    )


async def _grouped_download(
    report: str,
    fmt: Format,
    principal: Principal,
    session: AsyncSession,
    filters: ReportFilters,
    **options: Any,
) -> StreamingResponse:
    """A report small enough to compute at once (one row per group), then written out."""
    rows = await GROUPED[report](session, filters, **options)
    header, values = rules.export_table(report, rows)
    await _audit(session, principal, report, fmt, filters.audited() | options)
    return download(_one_chunk(values), header, fmt=fmt, name=f"{report}-report")


@router.get("/abm/penetration.{fmt}")
async def penetration_download(
    fmt: Format, principal: Reader, session: SessionDep, filters: Filters, request: Request
) -> StreamingResponse:
    """Every account, read in keyset chunks while the file streams."""
    await _audit(session, principal, "penetration", fmt, filters.audited())
    header = list(rules.EXPORT_COLUMNS["penetration"])
    rows = _penetration_chunks(request.app.state.sessions, filters.scope)
    return download(rows, header, fmt=fmt, name="penetration-report")


async def _penetration_chunks(
    sessions: async_sessionmaker[AsyncSession], scope: reporting.Scope, size: int = 1_000
) -> AsyncIterator[list[list[Any]]]:
    after = 0
    while True:
        async with sessions() as session:
            counts = await reporting.penetration(session, scope=scope, after=after, limit=size)
        rows = rules.penetration_rows(counts)
        if rows:
            yield [exports.row(row[c] for c in rules.EXPORT_COLUMNS["penetration"]) for row in rows]
            after = rows[-1]["account_id"]
        if len(rows) < size:
            return
