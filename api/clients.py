"""Client organisations: staff list and read them (to choose one for a user, an API key or a
webhook); admins onboard, rename and (de)activate them. Client users never see them."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import Field, field_validator

from api.deps import PageDep, Principal, SessionDep, require
from api.schemas import Page, ReadModel, RowId, Strict
from engine.contacts import normalize_email
from store import clients, users
from store.models import Client
from store.pagination import SortKey, paginate_sorted

router = APIRouter(tags=["clients"])

Staff = Annotated[Principal, Depends(require("clients", "read"))]
Admin = Annotated[Principal, Depends(require("clients", "write"))]

ClientName = Annotated[str, Field(min_length=1, max_length=200)]  # trimmed first (Strict)
ContactEmail = Annotated[str, Field(max_length=320)]


class ClientCreate(Strict):
    name: ClientName
    contact_email: ContactEmail | None = None


class ClientUpdate(Strict):
    name: ClientName | None = None
    contact_email: ContactEmail | None = None  # null clears it
    is_active: bool | None = None

    @field_validator("name", "is_active")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        """Left out keeps the value; an explicit null would be a name or state of nothing."""
        if value is None:
            raise ValueError("Leave the field out to keep its value; it cannot be null.")
        return value


class ClientRead(ReadModel):
    id: int
    name: str
    created_at: datetime
    is_active: bool
    contact_email: str | None
    user_count: int
    order_count: int
    campaign_count: int  # campaigns run for this client


def _read(row: Any) -> ClientRead:
    client, user_count, order_count, campaign_count = row[:4]
    own = ("id", "name", "created_at", "is_active", "contact_email")
    return ClientRead(
        **{k: getattr(client, k) for k in own},
        user_count=user_count,
        order_count=order_count,
        campaign_count=campaign_count,
    )


def _email(raw: str | None) -> str | None:
    return normalize_email(raw, "contact_email") if raw else None


@router.get("/clients")
async def list_clients(
    _: Staff,
    session: SessionDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[ClientRead]:
    """Every client organisation by name (a picker lists them in that order), inactive ones
    too (marked); `q` keeps those whose name holds it, whatever the case."""
    result = await paginate_sorted(
        session,
        clients.clients_query(q=q),
        Client.id,
        sort=SortKey(Client.name, str),
        limit=page.limit,
        cursor=page.cursor,
    )
    return Page[ClientRead](
        items=[_read(row) for row in result.items], next_cursor=result.next_cursor
    )


@router.post("/clients", status_code=201)
async def create_client(body: ClientCreate, principal: Admin, session: SessionDep) -> ClientRead:
    client = await clients.create(
        session, name=body.name, contact_email=_email(body.contact_email), by=principal.audit()
    )
    await session.commit()
    return _read(await clients.read_or_raise(session, client_id=client.id))


@router.get("/clients/{client_id}")
async def get_client(client_id: RowId, _: Staff, session: SessionDep) -> ClientRead:
    return _read(await clients.read_or_raise(session, client_id=client_id))


@router.patch("/clients/{client_id}")
async def update_client(
    client_id: RowId, body: ClientUpdate, principal: Admin, session: SessionDep
) -> ClientRead:
    """Rename, change the contact email, or (de)activate: a deactivated client's users cannot
    sign in and their tokens and the client's API keys stop working until reactivated."""
    client = await clients.get_or_raise(session, client_id=client_id)
    changes = body.model_dump(exclude_unset=True)
    if "contact_email" in changes:
        changes["contact_email"] = _email(changes["contact_email"])
    await clients.update(session, client=client, changes=changes, by=principal.audit())
    if changes.get("is_active") is False:
        await users.sign_out_everywhere(session, client_id=client_id)
    await session.commit()
    return _read(await clients.read_or_raise(session, client_id=client_id))
