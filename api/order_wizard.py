"""The order wizard's steps on a client's draft: audience snapshot, qualification question
versions, assets, and the review of what is still missing. Staff read every order's."""

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, File, Query, Response, UploadFile
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import Select

from api.deps import BlobsDep, Principal, SessionDep, SettingsDep
from api.orders import ClientUser, ClientWriter, Staff
from api.schemas import ReadModel, RowId, Strict
from engine import orders as order_rules
from engine.errors import DomainError, FieldError, IllegalTransition, NotFound, ValidationFailed
from store import audit, orders, segments
from store.models import Order, OrderAsset

router = APIRouter(tags=["orders"])


async def _draft(session: SessionDep, order_id: int, principal: Principal) -> Order:
    """The caller's own order, still a draft: anything else is a 404 or a 409. Its row stays
    locked until the commit, so two edits of one draft (two audience snapshots replacing
    each other's members) run one after the other instead of colliding."""
    order = await orders.get_or_raise(
        session, order_id=order_id, client_id=principal.own_client, lock=True
    )
    if order.status != order_rules.OrderStatus.DRAFT:
        raise IllegalTransition("A submitted order", order.status, "edited")
    return order


# --- audience ------------------------------------------------------------------------------


class AudienceIn(Strict):
    """Exactly one source: a filter (the filter language), or a segment, list or domain set."""

    source: Literal["filter", "segment", "list", "domain_set"]
    filter: dict[str, Any] | None = None
    segment_id: RowId | None = None
    list_id: RowId | None = None
    domain_set_id: RowId | None = None

    @model_validator(mode="after")
    def _one_source(self) -> "AudienceIn":
        given = {
            k
            for k in ("filter", "segment_id", "list_id", "domain_set_id")
            if getattr(self, k) is not None
        }
        wanted = "filter" if self.source == "filter" else f"{self.source}_id"
        if given != {wanted}:
            raise ValueError(f"give {wanted} (and nothing else) for the {self.source} source")
        return self

    def ref(self) -> Any:
        return self.filter if self.source == "filter" else getattr(self, f"{self.source}_id")


class AudienceRead(BaseModel):
    source: str | None = None
    definition: dict[str, Any] = {}
    contact_count: int = 0
    account_count: int = 0
    snapshot_at: str | None = None


async def _client_audience(
    session: SessionDep, body: AudienceIn, principal: Principal
) -> tuple[dict[str, Any], Select[Any]]:
    """The definition and contact ids of what a client may target: any filter over the
    contacts, or a segment, list or domain set made by its own users (others' are 404)."""
    if body.source != "filter" and not await orders.source_owned_by(
        session, source=body.source, ref=body.ref(), client_id=principal.own_client
    ):
        raise NotFound(body.source.replace("_", " ").capitalize())
    return await orders.resolve_audience(session, source=body.source, ref=body.ref())


@router.put("/client/orders/{order_id}/audience")
async def set_audience(
    order_id: RowId, body: AudienceIn, principal: ClientWriter, session: SessionDep
) -> AudienceRead:
    """Snapshots the audience now; later changes to the segment, list or set don't reach it."""
    order = await _draft(session, order_id, principal)
    definition, ids = await _client_audience(session, body, principal)
    summary = await orders.snapshot_audience(
        session, order=order, source=body.source, definition=definition, ids=ids
    )
    await session.commit()
    return AudienceRead.model_validate(summary)


class AudienceCount(BaseModel):
    contact_count: int
    account_count: int


@router.post("/client/audience/count")
async def count_my_audience(
    body: AudienceIn, principal: ClientUser, session: SessionDep
) -> AudienceCount:
    """What `PUT …/audience` with this body would hold now, before choosing it; nothing is
    stored. The same sources and rules (another client's segment is a 404)."""
    _, ids = await _client_audience(session, body, principal)
    contacts, accounts = await orders.count_audience(session, ids=ids)
    return AudienceCount(contact_count=contacts, account_count=accounts)


class DomainListCount(AudienceCount):
    stats: dict[str, Any]


@router.post("/client/audience/domains/count")
async def count_domain_list(
    file: Annotated[UploadFile, File(description="CSV or TXT, one domain per line")],
    _: ClientUser,
    session: SessionDep,
) -> DomainListCount:
    """What a domain list would match (accounts, their contacts, the upload's statistics)
    before it is uploaded as the audience; nothing is stored."""
    _parsed, stats = await segments.match_domain_file(session, content=await file.read())
    counts = {"contact_count": stats["contacts"], "account_count": stats["matched"]}
    return DomainListCount.model_validate(counts | {"stats": stats})


class DomainListAudience(AudienceRead):
    """The snapshot plus what the upload found (match rate, unmatched and invalid lines)."""

    domain_set_id: int
    stats: dict[str, Any]


