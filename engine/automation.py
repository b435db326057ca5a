"""Light automation: rules stored as data ("when <trigger> and <conditions> then <actions>"),
checked and matched here; store/ applies the actions in the triggering transaction."""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from engine.contacts import EmailVerification, PhoneStatus
from engine.errors import FieldError, ValidationFailed
from engine.orders import OrderStatus
from engine.qa import QaStatus


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


class FieldType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"  # an ISO day (YYYY-MM-DD); gt / lt compare with that day's start
    CHOICE = "choice"  # one of the field's choices
    BOOLEAN = "boolean"
    USER = "user"  # a user id
    SUBSCRIPTION = "subscription"  # a webhook subscription id (action parameters only)


_T, _N, _D, _C, _B, _U = (
    FieldType.TEXT,
    FieldType.NUMBER,
    FieldType.DATE,
    FieldType.CHOICE,
    FieldType.BOOLEAN,
    FieldType.USER,
)
# The operators that make sense on each type of field, in the order an editor offers them.
TYPE_OPERATORS: dict[FieldType, tuple[str, ...]] = {
    _T: ("eq", "ne", "contains", "in", "not_in", "changed"),
    _N: ("eq", "ne", "gt", "lt", "changed"),
    _D: ("gt", "lt", "changed"),
    _C: ("eq", "ne", "in", "not_in", "changed"),
    _B: ("eq", "changed"),
    _U: ("eq", "ne", "changed"),
}
OPERATOR_LABELS = {
    "eq": "is",
    "ne": "is not",
    "contains": "contains",
    "in": "is one of",
    "not_in": "is none of",
    "gt": "is more than",
    "lt": "is less than",
    "changed": "changed",
}
DATE_LABELS = {"gt": "is after", "lt": "is before"}


@dataclass(frozen=True)
class FactField:
    """A field of the event a condition may test: a column of the record, or an extra."""

    name: str
    type: FieldType
    choices: tuple[str, ...] = ()


def _choice(name: str, values: Iterable[str]) -> FactField:
    return FactField(name, _C, tuple(values))


_CAMPAIGN_STATUSES = ("draft", "scheduled", "running", "paused", "completed", "cancelled")
_CAMPAIGN_EVENTS = ("start", "pause", "resume", "stop")
# What conditions may test, per record: tests/store/test_automation_catalogue.py checks
# every name against the record's columns, so this list cannot drift from the models.
RECORD_FIELDS: dict[str, tuple[FactField, ...]] = {
    "contact": (
        *(FactField(n, _T) for n in ("full_name", "first_name", "last_name", "job_title")),
        *(FactField(n, _T) for n in ("department", "seniority_level", "email")),
        *(FactField(n, _T) for n in ("city", "state", "country", "timezone")),
        FactField("email_status", _T),  # written by several flows: no closed list
        _choice("email_verification_status", EmailVerification),
        _choice("phone_status", PhoneStatus),
        FactField("account_id", _N),
        FactField("owner_id", _U),
        FactField("consent_at", _D),
        FactField("created_at", _D),
    ),
    "account": (
        *(FactField(n, _T) for n in ("name", "domain", "industry", "employees_size_range")),
        *(FactField(n, _T) for n in ("hq_city", "hq_country", "sic_code", "naics_code")),
        *(FactField(n, _N) for n in ("annual_revenue", "staff_count", "year_founded")),
        FactField("owner_id", _U),
        FactField("created_at", _D),
    ),
    "campaign": (
        FactField("name", _T),
        _choice("kind", ("call", "email")),
        _choice("status", _CAMPAIGN_STATUSES),
        FactField("client_id", _N),
        FactField("owner_id", _U),
        FactField("schedule_start", _D),
        FactField("schedule_end", _D),
    ),
    "lead": (
        _choice("qa_status", QaStatus),
        FactField("campaign_id", _N),
        FactField("contact_id", _N),
        FactField("agent_id", _U),
        FactField("ai_score", _N),
        FactField("approved_at", _D),
    ),
    "order": (
        FactField("title", _T),
        _choice("kind", ("call", "email", "combo")),
        _choice("status", OrderStatus),
        FactField("client_id", _N),
        FactField("lead_goal", _N),
        FactField("compliance_confirmed", _B),
        FactField("notes", _T),
        FactField("created_by_id", _U),
        FactField("submitted_at", _D),
    ),
}
# Facts a trigger adds to its record's columns (store/triggers.py sets them).
EXTRA_FIELDS: dict[Trigger, tuple[FactField, ...]] = {
    Trigger.QA_DECIDED: (_choice("from_status", QaStatus),),
    Trigger.ORDER_STATUS_CHANGED: (_choice("from_status", OrderStatus),),
    Trigger.CAMPAIGN_EVENT: (_choice("event", _CAMPAIGN_EVENTS),),
}


def fields_of(trigger: Trigger) -> dict[str, FactField]:
    found = (*RECORD_FIELDS[RECORD_TYPE[trigger]], *EXTRA_FIELDS.get(trigger, ()))
    return {f.name: f for f in found}


@dataclass(frozen=True)
class Param:
    """A parameter of an action, typed like a field (a user, a subscription, a choice...)."""

    name: str
    type: FieldType
    choices: tuple[str, ...] = ()
    required: bool = True


