"""Keyset pagination on the id column, or on a sort key then the id: stable under inserts,
cheap at any depth."""

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Row, Select, and_, or_
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
    session: AsyncSession,
    query: Select[Any],
    id_column: Any,
    *,
    limit: int,
    cursor: str | None,
    newest_first: bool = False,
) -> Page[Any]:
    """Rows by id, oldest first or newest first; the cursor is the last id returned."""
    if cursor:
        last = decode_cursor(cursor)
        query = query.where(id_column < last if newest_first else id_column > last)
    order = id_column.desc() if newest_first else id_column.asc()
    rows = (await session.scalars(query.order_by(order).limit(limit + 1))).all()
    more = len(rows) > limit
    items = rows[:limit]
    return Page(items=items, next_cursor=encode_cursor(items[-1].id) if more else None)


@dataclass(frozen=True)
class SortKey:
    """A list's order: a column or expression of type `kind` (int, str or datetime), then the
    id to break ties, both ascending or both descending. Rows without a value come last."""

    column: Any
    kind: type
    descending: bool = False


def _encode_sorted(value: Any, last_id: int) -> str:
    """The last row's sort value and id; a datetime is marked so it is read back as one."""
    stamp = isinstance(value, datetime)
    plain = {"v": value.isoformat() if stamp else value, "d": stamp, "i": last_id}
    return (
        base64.urlsafe_b64encode(json.dumps(plain, ensure_ascii=False).encode())
        .decode()
        .rstrip("=")
    )


def _decode_sorted(cursor: str, kind: type) -> tuple[Any, int]:
    """The cursor's sort value and id, checked against the sort's type (a forged cursor is a
    422, never a database error)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        plain = json.loads(base64.urlsafe_b64decode(padded.encode()))
        value, last_id = plain["v"], plain["i"]
        if plain["d"]:
            value = datetime.fromisoformat(value)
            if value.tzinfo is None:
                raise ValueError(cursor)
        fits = value is None or (isinstance(value, kind) and not isinstance(value, bool))
        if not fits or type(last_id) is not int:
            raise ValueError(cursor)
    except (ValueError, TypeError, KeyError) as exc:
        raise ValidationFailed([FieldError("cursor", "Not a cursor from this API.")]) from exc
    return value, last_id


def _after(sort: SortKey, id_column: Any, value: Any, last_id: int) -> ColumnElement[bool]:
    """The rows that come after (value, last_id) in the sort's order, empty values last."""
    later = (lambda a, b: a < b) if sort.descending else (lambda a, b: a > b)
    if value is None:
        return and_(sort.column.is_(None), later(id_column, last_id))
    return or_(
        later(sort.column, value),
        and_(sort.column == value, later(id_column, last_id)),
        sort.column.is_(None),
    )


async def paginate_sorted(
    session: AsyncSession,
    query: Select[*tuple[Any, ...]],
    id_column: Any,
    *,
    sort: SortKey,
    limit: int,
    cursor: str | None,
) -> Page[Row[*tuple[Any, ...]]]:
    """Keyset pagination on (sort key, id): each row as selected, plus the two keys at the end
    (what the cursor is made of). Stable under inserts like `paginate`, in any order."""
    if cursor:
        query = query.where(_after(sort, id_column, *_decode_sorted(cursor, sort.kind)))
    direction = (lambda c: c.desc()) if sort.descending else (lambda c: c.asc())
    query = query.add_columns(sort.column, id_column).order_by(
        sort.column.is_(None), direction(sort.column), direction(id_column)
    )
    rows = (await session.execute(query.limit(limit + 1))).all()
    items = rows[:limit]
    more = len(rows) > limit
    return Page(items=items, next_cursor=_encode_sorted(*items[-1][-2:]) if more else None)
