"""Users, API keys and the audit log: admin only."""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import Field

from api.auth import UserRead
from api.deps import PageDep, Principal, SessionDep, require
from api.schemas import Page, ReadModel, RowId, Strict
from engine.contacts import normalize_email
from engine.errors import FieldError, NotFound, ValidationFailed
from engine.roles import Role
from store import audit, users
from store.models import ApiKey, AuditEntry, Client
from store.pagination import paginate

router = APIRouter(tags=["admin"])

Admin = Annotated[Principal, Depends(require("users", "write"))]


class UserCreate(Strict):
    email: Annotated[str, Field(max_length=320)]
    full_name: Annotated[str, Field(min_length=1, max_length=200)]
    password: Annotated[str, Field(min_length=10, max_length=200)]
    role: Role
    client_id: RowId | None = None


class ApiKeyCreate(Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    role: Role
    client_id: RowId | None = None


class ApiKeyRead(ReadModel):
    id: int
    name: str
    prefix: str
    role: str
    client_id: int | None
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    secret: str


class AuditRead(ReadModel):
    id: int
    action: str
    actor_id: int | None
    api_key_id: int | None
    target_type: str | None
    target_id: str | None
    ip: str | None
    data: dict[str, Any]
    created_at: datetime


async def _check_client(session: SessionDep, role: Role, client_id: int | None) -> None:
    if (role is Role.CLIENT_USER) != (client_id is not None):
        raise ValidationFailed(
            [FieldError("client_id", "Client users, and only they, belong to a client.")]
        )
    if client_id is not None and await session.get(Client, client_id) is None:
        raise ValidationFailed([FieldError("client_id", "No such client.")])


@router.post("/users", status_code=201)
async def create_user(body: UserCreate, principal: Admin, session: SessionDep) -> UserRead:
    await _check_client(session, body.role, body.client_id)
    user = await users.create(
        session,
        email=normalize_email(body.email),
        full_name=body.full_name,
        password=body.password,
        role=body.role,
        client_id=body.client_id,
    )
    audit.record(
        session,
        action="user.create",
        target_type="user",
        target_id=user.id,
        data={"role": body.role},
        by=principal.audit(),
    )
    await session.commit()
    return UserRead.model_validate(user)


@router.get("/api-keys")
async def list_api_keys(_: Admin, session: SessionDep, page: PageDep) -> Page[ApiKeyRead]:
    result = await paginate(
        session, users.api_keys_query(), ApiKey.id, limit=page.limit, cursor=page.cursor
    )
    return Page[ApiKeyRead](
        items=[ApiKeyRead.model_validate(k) for k in result.items], next_cursor=result.next_cursor
    )


@router.post("/api-keys", status_code=201)
async def create_api_key(
    body: ApiKeyCreate, principal: Admin, session: SessionDep
) -> ApiKeyCreated:
    """The secret is shown once, here; only its hash is stored."""
    await _check_client(session, body.role, body.client_id)
    key, secret = await users.create_api_key(
        session,
        name=body.name,
        role=body.role,
        client_id=body.client_id,
        created_by_id=principal.user_id,
    )
    audit.record(
        session,
        action="api_key.create",
        target_type="api_key",
        target_id=key.id,
        data={"role": body.role},
        by=principal.audit(),
    )
    await session.commit()
    return ApiKeyCreated(secret=secret, **ApiKeyRead.model_validate(key).model_dump())


@router.delete("/api-keys/{key_id}", status_code=204)
async def revoke_api_key(key_id: RowId, principal: Admin, session: SessionDep) -> None:
    key = await session.get(ApiKey, key_id)
    if key is None:
        raise NotFound("API key")
    key.revoked_at = key.revoked_at or datetime.now(UTC)
    audit.record(
        session,
        action="api_key.revoke",
        target_type="api_key",
        target_id=key_id,
        by=principal.audit(),
    )
    await session.commit()


@router.get("/audit")
async def list_audit(
    _: Admin,
    session: SessionDep,
    page: PageDep,
    action: Annotated[str | None, Query(max_length=60)] = None,
) -> Page[AuditRead]:
    query = audit.entries_query(action=action)
    result = await paginate(session, query, AuditEntry.id, limit=page.limit, cursor=page.cursor)
    return Page[AuditRead](
        items=[AuditRead.model_validate(e) for e in result.items], next_cursor=result.next_cursor
    )
