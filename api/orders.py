"""Client orders: the client portal's own orders, and the operations view of all orders."""

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.deps import PageDep, Principal, SessionDep, require
from api.exports import Format, Rows, download
from api.reporting import CallKpis, EmailKpis
from api.schemas import Page, ReadModel, RowId, Strict
from engine import exports
from engine import orders as order_rules
from engine import reporting as rules
from engine.errors import FieldError, IllegalTransition, ValidationFailed
from engine.qa import DELIVERABLE, QaStatus
from store import audit, orders, reporting
from store.models import Contact, Lead, Order
from store.pagination import SortKey, paginate_sorted

router = APIRouter(tags=["orders"])

ClientUser = Annotated[Principal, Depends(require("client_orders", "read"))]
ClientWriter = Annotated[Principal, Depends(require("client_orders", "write"))]
Staff = Annotated[Principal, Depends(require("orders", "read"))]
StaffWriter = Annotated[Principal, Depends(require("orders", "write"))]
# Ids the databases can hold (BIGINT): a bigger one is a 422, not a driver error.


class PacingIn(Strict):
    leads_per_week: Annotated[int, Field(ge=1, le=100_000)] | None = None
    start_date: date | None = None
    end_date: date | None = None


class OrderCreate(Strict):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    kind: Literal["email", "telemarketing", "combo"]
    lead_goal: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    pacing: PacingIn = PacingIn()
    notes: Annotated[str, Field(max_length=5000)] | None = None


class OrderUpdate(Strict):
    title: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    kind: Literal["email", "telemarketing", "combo"] | None = None
    lead_goal: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    pacing: PacingIn | None = None
    notes: Annotated[str, Field(max_length=5000)] | None = None
    compliance_confirmed: bool | None = None


class OrderRead(ReadModel):
    id: int
    client_id: int
    client_name: str = ""  # filled by `_read` and the lists: clients see their own name
    title: str
    kind: str
    status: str
    audience: dict[str, Any]
    lead_goal: int | None
    pacing: dict[str, Any]
    compliance_confirmed: bool
    compliance_confirmed_at: datetime | None
    compliance_confirmed_by_id: int | None
    question_version: int | None
    notes: str | None
    submitted_at: datetime | None
    created_at: datetime


def _apply(order: Order, values: dict[str, Any], principal: Principal) -> None:
    """Sets the draft's fields; pacing is checked against the goal it ends up with."""
    if "pacing" in values:
        values["pacing"] = {k: v for k, v in values["pacing"].items() if v is not None}
    if "compliance_confirmed" in values:
        confirmed = bool(values["compliance_confirmed"])
        order.compliance_confirmed_at = datetime.now(UTC) if confirmed else None
        order.compliance_confirmed_by_id = principal.user_id if confirmed else None
    for key, value in values.items():
        setattr(order, key, value)
    pacing = PacingIn.model_validate(order.pacing or {})
    order_rules.check_pacing(
        order_rules.Pacing(pacing.leads_per_week, pacing.start_date, pacing.end_date),
        lead_goal=order.lead_goal,
        today=datetime.now(UTC).date(),
    )


async def _read(session: AsyncSession, order: Order) -> OrderRead:
    name = await orders.client_name(session, client_id=order.client_id)
    return OrderRead.model_validate(order).model_copy(update={"client_name": name})


class OrderListParams:
    """An order list's filters and order: `status`, `q` (title, client name or `#id`) and
    `sort` (a key of `orders.SORTS`, `-` in front for descending; newest first by default)."""

    def __init__(
        self,
        status: Annotated[str | None, Query(max_length=20)] = None,
        q: Annotated[str | None, Query(max_length=100)] = None,
        sort: Annotated[
            str, Query(pattern=rf"^-?({'|'.join(orders.SORTS)})$", max_length=20)
        ] = "-created",
    ) -> None:
        self.status = status
        self.search = q.strip() if q else None
        column, kind = orders.SORTS[sort.removeprefix("-")]
        self.sort = SortKey(column, kind, descending=sort.startswith("-"))


