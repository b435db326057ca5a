"""Reporting aggregates, computed in SQL on SQLite and PostgreSQL alike: telemarketing counts
(calls, dispositions, leads), email counts (messages and their events), ABM coverage and
contact penetration. Shaping and rates are engine.reporting's.

Definitions (docs/api.md "Reporting"): an attempt is a call row; a connect an answered call;
an email is sent once the relay took or refused it (status sent or bounced), delivered when
sent and never bounced; a contact is reached by a connected call or a delivered email.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    distinct,
    exists,
    func,
    literal,
    select,
    union,
)
from sqlalchemy.ext.asyncio import AsyncSession

from engine import reporting as rules
from engine.qa import DELIVERABLE
from engine.reporting import Group, Period, utc_offsets
from store.models import (
    Account,
    Call,
    Campaign,
    CampaignLead,
    Contact,
    EmailEvent,
    EmailMessage,
    Lead,
    User,
)
from store.segments import audience_ids, get_segment_or_raise

Query = Select[*tuple[Any, ...]]  # a SELECT of any columns
SENT_STATUSES = ("sent", "bounced")
KEY, LABEL = "group_key", "group_label"


@dataclass(frozen=True)
class Scope:
    """What a report counts: a period, and the given campaigns only when `campaign_ids` is set."""

    period: Period
    campaign_ids: Sequence[int] | None = None


@dataclass(frozen=True)
class _Source:
    """The columns of one activity table that a report filters and groups on."""

    at: Any
    campaign: Any
    contact: Any
    agent: Any = None


_CALLS = _Source(Call.started_at, Call.campaign_id, Call.contact_id, Call.agent_id)
_LEADS = _Source(Lead.created_at, Lead.campaign_id, Lead.contact_id, Lead.agent_id)
_SENT_AT = func.coalesce(EmailMessage.sent_at, EmailMessage.created_at)
_EMAILS = _Source(_SENT_AT, EmailMessage.campaign_id, EmailMessage.contact_id)


def _within(query: Query, source: _Source, scope: Scope) -> Query:
    if scope.period.start is not None:
        query = query.where(source.at >= scope.period.start)
    if scope.period.end is not None:
        query = query.where(source.at < scope.period.end)
    if scope.campaign_ids is not None:
        query = query.where(source.campaign.in_(scope.campaign_ids))
    return query


async def _local_day(session: AsyncSession, at: Any, scope: Scope) -> ColumnElement[Any]:
    """`YYYY-MM-DD` of `at` in the scope's time zone. SQLite knows no zones: its dates are
    shifted by the zone's offsets in force, one CASE branch per daylight-saving change."""
    zone = scope.period.zone
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone(zone.key, at), "YYYY-MM-DD")
    start, end = scope.period.start, scope.period.end
    if start is None or end is None:
        low, high = (await session.execute(select(func.min(at), func.max(at)))).one()
        start, end = start or low, end or high
    if start is None or end is None:
        return func.date(at)  # no rows at all
    pieces = utc_offsets(zone, start, end)
    shifts = [f"{minutes:+d} minutes" for _, minutes in pieces]
    if len(pieces) == 1:
        return func.date(at, shifts[0])
    branches = [(at < since, shift) for (since, _), shift in zip(pieces[1:], shifts, strict=False)]
    return func.date(at, case(*branches, else_=shifts[-1]))


async def _keyed(
    session: AsyncSession, source: _Source, scope: Scope, group: Group, *counts: Any
) -> Query:
    """SELECT group key, its label, counts… FROM the source's table, joined for the key."""
    joins: list[tuple[Any, Any]] = []
    if group == "campaign":
        key, label = source.campaign, func.min(Campaign.name)
        joins.append((Campaign, Campaign.id == source.campaign))
    elif group == "agent":
        key, label = source.agent, func.min(User.full_name)
        joins.append((User, User.id == source.agent))
    elif group == "day":
        key = await _local_day(session, source.at, scope)
        label = func.min(key)
    else:
        key, label = Account.domain, func.min(Account.name)
        joins += [
            (Contact, Contact.id == source.contact),
            (Account, Account.id == Contact.account_id),
        ]
    query = select(key.label(KEY), label.label(LABEL), *counts)
    for model, on in joins:
        query = query.outerjoin(model, on)
    # Grouping by the label name: PostgreSQL would see a bound time zone twice as two
    # different expressions.
    return _within(query, source, scope).group_by(KEY)


# --- telemarketing -------------------------------------------------------------------------------


