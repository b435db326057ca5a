"""The agent console's softphone: one WebRTC session per agent with the media bridge
(actors/media.py), set up by offer/answer here and kept across calls."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Dialer, Principal, SettingsDep, require
from api.schemas import Strict
from engine.errors import FieldError, ValidationFailed

router = APIRouter(prefix="/console/media", tags=["console"])

AgentUser = Annotated[Principal, Depends(require("console", "write"))]
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


class MediaOut(Strict):
    enabled: bool
    ice_servers: list[dict[str, Any]]
    line: LineState | None


def _me(principal: Principal) -> int:
    assert principal.user_id is not None, "console roles are user logins"
    return principal.user_id


@router.get("")
async def media_setup(principal: AgentUser, dialer: Dialer, settings: SettingsDep) -> MediaOut:
    """What the browser needs to open its session (ICE servers), and the line's state."""
    if not settings.media_enabled:
        return MediaOut(enabled=False, ice_servers=[], line=None)
    line: LineState = await dialer.media("state", _me(principal))
    return MediaOut(enabled=True, ice_servers=settings.ice_servers, line=line)


@router.post("/offer")
async def media_offer(body: OfferIn, principal: AgentUser, dialer: Dialer) -> AnswerOut:
    """The browser's SDP offer (with its ICE candidates); the answer carries the bridge's.
    A new offer replaces the agent's previous session and keeps a call in progress."""
    answer: dict[str, str] | None = await dialer.media("offer", _me(principal), body.sdp, body.type)
    if answer is None:
        raise ValidationFailed([FieldError("sdp", "This is not a usable WebRTC audio offer.")])
    return AnswerOut(**answer)


@router.patch("")
async def media_control(body: ControlIn, principal: AgentUser, dialer: Dialer) -> LineState:
    """Mute (the callee and the recording hear silence from the agent) and hold (silence
    both ways)."""
    state: LineState = await dialer.media("control", _me(principal), body.muted, body.held)
    return state


@router.delete("", status_code=204)
async def media_close(principal: AgentUser, dialer: Dialer) -> Response:
    await dialer.media("close_line", _me(principal))
    return Response(status_code=204)
