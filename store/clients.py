"""Client organisations: the customers whose users work in the client portal."""

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from engine.errors import Conflict, NotFound
from store import audit
from store.models import Campaign, Client, Order, User


def _count(model: Any) -> Any:
    """How many rows of `model` belong to the client of the outer query (an indexed key)."""
    return (
        select(func.count())
        .select_from(model)
        .where(model.client_id == Client.id)
        .correlate(Client)
        .scalar_subquery()
    )


def clients_query(*, q: str | None = None) -> Select[Any]:
    """Each client with its user, order and campaign counts; `q` is a piece of the name."""
    query = select(
        Client,
        _count(User).label("user_count"),
        _count(Order).label("order_count"),
        _count(Campaign).label("campaign_count"),
    )
    if q:
        query = query.where(func.lower(Client.name).contains(q.lower(), autoescape=True))
    return query


async def get_or_raise(session: AsyncSession, *, client_id: int) -> Client:
    client = await session.get(Client, client_id)
    if client is None:
        raise NotFound("Client")
    return client


async def read_or_raise(session: AsyncSession, *, client_id: int) -> Any:
    """The client's row of `clients_query` (the client, then its counts)."""
    row = (await session.execute(clients_query().where(Client.id == client_id))).first()
    if row is None:
        raise NotFound("Client")
    return row


async def is_active(session: AsyncSession, *, client_id: int | None) -> bool:
    """Whether a login tied to this client may act (staff logins are tied to none)."""
    if client_id is None:
        return True
    return bool(await session.scalar(select(Client.is_active).where(Client.id == client_id)))


async def _save(session: AsyncSession, client: Client) -> None:
    """Flush in a savepoint: a name taken whatever its case (the unique index on lower(name)
    decides, also between two concurrent requests) is a 409 on `name`, never a 500."""
    try:
        async with session.begin_nested():
            session.add(client)
            await session.flush()
    except IntegrityError as exc:
        raise Conflict("A client with this name already exists.", "name") from exc


async def create(
    session: AsyncSession, *, name: str, contact_email: str | None, by: audit.Actor
) -> Client:
    client = Client(name=name, contact_email=contact_email, is_active=True)
    await _save(session, client)
    audit.record(
        session,
        action="client.create",
        by=by,
        target_type="client",
        target_id=client.id,
        data={"name": name},
    )
    return client


async def update(
    session: AsyncSession, *, client: Client, changes: dict[str, Any], by: audit.Actor
) -> None:
    """Renames, changes the contact email and (de)activates; each change that happens is
    audited as its own action (client.rename, client.deactivate, client.reactivate,
    client.contact_email)."""
    entries: list[tuple[str, dict[str, Any]]] = []
    if "name" in changes and changes["name"] != client.name:
        entries.append(("client.rename", {"from": client.name, "to": changes["name"]}))
        client.name = changes["name"]
    if "contact_email" in changes and changes["contact_email"] != client.contact_email:
        entries.append(("client.contact_email", {"contact_email": changes["contact_email"]}))
        client.contact_email = changes["contact_email"]
    if "is_active" in changes and changes["is_active"] != client.is_active:
        client.is_active = changes["is_active"]
        entries.append((f"client.{'reactivate' if client.is_active else 'deactivate'}", {}))
    await _save(session, client)
    for action, data in entries:
        audit.record(
            session, action=action, by=by, target_type="client", target_id=client.id, data=data
        )
