"""Short-lived signed links to one recording's audio: a media element cannot send a bearer
token, so the player is given a URL whose token stands in for it, and can stream with ranges.

The token names the recording, who asked for it (for the audit log) and when it expires; it
is signed like the email links but under its own derived key.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from engine import email
from engine.errors import DomainError, NotFound

LINK_LIFETIME = timedelta(minutes=5)
_KEY_USE = "recording-links"
_PURPOSE = "rec"


class LinkRefused(DomainError):
    """A forged, malformed or expired link: the credential is not good (401)."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message, code="unauthenticated", status=401)


@dataclass(frozen=True)
class LinkHolder:
    """Who the link was made for, as the audit log names them."""

    user_id: int | None
    api_key_id: int | None


def link_token(secret: str, *, recording_id: int, holder: LinkHolder, expires_at: datetime) -> str:
    payload = {
        "p": _PURPOSE,
        "r": recording_id,
        "u": holder.user_id,
        "k": holder.api_key_id,
        "x": int(expires_at.timestamp()),
    }
    return email.sign(secret, payload, key_use=_KEY_USE)


def link_holder(secret: str, token: str, *, recording_id: int, now: datetime) -> LinkHolder:
    """Who may read `recording_id` with this token; LinkRefused for a bad or expired token,
    NotFound for a good one made for another recording (as if it did not exist)."""
    try:
        payload = email.verify(secret, token, _PURPOSE, key_use=_KEY_USE)
    except email.InvalidToken as bad:
        raise LinkRefused("This recording link is not valid.") from bad
    if payload.get("x", 0) <= now.timestamp():
        raise LinkRefused("This recording link has expired; ask for a new one.")
    if payload.get("r") != recording_id:
        raise NotFound("Recording")
    return LinkHolder(user_id=payload.get("u"), api_key_id=payload.get("k"))