@router.post("/client/orders/{order_id}/audience/domains")
async def upload_domain_list(
    order_id: RowId,
    file: Annotated[UploadFile, File(description="CSV or TXT, one domain per line")],
    principal: ClientWriter,
    session: SessionDep,
) -> DomainListAudience:
    """The client's own domain list becomes a domain set and the order's audience in one
    step: clients may not read or reuse the agency's domain sets."""
    order = await _draft(session, order_id, principal)
    created = await segments.add_domain_set(
        session,
        content=await file.read(),
        name=f"Order {order_id}: {_safe_name(file.filename)}",
        owner_id=principal.user_id,
    )
    if not created.domains:
        raise ValidationFailed([FieldError("file", "The file holds no valid domain.")])
    definition, ids = await orders.resolve_audience(session, source="domain_set", ref=created.id)
    summary = await orders.snapshot_audience(
        session, order=order, source="domain_set", definition=definition, ids=ids
    )
    audit.record(
        session,
        action="domain_set.create",
        target_type="domain_set",
        target_id=created.id,
        data={"order_id": order_id, "unique": len(created.domains)},
        by=principal.audit(),
    )
    await session.commit()
    return DomainListAudience.model_validate(
        summary | {"domain_set_id": created.id, "stats": created.stats}
    )


@router.get("/client/orders/{order_id}/audience")
async def get_my_audience(
    order_id: RowId, principal: ClientUser, session: SessionDep
) -> AudienceRead:
    order = await orders.get_or_raise(session, order_id=order_id, client_id=principal.own_client)
    return AudienceRead.model_validate(order.audience)


class AudienceIds(BaseModel):
    contact_ids: list[int]
    account_ids: list[int]


@router.get("/orders/{order_id}/audience")
async def get_audience_ids(order_id: RowId, _: Staff, session: SessionDep) -> AudienceIds:
    """Operations staff read the frozen contact and account ids to build campaigns from."""
    await orders.get_or_raise(session, order_id=order_id, client_id=None)
    return AudienceIds(
        contact_ids=await orders.audience_ids(session, order_id=order_id, what="contact"),
        account_ids=await orders.audience_ids(session, order_id=order_id, what="account"),
    )


# --- qualification questions, versioned ----------------------------------------------------


class QuestionIn(Strict):
    question: Annotated[str, Field(min_length=1, max_length=500)]
    answer_type: Literal["text", "number", "date", "dropdown", "radio", "checkbox"] = "text"
    options: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=200)]], Field(max_length=50)
    ] = []
    required: bool = True
    qualifying_options: Annotated[list[str], Field(max_length=50)] = []
    qualifying_min: Annotated[float, Field(allow_inf_nan=False)] | None = None


class QuestionsIn(Strict):
    questions: Annotated[list[QuestionIn], Field(min_length=1, max_length=100)]


class QuestionRead(ReadModel):
    question: str
    answer_type: str
    options: list[Any]
    required: bool
    qualifying_options: list[Any]
    qualifying_min: float | None


class QuestionVersion(BaseModel):
    version: int | None
    latest_version: int | None
    questions: list[QuestionRead]


async def _version(session: SessionDep, order_id: int, version: int | None) -> QuestionVersion:
    latest = await orders.latest_question_version(session, order_id=order_id)
    wanted = version or latest
    if version is not None and (latest is None or version > latest):
        raise NotFound("Question version")
    items = await orders.questions(session, order_id=order_id, version=wanted) if wanted else []
    return QuestionVersion(
        version=wanted,
        latest_version=latest,
        questions=[QuestionRead.model_validate(q) for q in items],
    )


VersionQuery = Annotated[int | None, Query(ge=1, le=1_000_000)]


@router.put("/client/orders/{order_id}/questions")
async def set_questions(
    order_id: RowId, body: QuestionsIn, principal: ClientWriter, session: SessionDep
) -> QuestionVersion:
    """Saves the full list as a new version; earlier versions stay readable."""
    await _draft(session, order_id, principal)
    order_rules.check_questions([order_rules.Question.of(q) for q in body.questions])
    version = await orders.add_question_version(
        session, order_id=order_id, items=[q.model_dump() for q in body.questions]
    )
    await session.commit()
    return await _version(session, order_id, version)


@router.get("/client/orders/{order_id}/questions")
async def get_my_questions(
    order_id: RowId, principal: ClientUser, session: SessionDep, version: VersionQuery = None
) -> QuestionVersion:
    """The latest version, or `?version=n`; a submitted order pins `question_version`."""
    await orders.get_or_raise(session, order_id=order_id, client_id=principal.own_client)
    return await _version(session, order_id, version)


@router.get("/orders/{order_id}/questions")
async def get_questions(
    order_id: RowId, _: Staff, session: SessionDep, version: VersionQuery = None
) -> QuestionVersion:
    await orders.get_or_raise(session, order_id=order_id, client_id=None)
    return await _version(session, order_id, version)


# --- assets --------------------------------------------------------------------------------


class AssetRead(ReadModel):
    id: int
    filename: str
    kind: str
    content_type: str
    size_bytes: int
    uploaded_by_id: int | None
    created_at: datetime


