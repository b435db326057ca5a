"""Segments (saved filters), static lists and their members, domain sets, export reads."""

from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import Row, Select, and_, delete, exists, func, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine import domain_sets
from engine import filters as language
from engine.custom_fields import FieldSpec
from engine.errors import FieldError, NotFound, ValidationFailed
from store import audience, filters
from store.models import Account, Contact, ContactList, DomainSet, ListMember, Segment, utcnow

MATCH_CHUNK = 1_000  # domains per IN (...) when matching a domain set to accounts
# A contact with its account's name and domain (None without an account).
ExportSelect = Select[Contact, str, str | None]


async def custom_specs(session: AsyncSession) -> dict[str, list[FieldSpec]]:
    """Today's custom field definitions of contacts and accounts (filterable fields)."""
    return {
        entity: await audience.field_specs(session, entity=entity)
        for entity in ("contact", "account")
    }


async def check_filter(session: AsyncSession, raw: Any, *, path: str = "filter") -> language.Group:
    """The filter checked against the whitelist and today's custom field definitions."""
    return language.validate(raw, custom=await custom_specs(session), path=path)


# --- segments ------------------------------------------------------------------------------


async def get_segment_or_raise(session: AsyncSession, *, segment_id: int) -> Segment:
    segment = await session.get(Segment, segment_id)
    if segment is None:
        raise NotFound("Segment")
    return segment


def segments_query() -> Select[Segment]:
    return select(Segment)


async def segment_filter(session: AsyncSession, segment: Segment) -> language.Group:
    """A saved filter, checked again: a custom field it uses may have been removed since."""
    return await check_filter(session, segment.definition, path="segment.filter")


# --- lists ---------------------------------------------------------------------------------


async def get_list_or_raise(session: AsyncSession, *, list_id: int) -> ContactList:
    found = await session.get(ContactList, list_id)
    if found is None:
        raise NotFound("List")
    return found


def lists_query() -> Select[ContactList]:
    return select(ContactList)


def members_query(*, list_id: int) -> Select[Contact]:
    member = and_(ListMember.contact_id == Contact.id, ListMember.list_id == list_id)
    return select(Contact).join(ListMember, member)


async def member_count(session: AsyncSession, *, list_id: int) -> int:
    query = select(func.count()).select_from(ListMember).where(ListMember.list_id == list_id)
    return int(await session.scalar(query) or 0)


def _not_member(list_id: int) -> Any:
    return ~exists().where(ListMember.list_id == list_id, ListMember.contact_id == Contact.id)


async def add_members(session: AsyncSession, *, list_id: int, contact_ids: Sequence[int]) -> int:
    """Adds the contacts not yet in the list; unknown ids are a 422 and add nothing."""
    wanted = set(contact_ids)
    known = set(await session.scalars(select(Contact.id).where(Contact.id.in_(wanted))))
    missing = sorted(wanted - known)
    if missing:
        shown = ", ".join(map(str, missing[:20]))
        raise ValidationFailed([FieldError("contact_ids", f"Unknown contact ids: {shown}.")])
    source = select(Contact.id).where(Contact.id.in_(wanted))
    return await _insert_members(session, list_id, source)


async def remove_members(session: AsyncSession, *, list_id: int, contact_ids: Sequence[int]) -> int:
    query = delete(ListMember).where(
        ListMember.list_id == list_id, ListMember.contact_id.in_(set(contact_ids))
    )
    result: Any = await session.execute(query)
    return int(result.rowcount)


async def snapshot(session: AsyncSession, *, list_id: int, node: language.Group) -> int:
    """Copies the filter's current contacts into the list in one INSERT … SELECT."""
    return await _insert_members(session, list_id, filters.ids_query(node))


async def _insert_members(session: AsyncSession, list_id: int, source: Select[Any]) -> int:
    ids = source.where(_not_member(list_id)).subquery()
    rows = select(literal(list_id), ids.c.id, literal(utcnow(), ListMember.added_at.type))
    statement = insert(ListMember).from_select(["list_id", "contact_id", "added_at"], rows)
    result: Any = await session.execute(statement)
    return int(result.rowcount)


# --- domain sets ---------------------------------------------------------------------------


