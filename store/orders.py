"""Client orders (bridge model): a client sees only its own; staff see all."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, distinct, func, insert, literal, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from engine import filters as language
from engine import orders as order_rules
from engine.errors import Conflict, FieldError, NotFound, ValidationFailed
from engine.qa import DELIVERABLE
from store import campaign_setup, filters, segments, triggers
from store.models import (
    Account,
    Campaign,
    Client,
    Contact,
    ContactList,
    DomainSet,
    Lead,
    Order,
    OrderAsset,
    OrderAudienceMember,
    OrderCampaignLink,
    OrderQualification,
    QualificationQuestion,
    Segment,
    User,
    utcnow,
)

# What an order list may be sorted by (`-` in front: descending), and the value's type.
SORTS: dict[str, tuple[Any, type]] = {
    "created": (Order.id, int),
    "submitted": (Order.submitted_at, datetime),
    "title": (func.lower(Order.title), str),
    "status": (Order.status, str),
    "lead_goal": (Order.lead_goal, int),
}


def orders_query(
    *, client_id: int | None, status: str | None, search: str | None = None
) -> Select[Order, str]:
    """Orders with their client's name; `search` is a piece of the title or the client's
    name (literally, any case), or the order's number (`12` or `#12`)."""
    query = select(Order, Client.name).join(Client, Client.id == Order.client_id)
    if client_id is not None:
        query = query.where(Order.client_id == client_id)
    if status:
        query = query.where(Order.status == status)
    if search:
        found = or_(
            Order.title.icontains(search, autoescape=True),
            Client.name.icontains(search, autoescape=True),
        )
        number = search.removeprefix("#")
        if number.isdigit() and len(number) < 19:
            found = or_(found, Order.id == int(number))
        query = query.where(found)
    return query


async def client_name(session: AsyncSession, *, client_id: int) -> str:
    return await session.scalar(select(Client.name).where(Client.id == client_id)) or ""


async def get_or_raise(
    session: AsyncSession, *, order_id: int, client_id: int | None, lock: bool = False
) -> Order:
    """`client_id` scopes the lookup: another client's order is simply not found (no leak).
    `lock` holds the order's row until the transaction ends (PostgreSQL; SQLite has a
    single writer anyway), so changes to one order are made one after the other."""
    order = await session.get(Order, order_id, with_for_update=lock or None)
    if order is None or (client_id is not None and order.client_id != client_id):
        raise NotFound("Order")
    return order


# --- the bridge: campaigns linked to an order by operations staff -------------------------


async def links(
    session: AsyncSession, *, order_id: int
) -> list[tuple[OrderCampaignLink, Campaign]]:
    query = (
        select(OrderCampaignLink, Campaign)
        .join(Campaign, Campaign.id == OrderCampaignLink.campaign_id)
        .where(OrderCampaignLink.order_id == order_id)
        .order_by(OrderCampaignLink.id)
    )
    return [(link, campaign) for link, campaign in (await session.execute(query)).all()]


async def link(
    session: AsyncSession, *, order: Order, campaign_id: int, linked_by_id: int | None
) -> tuple[OrderCampaignLink, bool]:
    """Links an existing campaign (never creates one); the link and whether it is new."""
    if order.status == "draft":
        raise Conflict("A draft order cannot be linked: the client has not submitted it.")
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None:
        raise ValidationFailed([FieldError("campaign_id", "No such campaign.")])
    if campaign.client_id is not None and campaign.client_id != order.client_id:
        raise ValidationFailed(
            [FieldError("campaign_id", "The campaign belongs to another client.")]
        )
    existing = await _link(session, order.id, campaign_id)
    if existing is not None:
        return existing, False
    new = OrderCampaignLink(order_id=order.id, campaign_id=campaign_id, linked_by_id=linked_by_id)
    try:
        async with session.begin_nested():
            session.add(new)
            await session.flush()
    except IntegrityError:
        # Linked by someone else a moment ago: the same outcome.
        return await _link_or_raise(session, order.id, campaign_id), False
    return new, True


async def unlink(session: AsyncSession, *, order_id: int, campaign_id: int) -> None:
    await session.delete(await _link_or_raise(session, order_id, campaign_id))


async def linked_orders(session: AsyncSession, *, campaign_id: int) -> list[Order]:
    """The orders a campaign is linked to, oldest link first."""
    query = (
        select(Order)
        .join(OrderCampaignLink, OrderCampaignLink.order_id == Order.id)
        .where(OrderCampaignLink.campaign_id == campaign_id)
        .order_by(OrderCampaignLink.id)
    )
    return list(await session.scalars(query))


async def is_linked(session: AsyncSession, *, order_id: int, campaign_id: int) -> bool:
    return await _link(session, order_id, campaign_id) is not None


