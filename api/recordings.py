"""Call recordings, streamed to authorised users with HTTP range requests (so a player can
seek), each playback or download from the start written to the audit log."""

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Response
from sqlalchemy import select

from api.deps import BlobsDep, Principal, SessionDep, require
from api.schemas import RowId
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


@router.get("/{recording_id}/audio")
async def recording_audio(
    recording_id: RowId,
    principal: Listener,
    session: SessionDep,
    blobs: BlobsDep,
    range_: Annotated[str | None, Header(alias="range")] = None,
) -> Response:
    recording = await session.scalar(select(Recording).where(Recording.id == recording_id))
    if recording is None or not recording.url.startswith(BLOB):
        raise NotFound("Recording")
    key = recording.url.removeprefix(BLOB)
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
            by=principal.audit(),
            target_type="recording",
            target_id=recording_id,
        )
        await session.commit()
    headers = {"Accept-Ranges": "bytes", "Content-Length": str(len(body))}
    if span is None:
        return Response(body, media_type=info.content_type, headers=headers)
    headers["Content-Range"] = f"bytes {start}-{end}/{info.size}"
    return Response(body, status_code=206, media_type=info.content_type, headers=headers)
