"""`GET /api/v1/clients`: the client organisations, for staff choosing one (a client user's
or an API key's organisation). Client users never list them: they see only their own."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends

from api.deps import PageDep, Principal, SessionDep, require
from api.schemas import Page, ReadModel
from store import clients
from store.models import Client
from store.pagination import SortKey, paginate_sorted

router = APIRouter(tags=["clients"])

Staff = Annotated[Principal, Depends(require("clients", "read"))]


class ClientRead(ReadModel):
    id: int
    name: str
    created_at: datetime


@router.get("/clients")
async def list_clients(_: Staff, session: SessionDep, page: PageDep) -> Page[ClientRead]:
    """Every client organisation by name (a picker lists them in that order)."""
    result = await paginate_sorted(
        session,
        clients.clients_query(),
        Client.id,
        sort=SortKey(Client.name, str),
        limit=page.limit,
        cursor=page.cursor,
    )
    return Page[ClientRead](
        items=[ClientRead.model_validate(row[0]) for row in result.items],
        next_cursor=result.next_cursor,
    )
