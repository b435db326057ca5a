"""Light automation: rules stored as data ("when <trigger> and <conditions> then <actions>"),
checked and matched here; store/ applies the actions in the triggering transaction."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from engine.errors import FieldError, ValidationFailed


class Trigger(StrEnum):
    CONTACT_UPDATED = "contact.updated"
    ACCOUNT_UPDATED = "account.updated"
    CAMPAIGN_EVENT = "campaign.event"
    QA_DECIDED = "qa.decided"
    ORDER_STATUS_CHANGED = "order.status_changed"


# The record each trigger is about: what "assign" and "update_field" act on.
RECORD_TYPE = {
    Trigger.CONTACT_UPDATED: "contact",
    Trigger.ACCOUNT_UPDATED: "account",
    Trigger.CAMPAIGN_EVENT: "campaign",
    Trigger.QA_DECIDED: "lead",
    Trigger.ORDER_STATUS_CHANGED: "order",
}
# The column that "assign" sets, for the records that have an owner.
ASSIGNEE = {"contact": "owner_id", "account": "owner_id", "campaign": "owner_id"}
# The fields "update_field" may set: plain text columns, never ids, statuses or contact data.
UPDATABLE = {
    "contact": frozenset({"job_title", "department", "seniority_level"}),
    "account": frozenset({"industry", "employees_size_range", "description"}),
    "campaign": frozenset(),
    "lead": frozenset(),
    "order": frozenset({"notes"}),
}
OPERATORS = frozenset({"eq", "ne", "in", "not_in", "contains", "gt", "lt", "changed"})
ACTIONS = frozenset({"notify", "assign", "update_field", "webhook"})


@dataclass(frozen=True)
class Event:
    """What happened: the record after the change, and which of its fields changed."""

    trigger: Trigger
    record_id: int
    facts: Mapping[str, Any]
    changed: frozenset[str] = field(default_factory=frozenset)

    @property
    def record_type(self) -> str:
        return RECORD_TYPE[self.trigger]


@dataclass(frozen=True)
class Rule:
    id: int
    trigger: str
    conditions: Sequence[Mapping[str, Any]]
    actions: Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class Planned:
    rule_id: int
    action: Mapping[str, Any]


def _holds(condition: Mapping[str, Any], event: Event) -> bool:
    name, op, expected = condition["field"], condition["op"], condition.get("value")
    if op == "changed":
        return name in event.changed
    actual = event.facts.get(name)
    try:
        match op:
            case "eq":
                return bool(actual == expected)
            case "ne":
                return bool(actual != expected)
            case "in":
                return actual in (expected or ())
            case "not_in":
                return actual not in (expected or ())
            case "contains":
                return str(expected).casefold() in str(actual or "").casefold()
            case "gt":
                return actual is not None and actual > expected
            case _:
                return actual is not None and actual < expected
    except TypeError:  # e.g. a number compared with text: the condition does not hold
        return False


def plan(rules: Iterable[Rule], event: Event) -> list[Planned]:
    """The actions of every rule for this trigger whose conditions all hold, in rule order."""
    return [
        Planned(rule.id, action)
        for rule in sorted(rules, key=lambda r: r.id)
        if rule.trigger == event.trigger and all(_holds(c, event) for c in rule.conditions)
        for action in rule.actions
    ]


def check(
    trigger: str, conditions: Sequence[Mapping[str, Any]], actions: Sequence[Mapping[str, Any]]
) -> None:
    """Refuses a rule that could never run as written (422 naming each bad part)."""
    try:
        record_type = RECORD_TYPE[Trigger(trigger)]
    except ValueError:
        raise ValidationFailed([FieldError("trigger", f"Unknown trigger {trigger!r}.")]) from None
    errors = [e for i, c in enumerate(conditions) for e in _condition_errors(i, c)]
    errors += [e for i, a in enumerate(actions) for e in _action_errors(i, a, record_type)]
    if not actions:
        errors.append(FieldError("actions", "Give at least one action."))
    if errors:
        raise ValidationFailed(errors)


def _condition_errors(i: int, condition: Mapping[str, Any]) -> list[FieldError]:
    where = f"conditions.{i}"
    if not isinstance(condition.get("field"), str) or not condition["field"]:
        return [FieldError(f"{where}.field", "Name the field to test.")]
    if condition.get("op") not in OPERATORS:
        return [FieldError(f"{where}.op", f"One of: {', '.join(sorted(OPERATORS))}.")]
    if condition["op"] in ("in", "not_in") and not isinstance(condition.get("value"), list):
        return [FieldError(f"{where}.value", "Give a list of values.")]
    return []


def _action_errors(i: int, action: Mapping[str, Any], record_type: str) -> list[FieldError]:
    where, kind = f"actions.{i}", action.get("type")
    if kind not in ACTIONS:
        return [FieldError(f"{where}.type", f"One of: {', '.join(sorted(ACTIONS))}.")]
    if kind in ("notify", "assign") and not _is_id(action.get("user_id")):
        return [FieldError(f"{where}.user_id", "Name the user by id.")]
    if kind == "notify" and not str(action.get("message") or "").strip():
        return [FieldError(f"{where}.message", "Write the notification's message.")]
    if kind == "assign" and record_type not in ASSIGNEE:
        return [FieldError(f"{where}.type", f"A {record_type} cannot be assigned.")]
    if kind == "update_field" and action.get("field") not in UPDATABLE[record_type]:
        allowed = ", ".join(sorted(UPDATABLE[record_type])) or "none"
        return [
            FieldError(f"{where}.field", f"Fields a rule may set on a {record_type}: {allowed}.")
        ]
    value = action.get("value")
    if kind == "update_field" and not (
        value is None or (isinstance(value, str) and len(value) <= 300)
    ):
        return [FieldError(f"{where}.value", "Give text of at most 300 characters, or null.")]
    if kind == "webhook" and not _is_id(action.get("subscription_id")):
        return [FieldError(f"{where}.subscription_id", "Name the webhook subscription by id.")]
    return []


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63
