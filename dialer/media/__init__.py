"""Agent audio: each logged-in agent's WebRTC line, bridged to the call the dialer gives it.

`MediaPort` is what the dialer floor needs from the media bridge; `dialer/media/bridge.py`
implements it with aiortc, and `actors/media.py` runs that in its own process so media work
never blocks the API or the dialer actors.
"""

from typing import Protocol


class MediaPort(Protocol):
    async def connect(self, call_ref: str, agent_id: int, *, record: bool, streamed: bool) -> bool:
        """Bridge the agent's line to the call, whose audio the carrier streams to the
        bridge when `streamed` (else the callee is simulated); False when the agent has no
        live line (then the carrier's own recording is used)."""
        ...

    async def release(self, call_ref: str) -> str | None:
        """End the bridge; returns the storage key of the call's recording, if any."""
        ...

    async def keep_recording(self, call_ref: str, url: str) -> str | None:
        """Copies a recording the carrier made (a URL that expires) into storage; returns
        its storage key, None when it could not be fetched."""
        ...