async def calls(session: AsyncSession, *, scope: Scope, group: Group) -> list[dict[str, Any]]:
    counts = (
        func.count(Call.id).label("attempts"),
        func.count(Call.answered_at).label("connects"),
        func.coalesce(func.sum(Call.talk_seconds), 0.0).label("talk_seconds"),
    )
    query = (await _keyed(session, _CALLS, scope, group, *counts)).select_from(Call)
    return await _rows(session, query)


async def dispositions(
    session: AsyncSession, *, scope: Scope, group: Group
) -> dict[Any, dict[str, int]]:
    query = await _keyed(session, _CALLS, scope, group, Call.disposition, func.count())
    query = query.select_from(Call).where(Call.disposition.is_not(None))
    return _nested((await session.execute(query.group_by(Call.disposition))).all())


async def leads(session: AsyncSession, *, scope: Scope, group: Group) -> dict[Any, dict[str, int]]:
    """Leads by QA status, counted at the time the lead was created."""
    query = await _keyed(session, _LEADS, scope, group, Lead.qa_status, func.count())
    query = query.select_from(Lead).group_by(Lead.qa_status)
    return _nested((await session.execute(query)).all())


async def _rows(session: AsyncSession, query: Query) -> list[dict[str, Any]]:
    rows = (await session.execute(query)).mappings().all()
    return [
        {"key": r[KEY], "label": r[LABEL]} | {k: v for k, v in r.items() if k not in (KEY, LABEL)}
        for r in rows
    ]


def _nested(rows: Sequence[Any]) -> dict[Any, dict[str, int]]:
    out: dict[Any, dict[str, int]] = {}
    for key, _, name, count in rows:
        out.setdefault(key, {})[name] = int(count)
    return out


# --- email ----------------------------------------------------------------------------------------


def _flag(kind: str) -> Any:
    return case((EmailEvent.kind == kind, 1), else_=0)


# Per message: how many opens and clicks, and whether it bounced, was complained about …
_EVENTS = (
    select(
        EmailEvent.message_id,
        func.sum(_flag("open")).label("opens"),
        func.max(_flag("open")).label("opened"),
        func.sum(_flag("click")).label("clicks"),
        func.max(_flag("click")).label("clicked"),
        func.max(_flag("bounce")).label("bounced"),
        func.max(_flag("complaint")).label("complained"),
        func.max(_flag("unsubscribe")).label("unsubscribed"),
    )
    .group_by(EmailEvent.message_id)
    .subquery("events")
)
_BOUNCED = (EmailMessage.status == "bounced") | (func.coalesce(_EVENTS.c.bounced, 0) == 1)


def _total(value: Any) -> Any:
    return func.coalesce(func.sum(value), 0)


async def emails(session: AsyncSession, *, scope: Scope, group: Group) -> list[dict[str, Any]]:
    counts = (
        func.count(EmailMessage.id).label("sent"),
        _total(case((_BOUNCED, 0), else_=1)).label("delivered"),
        _total(_EVENTS.c.opens).label("opens"),
        _total(_EVENTS.c.opened).label("unique_opens"),
        _total(_EVENTS.c.clicks).label("clicks"),
        _total(_EVENTS.c.clicked).label("unique_clicks"),
        _total(case((_BOUNCED, 1), else_=0)).label("bounces"),
        _total(_EVENTS.c.complained).label("complaints"),
        _total(_EVENTS.c.unsubscribed).label("unsubscribes"),
    )
    query = (
        (await _keyed(session, _EMAILS, scope, group, *counts))
        .select_from(EmailMessage)
        .outerjoin(_EVENTS, _EVENTS.c.message_id == EmailMessage.id)
        .where(EmailMessage.status.in_(SENT_STATUSES))
    )
    return await _rows(session, query)


# --- ABM: who was targeted, who was reached -------------------------------------------------------


def _targeted(scope: Scope) -> Any:
    """(campaign id, contact id) of every campaign audience: the dial list and the mailing."""
    dial = select(CampaignLead.campaign_id, CampaignLead.contact_id)
    mail = select(EmailMessage.campaign_id, EmailMessage.contact_id)
    if scope.campaign_ids is not None:
        dial = dial.where(CampaignLead.campaign_id.in_(scope.campaign_ids))
        mail = mail.where(EmailMessage.campaign_id.in_(scope.campaign_ids))
    return union(dial, mail).subquery("targeted")


