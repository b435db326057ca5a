"""The carrier port: what every carrier (simulated, Telnyx Call Control) offers the dialer.

A carrier places calls and reports what happens to them as `CallEvent`s, delivered to
subscribers in batches, because the actors that consume them handle batches (one actor call
per event would not keep up with the dial-rate target).
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol


class CallEventKind(StrEnum):
    INITIATED = "initiated"
    RINGING = "ringing"
    ANSWERED = "answered"
    MACHINE = "machine"  # answered by an answering machine (detection was on)
    BUSY = "busy"
    NO_ANSWER = "no_answer"
    FAILED = "failed"
    HANGUP = "hangup"
    RECORDING_SAVED = "recording_saved"


# How a dial ends up; a call has at most one of these (none when we hang up while it rings).
OUTCOMES: tuple[CallEventKind, ...] = (
    CallEventKind.ANSWERED,
    CallEventKind.MACHINE,
    CallEventKind.BUSY,
    CallEventKind.NO_ANSWER,
    CallEventKind.FAILED,
)


@dataclass(frozen=True, slots=True)
class CallEvent:
    kind: CallEventKind
    call_ref: str  # our idempotency key for the attempt, carried by the carrier as client state
    carrier_call_id: str
    at: float  # time.time() when the carrier saw it
    hangup_cause: str | None = None  # on HANGUP: normal_clearing, user_busy, timeout, ...
    recording_url: str | None = None  # on RECORDING_SAVED
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DialRequest:
    call_ref: str
    to: str  # E.164
    from_: str  # E.164 caller id
    timeout_s: float = 30.0  # ring this long before giving up (no_answer)
    detect_machine: bool = True


# A subscriber gets each batch in order; it may be sync or async and must not mutate the list.
EventCallback = Callable[[list[CallEvent]], Awaitable[None] | None]


class CarrierError(Exception):
    """The carrier refused a command."""


class UnknownCall(CarrierError):
    def __init__(self, carrier_call_id: str) -> None:
        super().__init__(f"no call {carrier_call_id!r} on this carrier")


class CallNotActive(CarrierError):
    """The call is not in a state that allows the command (not answered yet, or over)."""


class Carrier(Protocol):
    @property
    def media_streams(self) -> bool:
        """True when the carrier can stream a call's audio to the media bridge."""

    def subscribe(self, callback: EventCallback) -> None: ...

    async def dial(self, request: DialRequest) -> str:
        """Place a call and return the carrier's call id.

        Idempotent on `request.call_ref`: a second dial with the same ref places no call and
        returns the first call's id, so a retried actor command can never double-dial.
        """

    async def hangup(self, carrier_call_id: str) -> None:
        """End the call; a call that is already over is left alone (hangups race)."""

    async def bridge(self, carrier_call_id: str, agent_ref: str) -> None: ...

    async def start_recording(self, carrier_call_id: str) -> None: ...

    async def stop_recording(self, carrier_call_id: str) -> None: ...

    async def stream_media(self, carrier_call_id: str) -> None:
        """Start carrying the call's audio both ways to the media bridge."""

    async def close(self) -> None: ...


def _simulated(**options: Any) -> Carrier:
    # Imported here: adapters import this module, so importing them at the top would cycle.
    from dialer.simulated import SimulatedCarrier, SimulationProfile

    return SimulatedCarrier(SimulationProfile(**options))


def _telnyx(**options: Any) -> Carrier:
    from dialer.telnyx import TelnyxCarrier, TelnyxOptions

    return TelnyxCarrier(TelnyxOptions(**options))


_BUILDERS: dict[str, Callable[..., Carrier]] = {"simulated": _simulated, "telnyx": _telnyx}


def build_carrier(name: str, *, on_event: EventCallback | None = None, **options: Any) -> Carrier:
    """The carrier named by settings, built from its options, with `on_event` subscribed."""
    builder = _BUILDERS.get(name)
    if builder is None:
        known = ", ".join(sorted(_BUILDERS))
        raise ValueError(f"unknown carrier {name!r}; known carriers: {known}")
    carrier = builder(**options)
    if on_event is not None:
        carrier.subscribe(on_event)
    return carrier