OrderListDep = Annotated[OrderListParams, Depends()]


async def _page(
    session: SessionDep, page: PageDep, client_id: int | None, wanted: OrderListParams
) -> Page[OrderRead]:
    query = orders.orders_query(client_id=client_id, status=wanted.status, search=wanted.search)
    result = await paginate_sorted(
        session, query, Order.id, sort=wanted.sort, limit=page.limit, cursor=page.cursor
    )
    return Page[OrderRead](
        items=[
            OrderRead.model_validate(row[0]).model_copy(update={"client_name": row[1]})
            for row in result.items
        ],
        next_cursor=result.next_cursor,
    )


@router.get("/client/orders")
async def list_my_orders(
    principal: ClientUser, session: SessionDep, page: PageDep, wanted: OrderListDep
) -> Page[OrderRead]:
    return await _page(session, page, principal.own_client, wanted)


@router.post("/client/orders", status_code=201)
async def create_order(
    body: OrderCreate, principal: ClientWriter, session: SessionDep
) -> OrderRead:
    if principal.client_id is None:
        raise ValidationFailed([FieldError("client_id", "Your login belongs to no client.")])
    order = Order(client_id=principal.client_id, created_by_id=principal.user_id, audience={})
    _apply(order, body.model_dump(mode="json"), principal)
    session.add(order)
    await session.flush()
    audit.record(
        session,
        action="order.create",
        target_type="order",
        target_id=order.id,
        by=principal.audit(),
    )
    await session.commit()
    return await _read(session, order)


@router.get("/client/orders/{order_id}")
async def get_my_order(order_id: RowId, principal: ClientUser, session: SessionDep) -> OrderRead:
    order = await orders.get_or_raise(session, order_id=order_id, client_id=principal.own_client)
    return await _read(session, order)


@router.patch("/client/orders/{order_id}")
async def update_my_order(
    order_id: RowId, body: OrderUpdate, principal: ClientWriter, session: SessionDep
) -> OrderRead:
    order = await orders.get_or_raise(session, order_id=order_id, client_id=principal.own_client)
    if order.status != "draft":
        raise IllegalTransition("A submitted order", order.status, "edited")
    _apply(order, body.model_dump(mode="json", exclude_unset=True), principal)
    await session.commit()
    return await _read(session, order)


@router.post("/client/orders/{order_id}/submit")
async def submit_my_order(
    order_id: RowId, principal: ClientWriter, session: SessionDep
) -> OrderRead:
    """Never creates a campaign: operations staff link existing ones afterwards."""
    order = await orders.get_or_raise(
        session, order_id=order_id, client_id=principal.own_client, lock=True
    )
    await orders.change_status(session, order=order, to="submitted")
    audit.record(
        session,
        action="order.submit",
        target_type="order",
        target_id=order.id,
        by=principal.audit(),
    )
    await session.commit()
    return await _read(session, order)


@router.get("/orders")
async def list_orders(
    _: Staff, session: SessionDep, page: PageDep, wanted: OrderListDep
) -> Page[OrderRead]:
    return await _page(session, page, None, wanted)


@router.get("/orders/{order_id}")
async def get_order(order_id: RowId, _: Staff, session: SessionDep) -> OrderRead:
    return await _read(
        session, await orders.get_or_raise(session, order_id=order_id, client_id=None)
    )


class OrderStatusChange(Strict):
    status: Literal["in_progress", "completed", "cancelled"]


@router.post("/orders/{order_id}/status")
async def change_order_status(
    order_id: RowId, body: OrderStatusChange, principal: StaffWriter, session: SessionDep
) -> OrderRead:
    """Operations staff move a submitted order on; webhooks and automation follow."""
    order = await orders.get_or_raise(session, order_id=order_id, client_id=None)
    before = order.status
    await orders.change_status(session, order=order, to=body.status)
    audit.record(
        session,
        action="order.status",
        target_type="order",
        target_id=order.id,
        data={"from": before, "to": body.status},
        by=principal.audit(),
    )
    await session.commit()
    return await _read(session, order)