async def _link(session: AsyncSession, order_id: int, campaign_id: int) -> OrderCampaignLink | None:
    return await session.scalar(
        select(OrderCampaignLink).where(
            OrderCampaignLink.order_id == order_id, OrderCampaignLink.campaign_id == campaign_id
        )
    )


async def _link_or_raise(
    session: AsyncSession, order_id: int, campaign_id: int
) -> OrderCampaignLink:
    found = await _link(session, order_id, campaign_id)
    if found is None:
        raise NotFound("Campaign link")
    return found


# --- what a client sees of its order: linked campaigns only -----------------------------


async def answer_keys(session: AsyncSession, *, order_id: int) -> list[str]:
    """The qualification question keys of the linked campaigns, in form order."""
    query = (
        select(QualificationQuestion.key)
        .join(
            OrderCampaignLink,
            OrderCampaignLink.campaign_id == QualificationQuestion.campaign_id,
        )
        .where(OrderCampaignLink.order_id == order_id)
        .order_by(QualificationQuestion.campaign_id, QualificationQuestion.position)
    )
    return list(dict.fromkeys(await session.scalars(query)))


def deliverable_leads_query(*, order_id: int) -> Select[Lead, Contact, str, str | None]:
    """Approved (and published) leads of the linked campaigns, with their contact and account."""
    return (
        select(Lead, Contact, Account.name, Account.domain)
        .join(OrderCampaignLink, OrderCampaignLink.campaign_id == Lead.campaign_id)
        .join(Contact, Contact.id == Lead.contact_id)
        .outerjoin(Account, Account.id == Contact.account_id)
        .where(
            OrderCampaignLink.order_id == order_id,
            Lead.qa_status.in_([status.value for status in DELIVERABLE]),
        )
        .order_by(Lead.id)
    )


# --- the wizard: audience snapshot, qualification question versions, assets -------------


async def snapshot_audience(
    session: AsyncSession,
    *,
    order: Order,
    source: str,
    definition: dict[str, Any],
    ids: Select[Any],
) -> dict[str, Any]:
    """Freezes the audience's contacts (and their accounts) as of now, replacing the draft's
    previous snapshot, in one INSERT … SELECT; the summary is stored on the order."""
    await session.execute(
        delete(OrderAudienceMember).where(OrderAudienceMember.order_id == order.id)
    )
    contacts = ids.subquery()
    rows = select(literal(order.id), Contact.id, Contact.account_id).where(
        Contact.id.in_(select(contacts.c.id))
    )
    await session.execute(
        insert(OrderAudienceMember).from_select(["order_id", "contact_id", "account_id"], rows)
    )
    counted = select(func.count(), func.count(distinct(OrderAudienceMember.account_id))).where(
        OrderAudienceMember.order_id == order.id
    )
    contact_count, account_count = (await session.execute(counted)).one()
    order.audience = {
        "source": source,
        "definition": definition,
        "contact_count": contact_count,
        "account_count": account_count,
        "snapshot_at": utcnow().isoformat(),
    }
    return order.audience


async def count_audience(session: AsyncSession, *, ids: Select[Any]) -> tuple[int, int]:
    """The contacts an audience would hold and their accounts, as a snapshot would count."""
    contacts = ids.subquery()
    query = select(func.count(), func.count(distinct(Contact.account_id))).where(
        Contact.id.in_(select(contacts.c.id))
    )
    contact_count, account_count = (await session.execute(query)).one()
    return int(contact_count), int(account_count)


async def audience_ids(session: AsyncSession, *, order_id: int, what: str) -> list[int]:
    """The snapshot's contact or account ids, as frozen."""
    column = OrderAudienceMember.contact_id if what == "contact" else OrderAudienceMember.account_id
    query = (
        select(column)
        .where(OrderAudienceMember.order_id == order_id, column.is_not(None))
        .distinct()
        .order_by(column)
    )
    return list(await session.scalars(query))


async def latest_question_version(session: AsyncSession, *, order_id: int) -> int | None:
    query = select(func.max(OrderQualification.version)).where(
        OrderQualification.order_id == order_id
    )
    return await session.scalar(query)


async def questions(
    session: AsyncSession, *, order_id: int, version: int
) -> list[OrderQualification]:
    query = (
        select(OrderQualification)
        .where(OrderQualification.order_id == order_id, OrderQualification.version == version)
        .order_by(OrderQualification.position)
    )
    return list(await session.scalars(query))


async def asked_questions(session: AsyncSession, *, order: Order) -> list[OrderQualification]:
    """What the client asked: the version pinned at submission, else the latest saved."""
    version = order.question_version or await latest_question_version(session, order_id=order.id)
    return await questions(session, order_id=order.id, version=version) if version else []


async def questions_for_campaign(
    session: AsyncSession, *, order: Order, campaign_id: int
) -> list[dict[str, Any]]:
    """The order's questions as the campaign's question rows; each keeps the key of a current
    campaign question with the same text, so answers already given stay with it."""
    current = await campaign_setup.questions(session, campaign_id=campaign_id)
    return _as_campaign_rows(await asked_questions(session, order=order), current)


