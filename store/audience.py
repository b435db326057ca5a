"""Accounts, contacts and their custom field definitions."""

from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from engine import custom_fields
from engine.contacts import email_domain
from engine.errors import Conflict, NotFound
from store.models import Account, Base, Contact, CustomFieldDefinition


async def field_specs(session: AsyncSession, *, entity: str) -> list[custom_fields.FieldSpec]:
    rows = await session.scalars(
        select(CustomFieldDefinition).where(CustomFieldDefinition.entity == entity)
    )
    return [
        custom_fields.FieldSpec(r.key, r.field_type, tuple(r.options), r.required) for r in rows
    ]


async def get_account_or_raise(session: AsyncSession, *, account_id: int) -> Account:
    account = await session.get(Account, account_id)
    if account is None:
        raise NotFound("Account")
    return account


async def get_contact_or_raise(session: AsyncSession, *, contact_id: int) -> Contact:
    contact = await session.get(Contact, contact_id)
    if contact is None:
        raise NotFound("Contact")
    return contact


async def account_for_email(session: AsyncSession, *, email: str) -> Account | None:
    return await session.scalar(select(Account).where(Account.domain == email_domain(email)))


def accounts_query(*, q: str | None, industry: str | None) -> Select[Any]:
    query = select(Account)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(Account.name.ilike(like), Account.domain.ilike(like)))
    if industry:
        query = query.where(Account.industry == industry)
    return query


def contacts_query(*, q: str | None, account_id: int | None) -> Select[Any]:
    query = select(Contact)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(
            or_(
                Contact.full_name.ilike(like),
                Contact.email.ilike(like),
                Contact.job_title.ilike(like),
            )
        )
    if account_id is not None:
        query = query.where(Contact.account_id == account_id)
    return query


async def field_definitions(session: AsyncSession) -> list[CustomFieldDefinition]:
    query = select(CustomFieldDefinition).order_by(CustomFieldDefinition.id)
    return list(await session.scalars(query))


async def save(session: AsyncSession, entity: Base, *, unique_field: str) -> None:
    """Flush inside a savepoint so a uniqueness clash becomes a 409 and leaves nothing behind."""
    try:
        async with session.begin_nested():
            session.add(entity)
            await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"Another record already has this {unique_field}.", unique_field) from exc
