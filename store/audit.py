"""The audit log: critical actions and downloads, written in the caller's transaction."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import AuditEntry


@dataclass(frozen=True)
class Actor:
    """Who acted: a user, an API key (with the user who made it), and from where."""

    user_id: int | None
    api_key_id: int | None = None
    ip: str | None = None


def record(
    session: AsyncSession,
    *,
    action: str,
    by: Actor,
    target_type: str | None = None,
    target_id: object = None,
    data: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEntry(
            action=action,
            actor_id=by.user_id,
            api_key_id=by.api_key_id,
            target_type=target_type,
            target_id=None if target_id is None else str(target_id),
            ip=by.ip,
            data=data or {},
        )
    )


def entries_query(
    *,
    action: str | None,
    actor_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Select[Any]:
    """Entries matching every filter given: an action, or a family of them (`campaign.`),
    the acting user, and `since <= created_at < until`."""
    query = select(AuditEntry)
    if action:
        exact = AuditEntry.action == action
        family = AuditEntry.action.startswith(action, autoescape=True)
        query = query.where(family if action.endswith(".") else exact)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if since is not None:
        query = query.where(AuditEntry.created_at >= since)
    if until is not None:
        query = query.where(AuditEntry.created_at < until)
    return query