def _as_campaign_rows(
    asked: Sequence[OrderQualification], current: Sequence[QualificationQuestion]
) -> list[dict[str, Any]]:
    questions = [order_rules.Question.of(q) for q in asked]
    return order_rules.campaign_questions(questions, {q.label.casefold(): q.key for q in current})


async def questions_match(
    session: AsyncSession, *, asked: Sequence[OrderQualification], campaign_id: int
) -> bool | None:
    """Whether the campaign asks what the order asks (`asked_questions`), with the same
    qualifying rules; None when the order asks nothing (it sets no rules to follow)."""
    if not asked:
        return None
    current = await campaign_setup.questions(session, campaign_id=campaign_id)
    current_rows = [{f: getattr(q, f) for f in order_rules.ASKED} for q in current]
    return order_rules.same_questions(_as_campaign_rows(asked, current), current_rows)


async def add_question_version(
    session: AsyncSession, *, order_id: int, items: list[dict[str, Any]]
) -> int:
    """Saves the whole question list as the next version; earlier versions stay as they are."""
    version = (await latest_question_version(session, order_id=order_id) or 0) + 1
    for position, item in enumerate(items):
        session.add(
            OrderQualification(order_id=order_id, version=version, position=position, **item)
        )
    await session.flush()
    return version


async def assets(session: AsyncSession, *, order_id: int) -> list[OrderAsset]:
    query = select(OrderAsset).where(OrderAsset.order_id == order_id).order_by(OrderAsset.id)
    return list(await session.scalars(query))


async def asset_or_raise(session: AsyncSession, *, order_id: int, asset_id: int) -> OrderAsset:
    found = await session.get(OrderAsset, asset_id)
    if found is None or found.order_id != order_id:
        raise NotFound("Asset")
    return found


async def draft_facts(session: AsyncSession, *, order: Order) -> order_rules.DraftFacts:
    asset_count = await session.scalar(
        select(func.count()).select_from(OrderAsset).where(OrderAsset.order_id == order.id)
    )
    return order_rules.DraftFacts(
        kind=order.kind,
        has_audience=bool(order.audience.get("source")),
        lead_goal=order.lead_goal,
        pacing=order.pacing,
        question_version=await latest_question_version(session, order_id=order.id),
        asset_count=int(asset_count or 0),
        compliance_confirmed=order.compliance_confirmed,
    )


async def change_status(session: AsyncSession, *, order: Order, to: str) -> None:
    """Moves the order (engine rules), pins the question version at submission, and queues
    the webhooks and automation that follow, all in the caller's transaction."""
    before = order.status
    target = order_rules.transition(before, to)
    if target is order_rules.OrderStatus.SUBMITTED:
        gaps = order_rules.missing(await draft_facts(session, order=order))
        if gaps:
            raise ValidationFailed(gaps, "The order is not ready to submit.")
        order.submitted_at = utcnow()
        order.question_version = await latest_question_version(session, order_id=order.id)
    order.status = target.value
    await triggers.order_status_changed(session, order, before=before)


_SOURCES: dict[str, Any] = {"segment": Segment, "list": ContactList, "domain_set": DomainSet}


async def source_owned_by(session: AsyncSession, *, source: str, ref: int, client_id: int) -> bool:
    """True when a segment, list or domain set was made by a user of that client (a client
    may only snapshot its own: the agency's are not shared with clients)."""
    model = _SOURCES[source]
    query = select(User.client_id).join(model, model.owner_id == User.id).where(model.id == ref)
    owner: int | None = (await session.execute(query)).scalar()
    return owner == client_id


async def resolve_audience(
    session: AsyncSession, *, source: str, ref: Any
) -> tuple[dict[str, Any], Select[Any]]:
    """The definition to keep (what the source was at this moment) and its contact ids. A
    client's filter may not name a person (`filters.PERSONAL_FIELDS`)."""
    if source == "filter":
        node = await segments.check_filter(session, ref, path="filter")
        language.refuse_personal(node, "filter")
        return {"filter": ref}, filters.ids_query(node)
    if source == "segment":
        segment = await segments.get_segment_or_raise(session, segment_id=ref)
        definition = {"segment_id": ref, "name": segment.name, "filter": segment.definition}
        return definition, await segments.audience_ids(session, {"segment_id": ref})
    if source == "list":
        found = await segments.get_list_or_raise(session, list_id=ref)
        return {"list_id": ref, "name": found.name}, await segments.audience_ids(
            session, {"list_id": ref}
        )
    domain_set = await segments.get_domain_set_or_raise(session, domain_set_id=ref)
    definition = {"domain_set_id": ref, "name": domain_set.name, "domains": domain_set.domains}
    return definition, await segments.audience_ids(session, {"domain_set_id": ref})
