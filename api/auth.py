"""Sign-in, token refresh with rotation, sign-out, and who-am-I."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from api.deps import CurrentPrincipal, SessionDep, SettingsDep, client_ip
from api.schemas import ReadModel, Strict
from api.security import SlidingWindowLimiter, create_access_token
from config.settings import Settings
from engine.credentials import verify_password
from store import audit, users
from store.models import User

router = APIRouter(prefix="/auth", tags=["auth"])


class LoginIn(Strict):
    email: str = Field(max_length=320)
    password: str = Field(max_length=200)


class RefreshIn(Strict):
    refresh_token: str = Field(max_length=200)


class UserRead(ReadModel):
    id: int
    email: str
    full_name: str
    role: str
    client_id: int | None


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int
    user: UserRead


class LoginLimits:
    """Failed sign-ins per account and all sign-ins per IP, per window."""

    def __init__(self, settings: Settings) -> None:
        window = settings.login_window_seconds
        self.account = SlidingWindowLimiter(settings.login_attempts_per_account, window)
        self.ip = SlidingWindowLimiter(settings.login_attempts_per_ip, window)


def get_limits(request: Request) -> LoginLimits:
    limits: LoginLimits = request.app.state.login_limits
    return limits


async def _pair(
    session: SessionDep, settings: Settings, user: User, family: str | None
) -> TokenPair:
    refresh = await users.issue_refresh_token(
        session,
        user_id=user.id,
        family=family,
        lifetime=timedelta(days=settings.refresh_token_days),
    )
    return TokenPair(
        access_token=create_access_token(settings, user_id=user.id, role=user.role),
        refresh_token=refresh,
        expires_in=settings.access_token_minutes * 60,
        user=UserRead.model_validate(user),
    )


@router.post("/login")
async def login(
    body: LoginIn,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    limits: Annotated[LoginLimits, Depends(get_limits)],
) -> TokenPair:
    ip, account = client_ip(request), body.email.lower()
    wait = max(limits.ip.retry_after(ip), limits.account.retry_after(account))
    if wait > 0:
        raise HTTPException(
            429, "Too many sign-in attempts; try again later.", {"Retry-After": str(int(wait) + 1)}
        )
    limits.ip.hit(ip)
    user = await users.get_by_email(session, email=account)
    if not verify_password(user.password_hash if user else None, body.password) or not (
        user and await users.may_act(session, user=user)
    ):
        limits.account.hit(account)
        audit.record(
            session,
            action="auth.login_failed",
            by=audit.Actor(None, ip=ip),
            data={"email": account},
        )
        await session.commit()
        raise HTTPException(401, "Wrong email or password.")
    limits.account.reset(account)
    pair = await _pair(session, settings, user, family=None)
    audit.record(session, action="auth.login", by=audit.Actor(user.id, ip=ip))
    await session.commit()
    return pair


@router.post("/refresh")
async def refresh(body: RefreshIn, session: SessionDep, settings: SettingsDep) -> TokenPair:
    row = await users.consume_refresh_token(session, token=body.refresh_token)
    user = await session.get(User, row.user_id) if row else None
    if row is None or user is None or not await users.may_act(session, user=user):
        await session.commit()  # keeps a family revocation caused by a replayed token
        raise HTTPException(401, "This refresh token is not valid any more; sign in again.")
    pair = await _pair(session, settings, user, family=row.family)
    await session.commit()
    return pair


@router.post("/logout", status_code=204)
async def logout(body: RefreshIn, session: SessionDep) -> None:
    row = await users.consume_refresh_token(session, token=body.refresh_token)
    if row is not None:
        await users.revoke_family(session, family=row.family)
    await session.commit()


@router.get("/me")
async def me(principal: CurrentPrincipal, session: SessionDep) -> UserRead:
    if principal.user_id is None:
        raise HTTPException(404, "This API key is not tied to a user.")
    return UserRead.model_validate(await users.get_or_raise(session, user_id=principal.user_id))
