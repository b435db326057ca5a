"""Request dependencies as named aliases: the session, the caller, role checks."""

from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from actors.gateway import DialerGateway
from api.security import read_access_token
from config.settings import Settings
from engine.roles import Role, can
from store import audit, users
from store.blobs import BlobStore
from store.models import User


def get_dialer(request: Request) -> DialerGateway:
    dialer: DialerGateway = request.app.state.dialer
    return dialer


Dialer = Annotated[DialerGateway, Depends(get_dialer)]


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_blobs(request: Request) -> BlobStore:
    blobs: BlobStore = request.app.state.blobs
    return blobs


BlobsDep = Annotated[BlobStore, Depends(get_blobs)]


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session per request. Handlers commit explicitly; anything uncommitted rolls back."""
    async with request.app.state.sessions() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


@dataclass(frozen=True)
class Principal:
    role: Role
    user_id: int | None
    client_id: int | None
    api_key_id: int | None = None
    ip: str | None = None

    @property
    def own_client(self) -> int:
        """The client whose data this caller may see; -1 (none) for a login tied to none."""
        return self.client_id if self.client_id is not None else -1

    def audit(self) -> audit.Actor:
        return audit.Actor(self.user_id, self.api_key_id, self.ip)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


UNAUTHENTICATED = HTTPException(401, "Sign in first.", headers={"WWW-Authenticate": "Bearer"})


async def authenticate(
    session: AsyncSession, settings: Settings, *, bearer: str | None, api_key: str | None, ip: str
) -> Principal:
    """The caller behind an access token or an API key; 401 for anything else."""
    if api_key:
        key = await users.find_api_key(session, secret=api_key)
        if key is None:
            raise UNAUTHENTICATED
        return Principal(Role(key.role), key.created_by_id, key.client_id, key.id, ip)
    user_id = read_access_token(settings, bearer) if bearer else None
    user = await session.get(User, user_id) if user_id is not None else None
    if user is None or not await users.may_act(session, user=user):
        raise UNAUTHENTICATED
    return Principal(Role(user.role), user.id, user.client_id, ip=ip)


async def current_principal(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    authorization: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Header()] = None,
) -> Principal:
    scheme, _, token = (authorization or "").partition(" ")
    bearer = token if scheme.lower() == "bearer" else None
    return await authenticate(
        session, settings, bearer=bearer, api_key=x_api_key, ip=client_ip(request)
    )


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require(
    resource: str, action: str = "read"
) -> Callable[[Principal], Coroutine[Any, Any, Principal]]:
    async def check(principal: CurrentPrincipal) -> Principal:
        if not can(principal.role, action, resource):
            raise HTTPException(403, f"Your role may not {action} {resource}.")
        return principal

    return check


class PageParams:
    def __init__(
        self,
        settings: SettingsDep,
        limit: Annotated[int, Query(ge=1)] = 50,
        cursor: Annotated[str | None, Query(max_length=2048)] = None,  # sort values inside
    ) -> None:
        self.limit = min(limit, settings.page_size_max)
        self.cursor = cursor


PageDep = Annotated[PageParams, Depends()]
