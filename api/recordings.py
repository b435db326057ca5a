"""Call recordings, streamed to authorised users with HTTP range requests (so a player can
seek), each playback or download from the start written to the audit log. A player that
cannot send the bearer token asks for a short-lived signed link instead."""

import re
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.deps import (
    BlobsDep,
    Principal,
    SessionDep,
    SettingsDep,
    client_ip,
    current_principal,
    require,
)
from api.schemas import RowId
from engine import recordings as links
from engine.errors import DomainError, NotFound
from store import audit
from store.blobs import BlobMissing
from store.models import Recording

router = APIRouter(prefix="/recordings", tags=["recordings"])

Listener = Annotated[Principal, Depends(require("recordings", "read"))]
BLOB = "blob:"
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


class RangeNotSatisfiable(DomainError):
    def __init__(self, size: int) -> None:
        super().__init__(
            message=f"The range is outside the recording's {size} bytes.",
            code="range_not_satisfiable",
            status=416,
        )


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The one range asked for, as inclusive (start, end); None for the whole file."""
    match = _RANGE.fullmatch(header.strip()) if header else None
    if match is None or match.groups() == ("", ""):
        return None  # absent, or a form we don't serve (several ranges): the whole file
    first, last = match.groups()
    if first == "":  # the last N bytes
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    if start > end or start >= size:
        raise RangeNotSatisfiable(size)
    return start, end


async def _stored(session: AsyncSession, recording_id: int) -> Recording:
    """The recording, if its audio is in our storage (one kept at the carrier is a 404)."""
    recording = await session.scalar(select(Recording).where(Recording.id == recording_id))
    if recording is None or not recording.url.startswith(BLOB):
        raise NotFound("Recording")
    return recording


class RecordingLink(BaseModel):
    url: str
    expires_at: datetime


@router.post("/{recording_id}/link")
async def recording_link(
    recording_id: RowId,
    principal: Listener,
    session: SessionDep,
    settings: SettingsDep,
    request: Request,
) -> RecordingLink:
    """A URL of the audio that works without the bearer token for a few minutes, so a media
    element can stream it with ranges; the playback is audited as the caller's."""
    await _stored(session, recording_id)
    expires_at = datetime.now(UTC).replace(microsecond=0) + links.LINK_LIFETIME
    token = links.link_token(
        settings.secret_key,
        recording_id=recording_id,
        holder=links.LinkHolder(principal.user_id, principal.api_key_id),
        expires_at=expires_at,
    )
    path = request.app.url_path_for("recording_audio", recording_id=str(recording_id))
    return RecordingLink(url=f"{path}?token={token}", expires_at=expires_at)


async def _listener(
    request: Request,
    recording_id: RowId,
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str | None, Query(max_length=1000)] = None,
) -> audit.Actor:
    """Who is listening: the holder of a signed link, else the authenticated caller (whose
    role must allow recordings)."""
    if token is not None:
        holder = links.link_holder(
            settings.secret_key, token, recording_id=recording_id, now=datetime.now(UTC)
        )
        return audit.Actor(holder.user_id, holder.api_key_id, client_ip(request))
    principal = await current_principal(
        request,
        session,
        settings,
        authorization=request.headers.get("authorization"),
        x_api_key=request.headers.get("x-api-key"),
    )
    return (await require("recordings", "read")(principal)).audit()


@router.get("/{recording_id}/audio")
async def recording_audio(
    recording_id: RowId,
    listener: Annotated[audit.Actor, Depends(_listener)],
    session: SessionDep,
    blobs: BlobsDep,
    range_: Annotated[str | None, Header(alias="range")] = None,
) -> Response:
    key = (await _stored(session, recording_id)).url.removeprefix(BLOB)
    try:
        info = await blobs.info(key)
        span = byte_range(range_, info.size)
        start, end = span or (0, info.size - 1)
        body = await blobs.read(key, start=start, end=end)
    except BlobMissing as missing:
        raise NotFound("Recording") from missing
    if start == 0:
        audit.record(
            session,
            action="recording.download",
            by=listener,
            target_type="recording",
            target_id=recording_id,
        )
        await session.commit()
    headers = {"Accept-Ranges": "bytes", "Content-Length": str(len(body))}
    if span is None:
        return Response(body, media_type=info.content_type, headers=headers)
    headers["Content-Range"] = f"bytes {start}-{end}/{info.size}"
    return Response(body, status_code=206, media_type=info.content_type, headers=headers)
