"""Users, API keys and the audit log: admin only."""

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlsplit, urlunsplit

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime, Field

from api.auth import UserRead
from api.deps import PageDep, Principal, SessionDep, SettingsDep, require
from api.schemas import Page, ReadModel, RowId, Strict
from engine.contacts import normalize_email
from engine.errors import FieldError, NotFound, ValidationFailed
from engine.roles import Role
from store import audit, users
from store.models import ApiKey, AuditEntry, Client, User
from store.pagination import paginate

router = APIRouter(tags=["admin"])

Admin = Annotated[Principal, Depends(require("users", "write"))]


class UserCreate(Strict):
    email: Annotated[str, Field(max_length=320)]
    full_name: Annotated[str, Field(min_length=1, max_length=200)]
    password: Annotated[str, Field(min_length=10, max_length=200)]
    role: Role
    client_id: RowId | None = None


class UserUpdate(Strict):
    full_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    role: Role | None = None
    client_id: RowId | None = None
    is_active: bool | None = None


class UserAdminRead(UserRead):
    is_active: bool
    created_at: datetime


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


@router.get("/users")
async def list_users(
    _: Admin,
    session: SessionDep,
    page: PageDep,
    role: Role | None = None,
    q: Annotated[str | None, Query(max_length=320)] = None,
) -> Page[UserAdminRead]:
    """Every user, filtered by role and by a piece of the name or email."""
    query = users.users_query(role=role.value if role else None, q=q)
    result = await paginate(session, query, User.id, limit=page.limit, cursor=page.cursor)
    return Page[UserAdminRead](
        items=[UserAdminRead.model_validate(u) for u in result.items],
        next_cursor=result.next_cursor,
    )


@router.patch("/users/{user_id}")
async def update_user(
    user_id: RowId, body: UserUpdate, principal: Admin, session: SessionDep
) -> UserAdminRead:
    """Rename, change the role (a client user keeps or gets a client) or (de)activate; an
    admin cannot demote or deactivate themself, so an organisation never locks itself out."""
    user = await users.get_or_raise(session, user_id=user_id)
    changes = body.model_dump(exclude_unset=True)
    if user.id == principal.user_id and (
        changes.get("is_active") is False or changes.get("role", Role.ADMIN) is not Role.ADMIN
    ):
        raise ValidationFailed([FieldError("role", "You cannot demote or deactivate yourself.")])
    role = changes.get("role", Role(user.role))
    client_id = changes.get("client_id", user.client_id)
    if role is not Role.CLIENT_USER and "client_id" not in changes:
        client_id = None  # leaving the client role leaves the client
    await _check_client(session, role, client_id)
    user.full_name = changes.get("full_name", user.full_name)
    user.role, user.client_id = role.value, client_id
    if changes.get("is_active") is not None:
        user.is_active = changes["is_active"]
    if not user.is_active or "role" in changes:
        await users.sign_out_everywhere(session, user_id=user.id)
    audit.record(
        session,
        action="user.update",
        target_type="user",
        target_id=user.id,
        data={k: v for k, v in changes.items() if k != "full_name"},
        by=principal.audit(),
    )
    await session.commit()
    return UserAdminRead.model_validate(user)


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
    actor_id: RowId | None = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
) -> Page[AuditRead]:
    """Oldest first; `action` ending in a dot (`campaign.`) matches every action under it."""
    query = audit.entries_query(action=action, actor_id=actor_id, since=since, until=until)
    result = await paginate(session, query, AuditEntry.id, limit=page.limit, cursor=page.cursor)
    return Page[AuditRead](
        items=[AuditRead.model_validate(e) for e in result.items], next_cursor=result.next_cursor
    )


# --- settings ----------------------------------------------------------------------------------


class SettingRead(ReadModel):
    name: str  # the environment variable
    value: Any
    secret: bool  # a secret is shown only as set or not set


_SECRET_WORDS = ("key", "secret", "password", "token", "credential")


def _shown(name: str, value: Any) -> tuple[Any, bool]:
    """What the admin screen may show of a setting: secrets masked (also inside JSON
    settings such as TURN credentials), URLs without passwords."""
    if any(word in name for word in _SECRET_WORDS) and not name.endswith("_public_key"):
        return ("set" if value else "not set"), True
    if isinstance(value, dict):
        return {k: _shown(k, v)[0] for k, v in value.items()}, False
    if isinstance(value, list):
        return [_shown(name, item)[0] for item in value], False
    if isinstance(value, str) and "://" in value:
        parts = urlsplit(value)
        if parts.password:
            netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
            return urlunsplit(parts._replace(netloc=netloc)), False
    return value, False


@router.get("/admin/settings")
async def effective_settings(_: Admin, settings: SettingsDep) -> list[SettingRead]:
    """The running configuration (from PIVOTAL_* variables, see .env.example), read-only:
    settings change by environment and restart, not from the browser."""
    rows = []
    for name, value in settings.model_dump().items():
        shown, secret = _shown(name, value)
        rows.append(SettingRead(name=f"PIVOTAL_{name.upper()}", value=shown, secret=secret))
    return rows
