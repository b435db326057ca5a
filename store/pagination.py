"""Keyset pagination on the id column: stable under inserts, cheap at any depth."""

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from engine.errors import FieldError, ValidationFailed

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: Sequence[T]
    next_cursor: str | None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(str(last_id).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return int(base64.urlsafe_b64decode(padded.encode()).decode())
    except ValueError as exc:
        raise ValidationFailed([FieldError("cursor", "Not a cursor from this API.")]) from exc


async def paginate(
    session: AsyncSession, query: Select[Any], id_column: Any, *, limit: int, cursor: str | None
) -> Page[Any]:
    if cursor:
        query = query.where(id_column > decode_cursor(cursor))
    rows = (await session.scalars(query.order_by(id_column).limit(limit + 1))).all()
    more = len(rows) > limit
    items = rows[:limit]
    return Page(items=items, next_cursor=encode_cursor(items[-1].id) if more else None)