async def get_domain_set_or_raise(session: AsyncSession, *, domain_set_id: int) -> DomainSet:
    found = await session.get(DomainSet, domain_set_id)
    if found is None:
        raise NotFound("Domain set")
    return found


def domain_sets_query() -> Select[DomainSet]:
    return select(DomainSet)


async def matched_domains(session: AsyncSession, *, domains: Sequence[str]) -> set[str]:
    """The domains some account has, read in chunks to stay under bound-parameter limits."""
    found: set[str] = set()
    for start in range(0, len(domains), MATCH_CHUNK):
        chunk = domains[start : start + MATCH_CHUNK]
        rows = await session.scalars(select(Account.domain).where(Account.domain.in_(chunk)))
        found.update(r for r in rows if r)
    return found


async def contacts_at_domains(session: AsyncSession, *, domains: Sequence[str]) -> int:
    total = 0
    for start in range(0, len(domains), MATCH_CHUNK):
        chunk = domains[start : start + MATCH_CHUNK]
        query = (
            select(func.count()).select_from(Contact).join(Account).where(Account.domain.in_(chunk))
        )
        total += int(await session.scalar(query) or 0)
    return total


async def match_domain_file(
    session: AsyncSession, *, content: bytes
) -> tuple[domain_sets.ParsedDomains, dict[str, object]]:
    """An uploaded domain file's domains and what they match now (nothing is stored)."""
    parsed = domain_sets.parse(content)
    matched = await matched_domains(session, domains=parsed.domains)
    contacts = await contacts_at_domains(session, domains=sorted(matched))
    return parsed, domain_sets.match_stats(parsed, matched, contacts)


async def add_domain_set(
    session: AsyncSession, *, content: bytes, name: str, owner_id: int | None
) -> DomainSet:
    """A domain set from an uploaded file, with its match statistics (flushed, not committed)."""
    parsed, stats = await match_domain_file(session, content=content)
    created = DomainSet(name=name, domains=parsed.domains, stats=stats, owner_id=owner_id)
    session.add(created)
    await session.flush()
    return created


# --- exports -------------------------------------------------------------------------------


def export_query(*, node: language.Group | None = None, list_id: int | None = None) -> ExportSelect:
    """Contacts with their account's name and domain, for a filter or a list's members."""
    query = select(Contact, Account.name, Account.domain).select_from(Contact)
    if list_id is not None:
        member = and_(ListMember.contact_id == Contact.id, ListMember.list_id == list_id)
        query = query.join(ListMember, member)
    query = query.outerjoin(Account, Contact.account_id == Account.id)
    return query.where(filters.where(node)) if node is not None else query


async def export_chunks(
    sessions: async_sessionmaker[AsyncSession], query: ExportSelect, *, size: int = 1_000
) -> AsyncIterator[Sequence[Row[Contact, str, str | None]]]:
    """Rows in id order, a chunk per short read (keyset on contacts.id): memory stays flat and
    no connection is held while the client downloads."""
    last = 0
    while True:
        async with sessions() as session:
            page = query.where(Contact.id > last).order_by(Contact.id).limit(size)
            rows = (await session.execute(page)).all()
        if rows:
            yield rows
            last = rows[-1][0].id
        if len(rows) < size:
            return


async def audience_ids(session: AsyncSession, audience: dict[str, Any]) -> Select[Any]:
    """The contact ids of a campaign's audience: a static list, a segment (its filter as of
    now), a domain set (contacts of the accounts it matched), given ids, or everyone."""
    query = select(Contact.id)
    if audience.get("list_id") is not None:
        return query.join(ListMember, ListMember.contact_id == Contact.id).where(
            ListMember.list_id == audience["list_id"]
        )
    if audience.get("segment_id") is not None:
        segment = await get_segment_or_raise(session, segment_id=audience["segment_id"])
        return filters.ids_query(await segment_filter(session, segment))
    if audience.get("domain_set_id") is not None:
        domain_set = await get_domain_set_or_raise(session, domain_set_id=audience["domain_set_id"])
        accounts = select(Account.id).where(Account.domain.in_(domain_set.domains))
        return query.where(Contact.account_id.in_(accounts))
    if audience.get("contact_ids") is not None:
        return query.where(Contact.id.in_(audience["contact_ids"]))
    if audience.get("all_contacts"):
        return query
    return query.where(Contact.id.is_(None))