# --- the bridge: operations staff link campaigns to an order -------------------------------


class CampaignLinkCreate(Strict):
    campaign_id: RowId


class CampaignLinkRead(BaseModel):
    campaign_id: int
    campaign_name: str
    campaign_kind: str
    campaign_status: str
    linked_by_id: int | None
    created_at: datetime
    # a call campaign: whether it asks the order's questions with their qualifying rules
    # (None for an email campaign, or when the order asks none)
    questions_match: bool | None


async def _link_reads(session: SessionDep, order: Order) -> list[CampaignLinkRead]:
    """The order's links; its questions are read once for every call campaign's match."""
    asked = await orders.asked_questions(session, order=order)
    return [
        CampaignLinkRead(
            campaign_id=c.id,
            campaign_name=c.name,
            campaign_kind=c.kind,
            campaign_status=c.status,
            linked_by_id=link.linked_by_id,
            created_at=link.created_at,
            questions_match=await orders.questions_match(session, asked=asked, campaign_id=c.id)
            if c.kind == "call"
            else None,
        )
        for link, c in await orders.links(session, order_id=order.id)
    ]


@router.get("/orders/{order_id}/campaign-links")
async def list_campaign_links(
    order_id: RowId, _: Staff, session: SessionDep
) -> list[CampaignLinkRead]:
    order = await orders.get_or_raise(session, order_id=order_id, client_id=None)
    return await _link_reads(session, order)


@router.post("/orders/{order_id}/campaign-links", status_code=201)
async def link_campaign(
    order_id: RowId,
    body: CampaignLinkCreate,
    principal: StaffWriter,
    session: SessionDep,
    response: Response,
) -> list[CampaignLinkRead]:
    """Links an existing campaign: 201 when new, 200 when it was linked already."""
    order = await orders.get_or_raise(session, order_id=order_id, client_id=None)
    _, created = await orders.link(
        session, order=order, campaign_id=body.campaign_id, linked_by_id=principal.user_id
    )
    if created:
        audit.record(
            session,
            action="order.link_campaign",
            target_type="order",
            target_id=order_id,
            data={"campaign_id": body.campaign_id},
            by=principal.audit(),
        )
    else:
        response.status_code = 200
    await session.commit()
    return await _link_reads(session, order)


@router.delete("/orders/{order_id}/campaign-links/{campaign_id}", status_code=204)
async def unlink_campaign(
    order_id: RowId, campaign_id: RowId, principal: StaffWriter, session: SessionDep
) -> None:
    await orders.get_or_raise(session, order_id=order_id, client_id=None)
    await orders.unlink(session, order_id=order_id, campaign_id=campaign_id)
    audit.record(
        session,
        action="order.unlink_campaign",
        target_type="order",
        target_id=order_id,
        data={"campaign_id": campaign_id},
        by=principal.audit(),
    )
    await session.commit()


# --- the client's view of its order: linked campaigns and approved leads only --------------


class CampaignProgress(BaseModel):
    campaign_id: int
    name: str
    kind: str
    status: str
    leads_by_status: dict[str, int]
    approved: int
    telemarketing: CallKpis
    email: EmailKpis


class OrderReport(BaseModel):
    order_id: int
    status: str
    lead_goal: int | None
    approved: int
    remaining: int | None
    progress: float | None  # approved / lead goal
    leads_by_status: dict[str, int]
    telemarketing: CallKpis
    email: EmailKpis
    campaigns: list[CampaignProgress]


