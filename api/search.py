"""`GET /api/v1/search`: the app's global search box over contacts, accounts, campaigns and
orders, each kind only for roles that may read it (a client user: its own orders only)."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CurrentPrincipal, SessionDep
from api.schemas import ReadModel
from engine.roles import Role, can
from store import search

router = APIRouter(tags=["search"])


class HitRead(ReadModel):
    kind: str
    id: int
    title: str
    detail: str


class SearchResults(ReadModel):
    query: str
    hits: list[HitRead]


@router.get("/search")
async def global_search(
    principal: CurrentPrincipal,
    session: SessionDep,
    q: Annotated[str, Query(min_length=2, max_length=100)],
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> SearchResults:
    text, role = q.strip(), principal.role
    hits: list[search.Hit] = []
    if can(role, "read", "contacts"):
        hits += await search.contacts(session, text=text, limit=limit)
    if can(role, "read", "accounts"):
        hits += await search.accounts(session, text=text, limit=limit)
    if can(role, "read", "campaigns"):
        hits += await search.campaigns(session, text=text, limit=limit)
    if role is Role.CLIENT_USER:
        own = principal.own_client
        hits += await search.orders(session, text=text, limit=limit, client_id=own)
    elif can(role, "read", "orders"):
        hits += await search.orders(session, text=text, limit=limit, client_id=None)
    return SearchResults(
        query=text, hits=[HitRead.model_validate(hit, from_attributes=True) for hit in hits]
    )