def _safe_name(name: str | None) -> str:
    """The client's file name for display and downloads only (keys never use it)."""
    cleaned = "".join(c for c in (name or "") if c.isprintable() and c not in '"\\/')
    return cleaned.strip()[-200:] or "file"


@router.post("/client/orders/{order_id}/assets", status_code=201)
async def upload_asset(
    order_id: RowId,
    file: Annotated[UploadFile, File(description="PDF, PNG, JPEG, DOCX, XLSX, CSV or TXT")],
    principal: ClientWriter,
    session: SessionDep,
    settings: SettingsDep,
    blobs: BlobsDep,
) -> AssetRead:
    """The content decides the type (a renamed file is refused); the size is capped."""
    await _draft(session, order_id, principal)
    data = await file.read(settings.order_asset_max_bytes + 1)
    if len(data) > settings.order_asset_max_bytes:
        raise DomainError(
            f"The file is over {settings.order_asset_max_bytes} bytes.", "payload_too_large", 413
        )
    filename = _safe_name(file.filename)
    kind = order_rules.asset_kind(filename, data)
    key = f"orders/{order_id}/assets/{uuid.uuid4().hex}.{kind}"
    content_type = order_rules.ASSET_TYPES[kind]
    await blobs.put(key, data, content_type=content_type)
    asset = OrderAsset(
        order_id=order_id,
        filename=filename,
        kind=kind,
        content_type=content_type,
        size_bytes=len(data),
        storage_key=key,
        uploaded_by_id=principal.user_id,
    )
    session.add(asset)
    await session.commit()
    return AssetRead.model_validate(asset)


@router.get("/client/orders/{order_id}/assets")
async def list_my_assets(
    order_id: RowId, principal: ClientUser, session: SessionDep
) -> list[AssetRead]:
    await orders.get_or_raise(session, order_id=order_id, client_id=principal.own_client)
    return [AssetRead.model_validate(a) for a in await orders.assets(session, order_id=order_id)]


@router.get("/orders/{order_id}/assets")
async def list_assets(order_id: RowId, _: Staff, session: SessionDep) -> list[AssetRead]:
    await orders.get_or_raise(session, order_id=order_id, client_id=None)
    return [AssetRead.model_validate(a) for a in await orders.assets(session, order_id=order_id)]


def _disposition(filename: str) -> str:
    """An ASCII fallback name plus the real one (RFC 6266): headers are Latin-1 only."""
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


async def _download(
    session: SessionDep, blobs: BlobsDep, principal: Principal, order_id: int, asset_id: int
) -> Response:
    asset = await orders.asset_or_raise(session, order_id=order_id, asset_id=asset_id)
    data = await blobs.read(asset.storage_key)
    audit.record(
        session,
        action="order.asset_download",
        target_type="order_asset",
        target_id=asset.id,
        data={"order_id": order_id},
        by=principal.audit(),
    )
    await session.commit()
    return Response(
        data,
        media_type=asset.content_type,
        headers={
            "Content-Disposition": _disposition(asset.filename),
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get("/client/orders/{order_id}/assets/{asset_id}")
async def download_my_asset(
    order_id: RowId, asset_id: RowId, principal: ClientUser, session: SessionDep, blobs: BlobsDep
) -> Response:
    await orders.get_or_raise(session, order_id=order_id, client_id=principal.own_client)
    return await _download(session, blobs, principal, order_id, asset_id)


@router.get("/orders/{order_id}/assets/{asset_id}")
async def download_asset(
    order_id: RowId, asset_id: RowId, principal: Staff, session: SessionDep, blobs: BlobsDep
) -> Response:
    await orders.get_or_raise(session, order_id=order_id, client_id=None)
    return await _download(session, blobs, principal, order_id, asset_id)


@router.delete("/client/orders/{order_id}/assets/{asset_id}", status_code=204)
async def delete_asset(
    order_id: RowId, asset_id: RowId, principal: ClientWriter, session: SessionDep, blobs: BlobsDep
) -> None:
    await _draft(session, order_id, principal)
    asset = await orders.asset_or_raise(session, order_id=order_id, asset_id=asset_id)
    key = asset.storage_key
    await session.delete(asset)
    await session.commit()
    await blobs.delete(key)  # after the commit: a failed delete leaves a file, never a dangling row


# --- review ----------------------------------------------------------------------------------


class MissingStep(BaseModel):
    field: str
    message: str


class Review(BaseModel):
    ready: bool
    missing: list[MissingStep]


@router.get("/client/orders/{order_id}/review")
async def review_order(order_id: RowId, principal: ClientUser, session: SessionDep) -> Review:
    """What the draft still lacks before it can be submitted (empty when ready)."""
    order = await orders.get_or_raise(session, order_id=order_id, client_id=principal.own_client)
    gaps: list[FieldError] = []
    if order.status == order_rules.OrderStatus.DRAFT:
        gaps = order_rules.missing(await orders.draft_facts(session, order=order))
    return Review(
        ready=not gaps and order.status == "draft",
        missing=[MissingStep(field=g.field, message=g.message) for g in gaps],
    )
