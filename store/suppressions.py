"""Suppressions (do-not-call, unsubscribe, blocked domains), global or per client.

Values arrive normalised (E.164 phones, lower-cased emails, bare domains); adding one that
exists already returns the existing row, so retries and repeated files are harmless.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from engine.contacts import email_domain
from engine.errors import NotFound
from store.models import Client, Suppression

_CHUNK = 500  # values per IN (...) lookup


@dataclass(frozen=True)
class NewSuppression:
    kind: str
    value: str
    client_id: int | None
    source: str
    reason: str | None = None
    consent_basis: str | None = None

    @property
    def key(self) -> tuple[str, str, int | None]:
        return self.kind, self.value, self.client_id


def suppressions_query(
    *, kind: str | None, client_id: int | None, global_only: bool, q: str | None
) -> Select[Any]:
    query = select(Suppression)
    if kind:
        query = query.where(Suppression.kind == kind)
    if global_only:
        query = query.where(Suppression.client_id.is_(None))
    elif client_id is not None:
        query = query.where(Suppression.client_id == client_id)
    if q:
        query = query.where(Suppression.value.contains(q.lower(), autoescape=True))
    return query


async def get_or_raise(session: AsyncSession, *, suppression_id: int) -> Suppression:
    row = await session.get(Suppression, suppression_id)
    if row is None:
        raise NotFound("Suppression")
    return row


async def missing_clients(session: AsyncSession, *, client_ids: Iterable[int]) -> list[int]:
    wanted = set(client_ids)
    if not wanted:
        return []
    found = set(await session.scalars(select(Client.id).where(Client.id.in_(wanted))))
    return sorted(wanted - found)


async def add(
    session: AsyncSession, *, entry: NewSuppression, created_by_id: int | None
) -> tuple[Suppression, bool]:
    """The suppression for this value and scope, and whether it was created now."""
    existing = await _existing(session, [entry])
    if entry.key in existing:
        return existing[entry.key], False
    row = _row(entry, created_by_id)
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:
        # Someone added the same client-scoped entry a moment ago: theirs is ours.
        return (await _existing(session, [entry]))[entry.key], False
    return row, True


async def add_many(
    session: AsyncSession, *, entries: Sequence[NewSuppression], created_by_id: int | None
) -> list[Suppression]:
    """Adds the entries not present yet (duplicates in the batch count once); returns them."""
    unique = list({entry.key: entry for entry in entries}.values())
    existing = await _existing(session, unique)
    rows = [_row(e, created_by_id) for e in unique if e.key not in existing]
    session.add_all(rows)
    await session.flush()
    return rows


async def matches(
    session: AsyncSession,
    *,
    phone: str | None,
    email: str | None,
    domain: str | None,
    client_id: int | None,
) -> list[Suppression]:
    """Every entry that suppresses any of these, globally or for this client.

    A domain entry covers every address at that domain and at its subdomains.
    """
    domains = set(_parents(domain)) if domain else set()
    if email:
        domains |= set(_parents(email_domain(email)))
    wanted = [("phone", {phone} if phone else set()), ("email", {email} if email else set())]
    conditions = [
        and_(Suppression.kind == kind, Suppression.value.in_(values))
        for kind, values in [*wanted, ("domain", domains)]
        if values
    ]
    query = select(Suppression).where(or_(*conditions), _in_scope(client_id))
    return list(await session.scalars(query.order_by(Suppression.id)))


def _in_scope(client_id: int | None) -> ColumnElement[bool]:
    if client_id is None:
        return Suppression.client_id.is_(None)
    return or_(Suppression.client_id.is_(None), Suppression.client_id == client_id)


def _parents(domain: str) -> list[str]:
    """`a.b.example.com` → itself, `b.example.com`, `example.com` (never a bare TLD)."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


async def _existing(
    session: AsyncSession, entries: Sequence[NewSuppression]
) -> dict[tuple[str, str, int | None], Suppression]:
    """Rows already stored for these entries, by (kind, value, client_id)."""
    wanted = {entry.key for entry in entries}
    values = sorted({entry.value for entry in entries})
    found: dict[tuple[str, str, int | None], Suppression] = {}
    for start in range(0, len(values), _CHUNK):
        query = select(Suppression).where(Suppression.value.in_(values[start : start + _CHUNK]))
        for row in await session.scalars(query.order_by(Suppression.id)):
            key = (row.kind, row.value, row.client_id)
            if key in wanted:
                found.setdefault(key, row)
    return found


def _row(entry: NewSuppression, created_by_id: int | None) -> Suppression:
    return Suppression(
        kind=entry.kind,
        value=entry.value,
        client_id=entry.client_id,
        source=entry.source,
        reason=entry.reason,
        consent_basis=entry.consent_basis,
        created_by_id=created_by_id,
    )
