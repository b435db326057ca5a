"""Count previews, segments (saved filters), static lists and domain sets."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, UploadFile
from pydantic import BaseModel, Field

from api.audience import ContactRead
from api.campaigns import CampaignRead
from api.deps import PageDep, Principal, SessionDep, require
from api.schemas import Page, ReadModel, RowId, Strict
from engine import filters as language
from engine.errors import Conflict, FieldError, ValidationFailed
from store import audit, campaigns, filters, segments
from store.models import Contact, ContactList, DomainSet, Segment
from store.pagination import paginate

router = APIRouter(tags=["segments"])

Reader = Annotated[Principal, Depends(require("segments", "read"))]
Writer = Annotated[Principal, Depends(require("segments", "write"))]
CampaignWriter = Annotated[Principal, Depends(require("campaigns", "write"))]
Name = Annotated[str, Field(min_length=1, max_length=200)]
ContactIds = Annotated[list[int], Field(min_length=1, max_length=10_000)]


# --- schemas -------------------------------------------------------------------------------


class FilterBody(Strict):
    filter: dict[str, Any]


class CountRead(BaseModel):
    count: int


class FieldRead(BaseModel):
    """A filterable field: its type, the operators valid on it (in a fixed order), and for
    an enum the values it takes (none: any text)."""

    name: str
    entity: str
    type: str
    operators: list[str]
    options: list[str]


class SegmentCreate(Strict):
    name: Name
    filter: dict[str, Any]


class SegmentUpdate(Strict):
    name: Name | None = None
    filter: dict[str, Any] | None = None


class SegmentRead(ReadModel):
    id: int
    name: str
    filter: dict[str, Any] = Field(validation_alias="definition")
    owner_id: int | None
    created_at: datetime
    updated_at: datetime


class ListCreate(Strict):
    name: Name


class ListRead(ReadModel):
    id: int
    name: str
    source_segment_id: int | None
    created_at: datetime
    updated_at: datetime


class MembersBody(Strict):
    contact_ids: ContactIds


class SnapshotBody(Strict):
    segment_id: int


class MembersChanged(BaseModel):
    changed: int
    size: int


class DomainSetRead(ReadModel):
    id: int
    name: str
    domains: list[str]
    stats: dict[str, Any]
    created_at: datetime


class ToSegmentBody(Strict):
    name: Name | None = None


class AssignBody(Strict):
    campaign_id: RowId


# --- count preview and segments ------------------------------------------------------------


@router.get("/audience/fields")
async def filter_fields(_: Reader, session: SessionDep) -> list[FieldRead]:
    """What a filter builder offers: the whitelist plus today's custom fields."""
    catalogue = language.field_catalogue(await segments.custom_specs(session))
    return [
        FieldRead(
            name=field.name,
            entity=field.entity,
            type=field.type.value,
            operators=[
                op.value for op in language.Operator if op in language.OPERATORS[field.type]
            ],
            options=list(field.options),
        )
        for field in catalogue.values()
    ]


@router.post("/audience/count")
async def count_audience(body: FilterBody, _: Reader, session: SessionDep) -> CountRead:
    node = await segments.check_filter(session, body.filter)
    return CountRead(count=await filters.count(session, node))


@router.get("/segments")
async def list_segments(_: Reader, session: SessionDep, page: PageDep) -> Page[SegmentRead]:
    query = segments.segments_query()
    result = await paginate(session, query, Segment.id, limit=page.limit, cursor=page.cursor)
    return Page[SegmentRead](
        items=[SegmentRead.model_validate(s) for s in result.items], next_cursor=result.next_cursor
    )


@router.post("/segments", status_code=201)
async def create_segment(
    body: SegmentCreate, principal: Writer, session: SessionDep
) -> SegmentRead:
    node = await segments.check_filter(session, body.filter)
    segment = Segment(name=body.name, definition=language.to_json(node), owner_id=principal.user_id)
    session.add(segment)
    await session.flush()
    _audit(session, principal, "segment.create", segment.id, {"name": body.name})
    await session.commit()
    return SegmentRead.model_validate(segment)


@router.get("/segments/{segment_id}")
async def get_segment(segment_id: int, _: Reader, session: SessionDep) -> SegmentRead:
    return SegmentRead.model_validate(
        await segments.get_segment_or_raise(session, segment_id=segment_id)
    )