def action_params(trigger: Trigger) -> dict[str, tuple[Param, ...]]:
    """The actions a rule on `trigger` may take, each with its parameters."""
    record_type = RECORD_TYPE[trigger]
    found: dict[str, tuple[Param, ...]] = {
        "notify": (Param("user_id", _U), Param("message", _T)),
    }
    if record_type in ASSIGNEE:
        found["assign"] = (Param("user_id", _U),)
    if UPDATABLE[record_type]:
        settable = tuple(sorted(UPDATABLE[record_type]))
        found["update_field"] = (Param("field", _C, settable), Param("value", _T, required=False))
    found["webhook"] = (Param("subscription_id", FieldType.SUBSCRIPTION),)
    return found


def catalogue() -> dict[str, Any]:
    """Every trigger with the fields its conditions may test (type, choices, operators) and
    the actions it may take (parameters): what a rule editor offers, as JSON."""

    def operators(kind: FieldType) -> list[dict[str, str]]:
        labels = {**OPERATOR_LABELS, **(DATE_LABELS if kind == _D else {})}
        return [{"op": op, "label": labels[op]} for op in TYPE_OPERATORS[kind]]

    def typed(item: FactField | Param) -> dict[str, Any]:
        return {"name": item.name, "type": item.type.value, "choices": list(item.choices)}

    return {
        "triggers": [
            {
                "trigger": trigger.value,
                "record_type": RECORD_TYPE[trigger],
                "fields": [
                    {**typed(f), "operators": operators(f.type)}
                    for f in fields_of(trigger).values()
                ],
                "actions": [
                    {
                        "type": kind,
                        "params": [{**typed(p), "required": p.required} for p in params],
                    }
                    for kind, params in action_params(trigger).items()
                ],
            }
            for trigger in Trigger
        ]
    }


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
    if "any" in condition:  # an OR group inside the rule's AND list
        return any(_holds(c, event) for c in condition["any"])
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
        known = Trigger(trigger)
    except ValueError:
        raise ValidationFailed([FieldError("trigger", f"Unknown trigger {trigger!r}.")]) from None
    record_type = RECORD_TYPE[known]
    errors = [
        e for i, c in enumerate(conditions) for e in _group_errors(f"conditions.{i}", c, known)
    ]
    errors += [e for i, a in enumerate(actions) for e in _action_errors(i, a, record_type)]
    if not actions:
        errors.append(FieldError("actions", "Give at least one action."))
    if errors:
        raise ValidationFailed(errors)


MAX_ANY = 20


def _group_errors(where: str, condition: Mapping[str, Any], trigger: Trigger) -> list[FieldError]:
    """A condition, or `{"any": [conditions]}`: holds when one of them does (one level)."""
    if "any" not in condition:
        return _condition_errors(where, condition, trigger)
    group = condition["any"]
    if len(condition) > 1 or not isinstance(group, list) or not 0 < len(group) <= MAX_ANY:
        return [FieldError(f"{where}.any", f"Give 1 to {MAX_ANY} conditions, and nothing else.")]
    return [
        e
        for j, c in enumerate(group)
        for e in (
            _condition_errors(f"{where}.any.{j}", c, trigger)
            if isinstance(c, Mapping)
            else [FieldError(f"{where}.any.{j}", "A condition is an object.")]
        )
    ]


def _condition_errors(
    where: str, condition: Mapping[str, Any], trigger: Trigger
) -> list[FieldError]:
    name, op = condition.get("field"), condition.get("op")
    if not isinstance(name, str) or not name:
        return [FieldError(f"{where}.field", "Name the field to test.")]
    if op not in OPERATORS:
        return [FieldError(f"{where}.op", f"One of: {', '.join(sorted(OPERATORS))}.")]
    fact = fields_of(trigger).get(name)
    if fact is None:
        known = ", ".join(fields_of(trigger))
        return [FieldError(f"{where}.field", f"A {trigger} rule can test: {known}.")]
    if op not in TYPE_OPERATORS[fact.type]:
        allowed = ", ".join(TYPE_OPERATORS[fact.type])
        return [FieldError(f"{where}.op", f"On a {fact.type} field use one of: {allowed}.")]
    if op == "changed":
        return []
    value = condition.get("value")
    if op in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            return [FieldError(f"{where}.value", "Give a list of values.")]
        if not all(_fits(fact, v) for v in value):
            return [FieldError(f"{where}.value", _expected(fact, many=True))]
    elif not _fits(fact, value):
        return [FieldError(f"{where}.value", _expected(fact, many=False))]
    return []


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _fits(fact: FactField, value: Any) -> bool:
    match fact.type:
        case FieldType.NUMBER:
            return isinstance(value, int | float) and not isinstance(value, bool)
        case FieldType.DATE:
            return isinstance(value, str) and _ISO_DAY.fullmatch(value) is not None
        case FieldType.CHOICE:
            return value in fact.choices
        case FieldType.BOOLEAN:
            return isinstance(value, bool)
        case FieldType.USER:
            return _is_id(value)
        case _:
            return isinstance(value, str) and len(value) <= 300


def _expected(fact: FactField, *, many: bool) -> str:
    what = {
        FieldType.NUMBER: "a number",
        FieldType.DATE: "a day as YYYY-MM-DD",
        FieldType.CHOICE: "one of " + ", ".join(fact.choices),
        FieldType.BOOLEAN: "true or false",
        FieldType.USER: "a user id",
    }.get(fact.type, "text of at most 300 characters")
    return f"Give a list, each {what}." if many else f"Give {what}."


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
