"""The global search box: a few best matches per kind of record, each kind its own query.

Matching is case-insensitive "contains" on the fields people type (names, emails, phone
digits, domains, titles); the user's text only ever reaches SQL as a bound parameter, with
LIKE's wildcards escaped.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Account, Campaign, Contact, Order


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str
    id: int
    title: str
    detail: str


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(text: str, *columns: Any) -> ColumnElement[bool]:
    pattern = _like(text)
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))


async def contacts(session: AsyncSession, *, text: str, limit: int) -> list[Hit]:
    digits = "".join(c for c in text if c.isdigit())
    match = _contains(text, Contact.full_name, Contact.email)
    if len(digits) >= 4:
        match = or_(match, _contains(digits, Contact.direct_phone_e164, Contact.mobile_phone_e164))
    query = select(Contact.id, Contact.full_name, Contact.email, Contact.job_title).where(match)
    rows = (await session.execute(query.order_by(Contact.full_name, Contact.id).limit(limit))).all()
    return [
        Hit(
            "contact",
            r.id,
            r.full_name or r.email or f"Contact {r.id}",
            r.job_title or r.email or "",
        )
        for r in rows
    ]


async def accounts(session: AsyncSession, *, text: str, limit: int) -> list[Hit]:
    query = select(Account.id, Account.name, Account.domain).where(
        _contains(text, Account.name, Account.domain)
    )
    rows = (await session.execute(query.order_by(Account.name, Account.id).limit(limit))).all()
    return [Hit("account", r.id, r.name, r.domain or "") for r in rows]


async def campaigns(session: AsyncSession, *, text: str, limit: int) -> list[Hit]:
    query = select(Campaign.id, Campaign.name, Campaign.kind, Campaign.status).where(
        _contains(text, Campaign.name)
    )
    rows = (await session.execute(query.order_by(Campaign.name, Campaign.id).limit(limit))).all()
    return [Hit("campaign", r.id, r.name, f"{r.kind} · {r.status}") for r in rows]


async def orders(
    session: AsyncSession, *, text: str, limit: int, client_id: int | None
) -> list[Hit]:
    """Orders by title; `client_id` limits them to one client's (a client user's search)."""
    query = select(Order.id, Order.title, Order.status).where(_contains(text, Order.title))
    if client_id is not None:
        query = query.where(Order.client_id == client_id)
    rows = (await session.execute(query.order_by(Order.title, Order.id).limit(limit))).all()
    return [Hit("order", r.id, r.title, r.status) for r in rows]