@router.patch("/segments/{segment_id}")
async def update_segment(
    segment_id: int, body: SegmentUpdate, principal: Writer, session: SessionDep
) -> SegmentRead:
    segment = await segments.get_segment_or_raise(session, segment_id=segment_id)
    if body.filter is not None:
        segment.definition = language.to_json(await segments.check_filter(session, body.filter))
    if body.name is not None:
        segment.name = body.name
    changed = sorted(body.model_dump(exclude_unset=True))
    _audit(session, principal, "segment.update", segment_id, {"fields": changed})
    await session.commit()
    return SegmentRead.model_validate(segment)


@router.delete("/segments/{segment_id}", status_code=204)
async def delete_segment(segment_id: int, principal: Writer, session: SessionDep) -> None:
    segment = await segments.get_segment_or_raise(session, segment_id=segment_id)
    await session.delete(segment)
    _audit(session, principal, "segment.delete", segment_id, {"name": segment.name})
    await session.commit()


@router.get("/segments/{segment_id}/count")
async def count_segment(segment_id: int, _: Reader, session: SessionDep) -> CountRead:
    segment = await segments.get_segment_or_raise(session, segment_id=segment_id)
    node = await segments.segment_filter(session, segment)
    return CountRead(count=await filters.count(session, node))


@router.get("/segments/{segment_id}/contacts")
async def segment_contacts(
    segment_id: int, _: Reader, session: SessionDep, page: PageDep
) -> Page[ContactRead]:
    segment = await segments.get_segment_or_raise(session, segment_id=segment_id)
    node = await segments.segment_filter(session, segment)
    query = filters.query(node)
    result = await paginate(session, query, Contact.id, limit=page.limit, cursor=page.cursor)
    return Page[ContactRead](
        items=[ContactRead.model_validate(c) for c in result.items], next_cursor=result.next_cursor
    )


# --- static lists --------------------------------------------------------------------------


@router.get("/lists")
async def list_lists(_: Reader, session: SessionDep, page: PageDep) -> Page[ListRead]:
    query = segments.lists_query()
    result = await paginate(session, query, ContactList.id, limit=page.limit, cursor=page.cursor)
    return Page[ListRead](
        items=[ListRead.model_validate(x) for x in result.items], next_cursor=result.next_cursor
    )


@router.post("/lists", status_code=201)
async def create_list(body: ListCreate, principal: Writer, session: SessionDep) -> ListRead:
    created = ContactList(name=body.name, owner_id=principal.user_id)
    session.add(created)
    await session.commit()
    return ListRead.model_validate(created)


@router.get("/lists/{list_id}")
async def get_list(list_id: int, _: Reader, session: SessionDep) -> ListRead:
    return ListRead.model_validate(await segments.get_list_or_raise(session, list_id=list_id))


@router.delete("/lists/{list_id}", status_code=204)
async def delete_list(list_id: int, principal: Writer, session: SessionDep) -> None:
    found = await segments.get_list_or_raise(session, list_id=list_id)
    await session.delete(found)
    _audit(session, principal, "list.delete", list_id, {"name": found.name}, "list")
    await session.commit()


@router.get("/lists/{list_id}/count")
async def count_list(list_id: int, _: Reader, session: SessionDep) -> CountRead:
    await segments.get_list_or_raise(session, list_id=list_id)
    return CountRead(count=await segments.member_count(session, list_id=list_id))


@router.get("/lists/{list_id}/members")
async def list_members(
    list_id: int, _: Reader, session: SessionDep, page: PageDep
) -> Page[ContactRead]:
    await segments.get_list_or_raise(session, list_id=list_id)
    query = segments.members_query(list_id=list_id)
    result = await paginate(session, query, Contact.id, limit=page.limit, cursor=page.cursor)
    return Page[ContactRead](
        items=[ContactRead.model_validate(c) for c in result.items], next_cursor=result.next_cursor
    )


@router.post("/lists/{list_id}/members")
async def add_members(
    list_id: int, body: MembersBody, _: Writer, session: SessionDep
) -> MembersChanged:
    await segments.get_list_or_raise(session, list_id=list_id)
    added = await segments.add_members(session, list_id=list_id, contact_ids=body.contact_ids)
    await session.commit()
    return MembersChanged(changed=added, size=await segments.member_count(session, list_id=list_id))


@router.post("/lists/{list_id}/members/remove")
async def remove_members(
    list_id: int, body: MembersBody, _: Writer, session: SessionDep
) -> MembersChanged:
    await segments.get_list_or_raise(session, list_id=list_id)
    removed = await segments.remove_members(session, list_id=list_id, contact_ids=body.contact_ids)
    await session.commit()
    return MembersChanged(
        changed=removed, size=await segments.member_count(session, list_id=list_id)
    )