def _by_status(counts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    total = dict.fromkeys([status.value for status in QaStatus], 0)
    for per_campaign in counts:
        for status, count in per_campaign.items():
            total[status] = total.get(status, 0) + count
    return total


def _approved(by_status: Mapping[str, int]) -> int:
    return sum(by_status.get(status.value, 0) for status in DELIVERABLE)


@router.get("/client/orders/{order_id}/report")
async def my_order_report(
    order_id: RowId, principal: ClientUser, session: SessionDep
) -> OrderReport:
    """KPIs and progress counted over the linked campaigns only (the reporting queries,
    scoped to them); approved includes published."""
    order = await orders.get_or_raise(session, order_id=order_id, client_id=principal.own_client)
    linked = [campaign for _, campaign in await orders.links(session, order_id=order_id)]
    scope = reporting.Scope(
        rules.period(date_from=None, date_to=None, tz="UTC"), [c.id for c in linked]
    )
    calls = {
        row["key"]: row
        for row in await reporting.telemarketing_report(session, scope=scope, group="campaign")
    }
    mails = {
        row["key"]: row
        for row in await reporting.email_report(session, scope=scope, group="campaign")
    }
    campaigns = []
    for campaign in linked:
        named = {"key": campaign.id, "label": campaign.name}
        call_kpis = calls.get(campaign.id) or rules.call_totals([]) | named
        by_status = _by_status([call_kpis["leads_by_status"]])
        campaigns.append(
            CampaignProgress(
                campaign_id=campaign.id,
                name=campaign.name,
                kind=campaign.kind,
                status=campaign.status,
                leads_by_status=by_status,
                approved=_approved(by_status),
                telemarketing=CallKpis(**call_kpis),
                email=EmailKpis(**(mails.get(campaign.id) or rules.email_totals([]) | named)),
            )
        )
    total = _by_status(c.leads_by_status for c in campaigns)
    approved = _approved(total)
    return OrderReport(
        order_id=order.id,
        status=order.status,
        lead_goal=order.lead_goal,
        approved=approved,
        remaining=max(order.lead_goal - approved, 0) if order.lead_goal else None,
        progress=rules.ratio(approved, order.lead_goal or 0),
        leads_by_status=total,
        telemarketing=CallKpis(**rules.call_totals(list(calls.values()))),
        email=EmailKpis(**rules.email_totals(list(mails.values()))),
        campaigns=campaigns,
    )


# Then one `answer_<key>` column per qualification question of the linked campaigns.
LEADS_HEAD = (
    "lead_id",
    "campaign_id",
    "approved_at",
    "full_name",
    "first_name",
    "last_name",
    "job_title",
    "email",
    "phone",
    "company",
    "domain",
    "city",
    "country",
)


def _lead_row(lead: Lead, contact: Contact, company: str | None, domain: str | None) -> list[Any]:
    return [
        lead.id,
        lead.campaign_id,
        lead.approved_at,
        contact.full_name,
        contact.first_name,
        contact.last_name,
        contact.job_title,
        contact.email,
        contact.direct_phone_e164,
        company,
        domain,
        contact.city,
        contact.country,
    ]


async def _lead_rows(
    sessions: async_sessionmaker[AsyncSession], order_id: int, keys: list[str]
) -> Rows:
    """The one row source of both formats, streamed from its own session (the request's
    closes before the body is sent); formula-like text gets a leading quote."""
    query = orders.deliverable_leads_query(order_id=order_id)
    async with sessions() as session:
        result = await session.stream(query.execution_options(yield_per=500))
        async for chunk in result.partitions():
            yield [
                exports.row(
                    [
                        *_lead_row(lead, contact, company, domain),
                        *(lead.answers.get(k) for k in keys),
                    ]
                )
                for lead, contact, company, domain in chunk
            ]


@router.get("/client/orders/{order_id}/leads.{fmt}")
async def download_my_leads(
    order_id: RowId, fmt: Format, principal: ClientUser, session: SessionDep, request: Request
) -> StreamingResponse:
    """Approved leads of the linked campaigns as CSV or XLSX; every download is audited."""
    await orders.get_or_raise(session, order_id=order_id, client_id=principal.own_client)
    keys = await orders.answer_keys(session, order_id=order_id)
    audit.record(
        session,
        action="order.leads_download",
        target_type="order",
        target_id=order_id,
        data={"format": fmt},
        by=principal.audit(),
    )
    await session.commit()
    return download(
        _lead_rows(request.app.state.sessions, order_id, keys),
        [*LEADS_HEAD, *(f"answer_{k}" for k in keys)],
        fmt=fmt,
        name=f"order-{order_id}-leads",
    )
