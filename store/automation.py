"""Automation rules and notifications: rules are matched by engine/automation and their
actions applied here, inside the transaction of the change that triggered them."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, inspect, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from engine import automation
from engine.errors import FieldError, NotFound, ValidationFailed
from store import hooks
from store.models import (
    AutomationRule,
    Base,
    Notification,
    User,
    WebhookSubscription,
    utcnow,
)


def rules_query(*, trigger: str | None) -> Select[Any]:
    query = select(AutomationRule)
    return query.where(AutomationRule.trigger == trigger) if trigger else query


async def get_rule_or_raise(session: AsyncSession, *, rule_id: int) -> AutomationRule:
    found = await session.get(AutomationRule, rule_id)
    if found is None:
        raise NotFound("Automation rule")
    return found


async def check_rule(
    session: AsyncSession, trigger: str, conditions: list[Any], actions: list[Any]
) -> None:
    """The rule's shape (engine), then that the users and subscriptions it names exist."""
    automation.check(trigger, conditions, actions)
    errors = []
    for i, action in enumerate(actions):
        if "user_id" in action and await session.get(User, action["user_id"]) is None:
            errors.append(FieldError(f"actions.{i}.user_id", "No such user."))
        sub_id = action.get("subscription_id")
        if sub_id and await session.get(WebhookSubscription, sub_id) is None:
            errors.append(FieldError(f"actions.{i}.subscription_id", "No such subscription."))
    if errors:
        raise ValidationFailed(errors)


def notifications_query(*, user_id: int, unread: bool) -> Select[Any]:
    query = select(Notification).where(Notification.user_id == user_id)
    return query.where(Notification.read_at.is_(None)) if unread else query


async def mark_read(session: AsyncSession, *, user_id: int, notification_id: int) -> Notification:
    found = await session.get(Notification, notification_id)
    if found is None or found.user_id != user_id:
        raise NotFound("Notification")
    await session.execute(
        update(Notification)
        .where(Notification.id == found.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    await session.refresh(found)
    return found


# --- evaluation ----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def facts(record: Base) -> dict[str, Any]:
    """The record's columns as JSON-ready values: what conditions test and webhooks carry."""
    return {c.key: _plain(getattr(record, c.key)) for c in inspect(record).mapper.column_attrs}


def pending_changes(record: Base) -> frozenset[str]:
    """The columns set on this record since it was loaded (before the flush)."""
    state = inspect(record)
    return frozenset(
        attr.key for attr in state.attrs if attr.history.added and attr.history.has_changes()
    )


async def fire(session: AsyncSession, event: automation.Event, record: Base) -> int:
    """Runs every matching rule's actions on `record`; the number of actions applied."""
    query = select(AutomationRule).where(
        AutomationRule.trigger == event.trigger.value, AutomationRule.active.is_(True)
    )
    applied = 0
    with session.no_autoflush:  # the caller flushes the change itself (e.g. in a savepoint)
        rules = [
            automation.Rule(r.id, r.trigger, r.conditions, r.actions)
            for r in await session.scalars(query)
        ]
        for planned in automation.plan(rules, event):
            applied += await _apply(session, planned, event, record)
    return applied


async def _apply(
    session: AsyncSession, planned: automation.Planned, event: automation.Event, record: Base
) -> int:
    """One action. A user or subscription deleted since the rule was saved skips it:
    a stale rule must never make the change that triggered it fail."""
    action = planned.action
    kind, user_id = action["type"], action.get("user_id")
    if kind in ("notify", "assign") and await session.get(User, user_id) is None:
        return 0
    if kind == "notify":
        session.add(
            Notification(
                user_id=user_id,
                message=str(action["message"])[:1000],
                record_type=event.record_type,
                record_id=event.record_id,
                rule_id=planned.rule_id,
            )
        )
    elif kind == "assign":
        setattr(record, automation.ASSIGNEE[event.record_type], user_id)
    elif kind == "update_field":
        setattr(record, action["field"], action.get("value"))
    else:
        data = {
            "rule_id": planned.rule_id,
            "trigger": event.trigger.value,
            "record_type": event.record_type,
            "record_id": event.record_id,
            "record": dict(event.facts),
        }
        return int(
            await hooks.enqueue_to(session, subscription_id=action["subscription_id"], data=data)
        )
    return 1