@router.post("/lists/{list_id}/snapshot")
async def snapshot_segment(
    list_id: int, body: SnapshotBody, principal: Writer, session: SessionDep
) -> MembersChanged:
    target = await segments.get_list_or_raise(session, list_id=list_id)
    segment = await segments.get_segment_or_raise(session, segment_id=body.segment_id)
    node = await segments.segment_filter(session, segment)
    added = await segments.snapshot(session, list_id=list_id, node=node)
    target.source_segment_id = segment.id
    data = {"segment_id": segment.id, "added": added}
    _audit(session, principal, "list.snapshot", list_id, data, "list")
    await session.commit()
    return MembersChanged(changed=added, size=await segments.member_count(session, list_id=list_id))


# --- domain sets ---------------------------------------------------------------------------


@router.get("/domain-sets")
async def list_domain_sets(_: Reader, session: SessionDep, page: PageDep) -> Page[DomainSetRead]:
    query = segments.domain_sets_query()
    result = await paginate(session, query, DomainSet.id, limit=page.limit, cursor=page.cursor)
    return Page[DomainSetRead](
        items=[DomainSetRead.model_validate(d) for d in result.items],
        next_cursor=result.next_cursor,
    )


@router.post("/domain-sets", status_code=201)
async def create_domain_set(
    principal: Writer,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="CSV or TXT, one domain per line")],
    name: Annotated[str | None, Form(max_length=200)] = None,
) -> DomainSetRead:
    created = await segments.add_domain_set(
        session,
        content=await file.read(),
        name=name or file.filename or "domains",
        owner_id=principal.user_id,
    )
    data = {"unique": created.stats["unique"], "matched": created.stats["matched"]}
    _audit(session, principal, "domain_set.create", created.id, data, "domain_set")
    await session.commit()
    return DomainSetRead.model_validate(created)


@router.get("/domain-sets/{domain_set_id}")
async def get_domain_set(domain_set_id: int, _: Reader, session: SessionDep) -> DomainSetRead:
    return DomainSetRead.model_validate(
        await segments.get_domain_set_or_raise(session, domain_set_id=domain_set_id)
    )


@router.post("/domain-sets/{domain_set_id}/to-segment", status_code=201)
async def domain_set_to_segment(
    domain_set_id: int, body: ToSegmentBody, principal: Writer, session: SessionDep
) -> SegmentRead:
    found = await segments.get_domain_set_or_raise(session, domain_set_id=domain_set_id)
    if not found.domains:
        raise ValidationFailed([FieldError("domain_set", "The domain set has no valid domains.")])
    node = await segments.check_filter(session, language.domains_filter(found.domains))
    segment = Segment(
        name=body.name or found.name, definition=language.to_json(node), owner_id=principal.user_id
    )
    session.add(segment)
    await session.flush()
    data = {"domain_set_id": domain_set_id}
    _audit(session, principal, "segment.create", segment.id, data)
    await session.commit()
    return SegmentRead.model_validate(segment)


@router.post("/domain-sets/{domain_set_id}/assign")
async def assign_domain_set(
    domain_set_id: int, body: AssignBody, principal: CampaignWriter, session: SessionDep
) -> CampaignRead:
    """Makes the domain set (its accounts' contacts, resolved when the campaign starts) the
    audience of a campaign not launched yet; a running one changes audience by PATCH."""
    found = await segments.get_domain_set_or_raise(session, domain_set_id=domain_set_id)
    if not found.domains:
        raise ValidationFailed([FieldError("domain_set", "The domain set has no valid domains.")])
    campaign = await campaigns.get_or_raise(session, campaign_id=body.campaign_id)
    if campaign.status not in ("draft", "scheduled"):
        raise Conflict(
            f"The campaign is {campaign.status}: change its audience with PATCH /campaigns/{{id}}.",
            "campaign_id",
        )
    campaign.audience = {"domain_set_id": found.id}
    data = {"fields": ["audience"], "domain_set_id": found.id}
    _audit(session, principal, "campaign.update", campaign.id, data, "campaign")
    await session.commit()
    return CampaignRead.model_validate(campaign)


def _audit(
    session: SessionDep,
    principal: Principal,
    action: str,
    target_id: int,
    data: dict[str, Any],
    target_type: str = "segment",
) -> None:
    audit.record(
        session,
        action=action,
        target_type=target_type,
        target_id=target_id,
        data=data,
        by=principal.audit(),
    )
