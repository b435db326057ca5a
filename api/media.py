"""Softphones: one WebRTC session per user with the media bridge (actors/media.py), set up by
offer/answer here and kept across calls. Agents talk on their calls (`/console/media`);
supervisors listen to an agent's call or whisper to the agent (`/live/media`,
`/live/agents/{id}/monitor`), every monitoring session written to the audit log."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from actors.gateway import DialerGateway
from api.deps import Dialer, Principal, SessionDep, SettingsDep, require
from api.schemas import RowId, Strict
from config.settings import Settings
from engine.errors import FieldError, ValidationFailed
from store import audit

router = APIRouter(tags=["media"])

AgentUser = Annotated[Principal, Depends(require("console", "write"))]
Supervisor = Annotated[Principal, Depends(require("live", "read"))]
LineState = dict[str, Any]


class OfferIn(BaseModel):
    # Not `Strict`: SDP ends with a line break that must survive (no whitespace stripping).
    model_config = ConfigDict(extra="forbid")
    sdp: Annotated[str, Field(min_length=10, max_length=20_000)]
    type: Literal["offer"] = "offer"


class AnswerOut(BaseModel):
    sdp: str
    type: str


class ControlIn(Strict):
    muted: bool | None = None
    held: bool | None = None


class MonitorIn(Strict):
    mode: Literal["listen", "whisper"]


class MediaOut(Strict):
    enabled: bool
    ice_servers: list[dict[str, Any]]
    line: LineState | None


def _me(principal: Principal) -> int:
    assert principal.user_id is not None, "softphones belong to user logins"
    return principal.user_id


async def _setup(principal: Principal, dialer: DialerGateway, settings: Settings) -> MediaOut:
    if not settings.media_enabled:
        return MediaOut(enabled=False, ice_servers=[], line=None)
    line: LineState = await dialer.media("state", _me(principal))
    return MediaOut(enabled=True, ice_servers=settings.ice_servers, line=line)


async def _offer(body: OfferIn, principal: Principal, dialer: DialerGateway) -> AnswerOut:
    answer: dict[str, str] | None = await dialer.media("offer", _me(principal), body.sdp, body.type)
    if answer is None:
        raise ValidationFailed([FieldError("sdp", "This is not a usable WebRTC audio offer.")])
    return AnswerOut(**answer)


async def _close(principal: Principal, dialer: DialerGateway) -> Response:
    await dialer.media("close_line", _me(principal))
    return Response(status_code=204)


# --- agents ----------------------------------------------------------------------------------


@router.get("/console/media")
async def agent_media(principal: AgentUser, dialer: Dialer, settings: SettingsDep) -> MediaOut:
    """What the browser needs to open its session (ICE servers), and the line's state."""
    return await _setup(principal, dialer, settings)


@router.post("/console/media/offer")
async def agent_offer(body: OfferIn, principal: AgentUser, dialer: Dialer) -> AnswerOut:
    """The browser's SDP offer (with its ICE candidates); the answer carries the bridge's.
    A new offer replaces the agent's previous session and keeps a call in progress."""
    return await _offer(body, principal, dialer)


@router.patch("/console/media")
async def agent_control(body: ControlIn, principal: AgentUser, dialer: Dialer) -> LineState:
    """Mute (the callee and the recording hear silence from the agent) and hold (silence
    both ways)."""
    state: LineState = await dialer.media("control", _me(principal), body.muted, body.held)
    return state


@router.delete("/console/media", status_code=204)
async def agent_close(principal: AgentUser, dialer: Dialer) -> Response:
    return await _close(principal, dialer)


# --- supervisors -----------------------------------------------------------------------------


@router.get("/live/media")
async def supervisor_media(
    principal: Supervisor, dialer: Dialer, settings: SettingsDep
) -> MediaOut:
    return await _setup(principal, dialer, settings)


@router.post("/live/media/offer")
async def supervisor_offer(body: OfferIn, principal: Supervisor, dialer: Dialer) -> AnswerOut:
    return await _offer(body, principal, dialer)


@router.delete("/live/media", status_code=204)
async def supervisor_close(principal: Supervisor, dialer: Dialer) -> Response:
    return await _close(principal, dialer)


@router.put("/live/agents/{agent_id}/monitor")
async def monitor_agent(
    agent_id: RowId, body: MonitorIn, principal: Supervisor, dialer: Dialer, session: SessionDep
) -> LineState:
    """Listen to the agent's calls (agent and callee), or whisper to the agent too (the
    callee and the recording never hear a whisper). Audited."""
    if agent_id == _me(principal):
        raise ValidationFailed([FieldError("agent_id", "You cannot monitor yourself.")])
    state: LineState = await dialer.media(
        "monitor", _me(principal), agent_id, body.mode == "whisper"
    )
    audit.record(
        session,
        action=f"call.{body.mode}",
        by=principal.audit(),
        target_type="user",
        target_id=agent_id,
    )
    await session.commit()
    return state


@router.delete("/live/agents/{agent_id}/monitor")
async def stop_monitoring(agent_id: RowId, principal: Supervisor, dialer: Dialer) -> LineState:
    state: LineState = await dialer.media("stop_monitoring", _me(principal))
    return state