def _reached(scope: Scope) -> Any:
    """(campaign id, contact id) reached in the period: a connected call, a delivered email."""
    answered = _within(
        select(Call.campaign_id, Call.contact_id).where(Call.answered_at.is_not(None)),
        _CALLS,
        scope,
    )
    bounced = exists().where(EmailEvent.message_id == EmailMessage.id, EmailEvent.kind == "bounce")
    delivered = _within(
        select(EmailMessage.campaign_id, EmailMessage.contact_id).where(
            EmailMessage.status == "sent", ~bounced
        ),
        _EMAILS,
        scope,
    )
    return union(answered, delivered).subquery("reached")


async def _accounts_by_campaign(session: AsyncSession, contacts: Any) -> dict[int, int]:
    query = (
        select(contacts.c.campaign_id, func.count(distinct(Contact.account_id)))
        .join(Contact, Contact.id == contacts.c.contact_id)
        .group_by(contacts.c.campaign_id)
    )
    return {int(c): int(n) for c, n in (await session.execute(query)).all()}


async def coverage_by_campaign(session: AsyncSession, *, scope: Scope) -> list[dict[str, Any]]:
    targeted = await _accounts_by_campaign(session, _targeted(scope))
    reached = await _accounts_by_campaign(session, _reached(scope))
    query = select(Campaign.id, Campaign.name).where(Campaign.id.in_(targeted))
    names = {campaign_id: name for campaign_id, name in (await session.execute(query)).all()}
    return [
        {
            "key": campaign_id,
            "label": names.get(campaign_id),
            "accounts_targeted": count,
            "accounts_reached": reached.get(campaign_id, 0),
        }
        for campaign_id, count in targeted.items()
    ]


async def coverage_by_segment(
    session: AsyncSession, *, scope: Scope, segment_ids: Sequence[int]
) -> list[dict[str, Any]]:
    """Accounts of each segment's contacts (its filter as of now), and those of them with a
    contact reached by the scope's campaigns."""
    reached = select(_reached(scope).c.contact_id)
    rows = []
    for segment_id in segment_ids:
        segment = await get_segment_or_raise(session, segment_id=segment_id)
        members = (await audience_ids(session, {"segment_id": segment_id})).subquery()
        query = select(
            func.count(distinct(Contact.account_id)),
            func.count(distinct(case((Contact.id.in_(reached), Contact.account_id)))),
        ).where(Contact.id.in_(select(members.c.id)))
        targeted, hit = (await session.execute(query)).one()
        rows.append(
            {
                "key": segment_id,
                "label": segment.name,
                "accounts_targeted": int(targeted),
                "accounts_reached": int(hit),
            }
        )
    return rows


def penetration_query(scope: Scope) -> Query:
    """Per account with a contact in the scope's audiences: its contacts, how many were
    targeted and how many reached. Ordered by account id (keyset: `Account.id > last`)."""
    targeted = select(_targeted(scope).c.contact_id)
    reached = select(_reached(scope).c.contact_id)
    return (
        select(
            Account.id.label("account_id"),
            Account.name.label("account_name"),
            Account.domain.label("domain"),
            func.count(Contact.id).label("contacts"),
            func.sum(case((Contact.id.in_(targeted), 1), else_=0)).label("contacts_targeted"),
            func.sum(case((Contact.id.in_(reached), 1), else_=0)).label("contacts_reached"),
        )
        .join(Contact, Contact.account_id == Account.id)
        .group_by(Account.id, Account.name, Account.domain)
        .having(func.sum(case((Contact.id.in_(targeted), 1), else_=0)) > literal(0))
        .order_by(Account.id)
    )


async def penetration(
    session: AsyncSession, *, scope: Scope, after: int = 0, limit: int
) -> list[dict[str, Any]]:
    query = penetration_query(scope).where(Account.id > after).limit(limit)
    return [
        {k: int(v) if k.startswith("contacts") else v for k, v in row._mapping.items()}
        for row in (await session.execute(query)).all()
    ]


# --- reports: the counts above shaped by engine.reporting -----------------------------------------


async def telemarketing_report(
    session: AsyncSession, *, scope: Scope, group: Group
) -> list[dict[str, Any]]:
    return rules.call_rows(
        await calls(session, scope=scope, group=group),
        await dispositions(session, scope=scope, group=group),
        await leads(session, scope=scope, group=group),
        [status.value for status in DELIVERABLE],
    )


async def email_report(
    session: AsyncSession, *, scope: Scope, group: Group
) -> list[dict[str, Any]]:
    return rules.email_rows(await emails(session, scope=scope, group=group))
