"""The agent state machine. Times are plain floats passed in by the caller, so it is testable.

offline → (login) paused → (ready) ready → (reserve) reserved → ringing → on_call
→ (call_ended) wrap_up → (dispose) ready or paused. A pause asked for while a call is
reserved or in progress is remembered and applied when the agent is free again.
"""

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from engine.errors import FieldError, IllegalTransition, ValidationFailed


class AgentState(StrEnum):
    OFFLINE = "offline"
    READY = "ready"
    RESERVED = "reserved"
    RINGING = "ringing"
    ON_CALL = "on_call"
    WRAP_UP = "wrap_up"
    PAUSED = "paused"


@dataclass(frozen=True, slots=True)
class Reservation:
    campaign_id: int
    ref: str | None = None  # the lead or call the agent is held for, e.g. "lead:42"


LOGIN_PAUSE_REASON = "login"

_S = AgentState
# The states each action may start from.
_FROM: dict[str, frozenset[AgentState]] = {
    "logout": frozenset({_S.READY, _S.PAUSED}),
    "ready": frozenset({_S.PAUSED}),
    "pause": frozenset({_S.READY, _S.PAUSED}),
    "release": frozenset({_S.RESERVED, _S.RINGING}),
    "ringing": frozenset({_S.RESERVED}),
    "connected": frozenset({_S.RESERVED, _S.RINGING}),  # some carriers skip the ringing event
    "call_ended": frozenset({_S.ON_CALL}),
    "dispose": frozenset({_S.WRAP_UP}),
}
# States in which a pause is remembered for later instead of cutting a call short.
_ENGAGED = frozenset({_S.RESERVED, _S.RINGING, _S.ON_CALL, _S.WRAP_UP})


class Agent:
    def __init__(self, agent_id: int, now: float = 0.0) -> None:
        self.agent_id = agent_id
        self.state = AgentState.OFFLINE
        self.state_since = now
        self.campaign_ids: frozenset[int] = frozenset()
        self.reason: str | None = None
        self.pause_requested: str | None = None
        self.reservation: Reservation | None = None
        self.wrap_up_deadline: float | None = None
        self.idle_since: float | None = None

    def login(self, campaign_ids: Collection[int], now: float) -> None:
        """Log in (landing paused), or change the campaigns of an agent already logged in."""
        if not campaign_ids:
            raise ValidationFailed([FieldError("campaign_ids", "Choose at least one campaign.")])
        self.campaign_ids = frozenset(campaign_ids)
        if self.state is AgentState.OFFLINE:
            self.reason = LOGIN_PAUSE_REASON
            self._enter(AgentState.PAUSED, now)

    def logout(self, now: float) -> None:
        if self.state is AgentState.OFFLINE:
            return
        self._require("logout", AgentState.OFFLINE)
        self.campaign_ids = frozenset()
        self.reason = None
        self.pause_requested = None
        self._enter(AgentState.OFFLINE, now)

    def ready(self, now: float) -> None:
        if self.state is AgentState.READY:
            return  # a repeated click or retried command changes nothing
        if self.state is AgentState.WRAP_UP:
            raise IllegalTransition(
                f"Agent {self.agent_id} needs a disposition first: it", self.state.value, "ready"
            )
        self._require("ready", AgentState.READY)
        self._become_ready(now)

    def pause(self, reason: str, now: float) -> None:
        """Pause now when idle; during a reservation or call, pause once it is over."""
        if not reason.strip():
            raise ValidationFailed([FieldError("reason", "A pause needs a reason code.")])
        if self.state in _ENGAGED:
            self.pause_requested = reason
            return
        self._require("pause", AgentState.PAUSED)
        self.reason = reason
        if self.state is AgentState.READY:
            self._enter(AgentState.PAUSED, now)

    def reserve(self, campaign_id: int, now: float, ref: str | None = None) -> bool:
        """Hold a ready agent for one queue; False if it is not free for that campaign."""
        if self.state is not AgentState.READY or campaign_id not in self.campaign_ids:
            return False
        self.reservation = Reservation(campaign_id, ref)
        self._enter(AgentState.RESERVED, now)
        return True

    def release(self, now: float) -> None:
        """Give the reservation back (no call, or it failed before connecting).

        idle_since is kept, so the agent stays first in line for the next lead.
        """
        self._require("release", AgentState.READY)
        self.reservation = None
        if self.pause_requested is not None:
            self._apply_requested_pause(now)
        else:
            self._enter(AgentState.READY, now)

    def ringing(self, now: float) -> None:
        self._require("ringing", AgentState.RINGING)
        self._enter(AgentState.RINGING, now)

    def connected(self, now: float) -> None:
        self._require("connected", AgentState.ON_CALL)
        self._enter(AgentState.ON_CALL, now)

    def call_ended(self, now: float, wrap_up_seconds: float) -> None:
        if wrap_up_seconds < 0:
            raise ValidationFailed([FieldError("wrap_up_seconds", "Must not be negative.")])
        self._require("call_ended", AgentState.WRAP_UP)
        self.wrap_up_deadline = now + wrap_up_seconds
        self._enter(AgentState.WRAP_UP, now)

    def dispose(self, now: float) -> None:
        """The disposition is in: the agent is free again (or paused, if asked during the call)."""
        wanted = AgentState.PAUSED if self.pause_requested is not None else AgentState.READY
        self._require("dispose", wanted)
        self.reservation = None
        self.wrap_up_deadline = None
        if self.pause_requested is not None:
            self._apply_requested_pause(now)
        else:
            self._become_ready(now)

    def snapshot(self, now: float) -> dict[str, Any]:
        return {
            "agent_id": self.agent_id,
            "state": self.state.value,
            "seconds_in_state": max(0.0, now - self.state_since),
            "campaigns": sorted(self.campaign_ids),
            "reason": self.reason,
            "pause_requested": self.pause_requested,
            "reserved_for": self.reservation.campaign_id if self.reservation else None,
            "ref": self.reservation.ref if self.reservation else None,
            "wrap_up_left": (
                max(0.0, self.wrap_up_deadline - now) if self.wrap_up_deadline is not None else None
            ),
        }

    def _require(self, action: str, wanted: AgentState) -> None:
        if self.state not in _FROM[action]:
            what = f"Agent {self.agent_id} ({action})"
            raise IllegalTransition(what, self.state.value, wanted.value)

    def _become_ready(self, now: float) -> None:
        self.reason = None
        self.idle_since = now
        self._enter(AgentState.READY, now)

    def _apply_requested_pause(self, now: float) -> None:
        self.reason, self.pause_requested = self.pause_requested, None
        self._enter(AgentState.PAUSED, now)

    def _enter(self, state: AgentState, now: float) -> None:
        self.state = state
        self.state_since = now
