"""Users, refresh-token families and API keys."""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from engine.credentials import digest, hash_password, new_secret
from engine.errors import Conflict, NotFound
from engine.roles import Role
from store import clients
from store.models import ApiKey, RefreshToken, User


async def get_by_email(session: AsyncSession, *, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == email.lower()))


async def may_act(session: AsyncSession, *, user: User | None) -> bool:
    """Whether this user may sign in or use a token: active, and so is their client (if any)."""
    return (
        user is not None
        and user.is_active
        and await clients.is_active(session, client_id=user.client_id)
    )


async def get_or_raise(session: AsyncSession, *, user_id: int) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("User")
    return user


async def names(session: AsyncSession, *, user_ids: list[int]) -> dict[int, str]:
    """Display names by user id (the full name, else the email), for the ids that exist."""
    if not user_ids:
        return {}
    rows = await session.execute(
        select(User.id, User.full_name, User.email).where(User.id.in_(user_ids))
    )
    return {user_id: full_name or email for user_id, full_name, email in rows.all()}


async def create(
    session: AsyncSession,
    *,
    email: str,
    full_name: str,
    password: str,
    role: Role,
    client_id: int | None = None,
) -> User:
    if await get_by_email(session, email=email):
        raise Conflict("A user with this email already exists.", "email")
    user = User(
        email=email.lower(),
        full_name=full_name,
        password_hash=hash_password(password),
        role=role.value,
        client_id=client_id,
    )
    session.add(user)
    await session.flush()
    return user


async def issue_refresh_token(
    session: AsyncSession, *, user_id: int, family: str | None, lifetime: timedelta
) -> str:
    token = new_secret("rt_")
    session.add(
        RefreshToken(
            user_id=user_id,
            family=family or new_secret()[:32],
            token_hash=digest(token),
            expires_at=datetime.now(UTC) + lifetime,
        )
    )
    await session.flush()
    return token


async def consume_refresh_token(session: AsyncSession, *, token: str) -> RefreshToken | None:
    """The token's row if it may be exchanged once; a replayed token revokes its family."""
    row = await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == digest(token)).with_for_update()
    )
    now = datetime.now(UTC)
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    if row.used_at is not None:
        await revoke_family(session, family=row.family)
        return None
    row.used_at = now
    return row


async def revoke_family(session: AsyncSession, *, family: str) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family == family, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


async def create_api_key(
    session: AsyncSession,
    *,
    name: str,
    role: Role,
    client_id: int | None,
    created_by_id: int | None,
) -> tuple[ApiKey, str]:
    secret = new_secret("pvk_")
    key = ApiKey(
        name=name,
        prefix=secret[:12],
        key_hash=digest(secret),
        role=role.value,
        client_id=client_id,
        created_by_id=created_by_id,
    )
    session.add(key)
    await session.flush()
    return key, secret


def users_query(*, role: str | None, q: str | None) -> Select[Any]:
    query = select(User)
    if role:
        query = query.where(User.role == role)
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(User.email.like(pattern) | func.lower(User.full_name).like(pattern))
    return query


async def sign_out_everywhere(
    session: AsyncSession, *, user_id: int | None = None, client_id: int | None = None
) -> None:
    """Revokes every refresh token of the user, or of every user of the client: a deactivated
    user (or client) cannot renew a session, not even once reactivated."""
    if (user_id is None) == (client_id is None):  # never "every staff user" by mistake
        raise ValueError("Give either user_id or client_id.")
    users = select(User.id).where(User.client_id == client_id) if user_id is None else [user_id]
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id.in_(users), RefreshToken.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


def api_keys_query() -> Select[Any]:
    return select(ApiKey)


async def find_api_key(session: AsyncSession, *, secret: str) -> ApiKey | None:
    """The key if it works: not revoked, and its client (if any) not deactivated."""
    key = await session.scalar(select(ApiKey).where(ApiKey.key_hash == digest(secret)))
    if key is None or key.revoked_at is not None:
        return None
    return key if await clients.is_active(session, client_id=key.client_id) else None
