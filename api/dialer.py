"""Running call campaigns and the agent console's actions. Each handler is one call to the
dialer actors (actors/gateway.py) and answers in milliseconds."""

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from pydantic import AwareDatetime, Field

from api.campaigns import Action, control
from api.deps import Dialer, Principal, SessionDep, require
from api.schemas import RowId, Strict
from store import users

router = APIRouter(tags=["dialer"])

Manager = Annotated[Principal, Depends(require("campaigns", "write"))]
Watcher = Annotated[Principal, Depends(require("live", "read"))]
AgentUser = Annotated[Principal, Depends(require("console", "write"))]
Snapshot = dict[str, Any]


class LoginIn(Strict):
    campaign_ids: Annotated[list[RowId], Field(min_length=1, max_length=50)]


class PauseIn(Strict):
    reason: Annotated[str, Field(min_length=1, max_length=60)]


class DispositionIn(Strict):
    code: Annotated[str, Field(min_length=1, max_length=40)]
    answers: dict[str, Any] = {}
    notes: Annotated[str, Field(max_length=5000)] | None = None
    callback_at: AwareDatetime | None = None
    callback_to: Literal["me", "anyone"] = "anyone"


# --- campaigns -----------------------------------------------------------------------------


@router.post("/campaigns/{campaign_id}/{action}")
async def control_campaign(
    campaign_id: RowId, action: Action, principal: Manager, session: SessionDep, dialer: Dialer
) -> Snapshot:
    return await control(
        session=session,
        principal=principal,
        runner=dialer,
        campaign_id=campaign_id,
        kind="call",
        action=action,
    )


@router.get("/live/campaigns")
async def live_campaigns(_: Watcher, dialer: Dialer) -> list[Snapshot]:
    result: list[Snapshot] = await dialer.command("campaigns_snapshot")
    return result


@router.get("/live/agents")
async def live_agents(
    _: Watcher, dialer: Dialer, session: SessionDep, campaign_id: RowId | None = None
) -> list[Snapshot]:
    """Every logged-in agent with its `name`: the dialer knows ids only, the floor's
    watchers (who cannot list users) need to know who is who."""
    result: list[Snapshot] = await dialer.command("agents_snapshot", campaign_id)
    names = await users.names(session, user_ids=[a["agent_id"] for a in result])
    return [a | {"name": names.get(a["agent_id"])} for a in result]


# --- the agent console ---------------------------------------------------------------------


def _me(principal: Principal) -> int:
    assert principal.user_id is not None, "console roles are user logins"
    return principal.user_id


@router.get("/console/state")
async def console_state(principal: AgentUser, dialer: Dialer) -> Snapshot:
    result: Snapshot = await dialer.command("agent_snapshot", _me(principal))
    return result


@router.post("/console/login")
async def console_login(body: LoginIn, principal: AgentUser, dialer: Dialer) -> Snapshot:
    result: Snapshot = await dialer.command("login", _me(principal), body.campaign_ids)
    return result


@router.post("/console/ready")
async def console_ready(principal: AgentUser, dialer: Dialer) -> Snapshot:
    result: Snapshot = await dialer.command("ready", _me(principal))
    return result


@router.post("/console/pause")
async def console_pause(body: PauseIn, principal: AgentUser, dialer: Dialer) -> Snapshot:
    result: Snapshot = await dialer.command("pause", _me(principal), body.reason)
    return result


@router.post("/console/logout")
async def console_logout(principal: AgentUser, dialer: Dialer) -> Snapshot:
    result: Snapshot = await dialer.command("logout", _me(principal))
    return result


@router.post("/console/hangup")
async def console_hangup(principal: AgentUser, dialer: Dialer) -> Snapshot:
    result: Snapshot = await dialer.command("hangup", _me(principal))
    return result


@router.post("/console/disposition")
async def console_disposition(
    body: DispositionIn, principal: AgentUser, dialer: Dialer
) -> Snapshot:
    callback_at: datetime | None = body.callback_at
    return await dialer.dispose(
        _me(principal),
        code=body.code,
        answers=body.answers,
        notes=body.notes,
        callback_at=callback_at,
        callback_to_me=body.callback_to == "me",
    )
