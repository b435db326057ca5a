"""The audience filter language: nested AND/OR groups of typed conditions on whitelisted fields.

A filter arrives as JSON:

    {"op": "and", "conditions": [
        {"field": "contact.job_title", "operator": "contains", "value": "cto"},
        {"op": "or", "conditions": [...]}]}

`validate` checks it against the whitelist below (plus the custom field definitions) and
returns a tree of frozen dataclasses with normalised values; `store/filters.py` compiles that
tree to SQL. Nothing here knows SQL: a field only names the model attribute it reads.
"""

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Literal

from engine.custom_fields import FieldSpec
from engine.errors import FieldError, ValidationFailed

MAX_DEPTH = 5  # nesting of groups, root included
MAX_CONDITIONS = 100  # conditions in the whole filter
MAX_IN_VALUES = 10_000  # values of one in / not_in (a domain set becomes one of these)
MAX_TOTAL_VALUES = 20_000  # all values of a filter: both databases cap bound parameters ~32k
MAX_TEXT = 500
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class FieldType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    ENUM = "enum"
    LIST = "list"
    BOOLEAN = "boolean"


class Operator(StrEnum):
    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    CONTAINS = "contains"
    STARTS_WITH = "starts_with"
    ENDS_WITH = "ends_with"
    IN = "in"
    NOT_IN = "not_in"
    IS_EMPTY = "is_empty"
    HAS_VALUE = "has_value"
    GT = "gt"
    LT = "lt"
    BETWEEN = "between"
    BEFORE = "before"
    AFTER = "after"


Op = Operator
_PRESENCE = {Op.IS_EMPTY, Op.HAS_VALUE}
OPERATORS: dict[FieldType, frozenset[Operator]] = {
    FieldType.TEXT: frozenset(
        {Op.EQUALS, Op.NOT_EQUALS, Op.CONTAINS, Op.STARTS_WITH, Op.ENDS_WITH, Op.IN, Op.NOT_IN}
        | _PRESENCE
    ),
    FieldType.NUMBER: frozenset(
        {Op.EQUALS, Op.NOT_EQUALS, Op.IN, Op.NOT_IN, Op.GT, Op.LT, Op.BETWEEN} | _PRESENCE
    ),
    FieldType.DATE: frozenset(
        {Op.EQUALS, Op.NOT_EQUALS, Op.BEFORE, Op.AFTER, Op.BETWEEN} | _PRESENCE
    ),
    FieldType.ENUM: frozenset({Op.EQUALS, Op.NOT_EQUALS, Op.IN, Op.NOT_IN} | _PRESENCE),
    # On a list field: contains = has this element, in = has any of, not_in = has none of.
    FieldType.LIST: frozenset({Op.CONTAINS, Op.IN, Op.NOT_IN} | _PRESENCE),
    FieldType.BOOLEAN: frozenset({Op.EQUALS} | _PRESENCE),
}
# Operators that hold for a row without a value (store/ must keep NULL rows for these).
MATCHES_EMPTY = frozenset({Op.IS_EMPTY, Op.NOT_EQUALS, Op.NOT_IN})

Entity = Literal["contact", "account"]


@dataclass(frozen=True)
class Field:
    """A filterable field: its public name, where it lives and how its values are typed."""

    name: str
    entity: Entity
    column: str
    type: FieldType
    options: tuple[str, ...] = ()
    custom_key: str | None = None
    lowercase: bool = False  # stored lower-cased, so values are lower-cased too


@dataclass(frozen=True)
class Condition:
    field: Field
    operator: Operator
    value: Any = None  # str | float | date | bool | tuple of those | None, per operator


@dataclass(frozen=True)
class Group:
    op: Literal["and", "or"]
    conditions: tuple["Node", ...]


Node = Group | Condition

_T, _N, _D, _E, _L = (
    FieldType.TEXT,
    FieldType.NUMBER,
    FieldType.DATE,
    FieldType.ENUM,
    FieldType.LIST,
)
_VERIFICATION = ("unverified", "valid", "invalid", "risky", "bounced")
_CONSENT = ("consent", "legitimate_interest", "contract", "legal_obligation", "none")


def _fields(entity: Entity, spec: Iterable[tuple[str, FieldType]]) -> dict[str, Field]:
    return {f"{entity}.{n}": Field(f"{entity}.{n}", entity, n, t) for n, t in spec}


FIELDS: dict[str, Field] = {
    **_fields(
        "contact",
        [
            ("first_name", _T),
            ("last_name", _T),
            ("full_name", _T),
            ("job_title", _T),
            ("seniority_level", _T),
            ("department", _T),
            ("city", _T),
            ("state", _T),
            ("postal_code", _T),
            ("country", _T),
            ("timezone", _T),
            ("direct_phone_e164", _T),
            ("mobile_phone_e164", _T),
            ("intent_topics", _L),
            ("consent_at", _D),
            ("created_at", _D),
            ("updated_at", _D),
        ],
    ),
    "contact.email": Field("contact.email", "contact", "email", _T, lowercase=True),
    # email_status is written by several flows (bounces, unsubscribes): no closed option list.
    "contact.email_status": Field("contact.email_status", "contact", "email_status", _E),
    "contact.email_verification_status": Field(
        "contact.email_verification_status",
        "contact",
        "email_verification_status",
        _E,
        _VERIFICATION,
    ),
    "contact.phone_status": Field(
        "contact.phone_status", "contact", "phone_status", _E, ("valid", "invalid", "missing")
    ),
    "contact.consent_basis": Field(
        "contact.consent_basis", "contact", "consent_basis", _E, _CONSENT
    ),
    **_fields(
        "account",
        [
            ("name", _T),
            ("industry", _T),
            ("employees_size_range", _T),
            ("hq_city", _T),
            ("hq_state", _T),
            ("hq_country", _T),
            ("sic_code", _T),
            ("naics_code", _T),
            ("annual_revenue", _N),
            ("staff_count", _N),
            ("year_founded", _N),
            ("intent_topics", _L),
            ("tech_stack", _L),
            ("created_at", _D),
        ],
    ),
    "account.domain": Field("account.domain", "account", "domain", _T, lowercase=True),
}
_CUSTOM_TYPES = {
    "text": _T,
    "number": _N,
    "boolean": FieldType.BOOLEAN,
    "date": _D,
    "select": _E,
    "multi_select": _L,
}


def custom_field(entity: Entity, spec: FieldSpec) -> Field:
    return Field(
        f"{entity}.custom.{spec.key}",
        entity,
        "custom_fields",
        _CUSTOM_TYPES[spec.field_type],
        spec.options,
        custom_key=spec.key,
    )


def field_catalogue(custom: Mapping[str, Sequence[FieldSpec]] | None = None) -> dict[str, Field]:
    """Every field a filter may use: the whitelist plus the custom fields passed in."""
    catalogue = dict(FIELDS)
    for entity in ("contact", "account"):
        for spec in (custom or {}).get(entity, ()):
            field = custom_field(entity, spec)
            catalogue[field.name] = field
    return catalogue


# --- validation ----------------------------------------------------------------------------


class _Checker:
    """Walks the raw tree once, collecting every error with its path."""

    def __init__(self, catalogue: dict[str, Field]) -> None:
        self.catalogue = catalogue
        self.errors: list[FieldError] = []
        self.conditions = 0
        self.values = 0

    def fail(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def node(self, raw: Any, path: str, depth: int) -> Node | None:
        if not isinstance(raw, dict):
            self.fail(path, "Expected a group or a condition object.")
            return None
        if "op" in raw or "conditions" in raw:
            return self.group(raw, path, depth)
        return self.condition(raw, path)

    def group(self, raw: dict[str, Any], path: str, depth: int) -> Group | None:
        extra = set(raw) - {"op", "conditions"}
        if extra:
            self.fail(path, f"Unknown keys: {', '.join(sorted(map(str, extra)))}.")
        if depth > MAX_DEPTH:
            self.fail(path, f"Groups nest at most {MAX_DEPTH} deep.")
            return None
        op = raw.get("op")
        if op not in ("and", "or"):
            self.fail(_join(path, "op"), "Expected 'and' or 'or'.")
        items = raw.get("conditions")
        if not isinstance(items, list):
            self.fail(_join(path, "conditions"), "Expected a list of conditions.")
            return None
        if not items and depth > 1:
            self.fail(_join(path, "conditions"), "A nested group needs at least one condition.")
        children = [
            self.node(item, _join(path, f"conditions.{i}"), depth + 1)
            for i, item in enumerate(items)
        ]
        if op not in ("and", "or") or any(c is None for c in children):
            return None
        return Group(op, tuple(c for c in children if c is not None))

    def condition(self, raw: dict[str, Any], path: str) -> Condition | None:
        self.conditions += 1
        if self.conditions == MAX_CONDITIONS + 1:
            self.fail(path, f"A filter has at most {MAX_CONDITIONS} conditions.")
        extra = set(raw) - {"field", "operator", "value"}
        if extra:
            self.fail(path, f"Unknown keys: {', '.join(sorted(map(str, extra)))}.")
            return None
        name, operator_name = raw.get("field"), raw.get("operator")
        field = self.catalogue.get(name) if isinstance(name, str) else None
        if field is None:
            self.fail(_join(path, "field"), f"Unknown field {name!r}.")
            return None
        try:
            operator = Operator(str(operator_name))
        except ValueError:
            self.fail(_join(path, "operator"), f"Unknown operator {operator_name!r}.")
            return None
        if operator not in OPERATORS[field.type]:
            allowed = ", ".join(sorted(OPERATORS[field.type]))
            self.fail(
                _join(path, "operator"),
                f"{operator} does not apply to {field.type} field {field.name}; use {allowed}.",
            )
            return None
        try:
            value = _value(field, operator, raw.get("value"))
        except ValueError as exc:
            self.fail(_join(path, "value"), str(exc))
            return None
        self.values += len(value) if isinstance(value, tuple) else 1
        if self.values > MAX_TOTAL_VALUES:
            self.fail(_join(path, "value"), f"A filter has at most {MAX_TOTAL_VALUES} values.")
            return None
        return Condition(field, operator, value)


def _join(path: str, part: str) -> str:
    return f"{path}.{part}" if path else part


def validate(
    raw: Any, *, custom: Mapping[str, Sequence[FieldSpec]] | None = None, path: str = ""
) -> Group:
    """The checked filter; every problem at once as a `ValidationFailed` with field paths.

    A lone condition at the root is read as a group of one; an empty root group matches all.
    """
    checker = _Checker(field_catalogue(custom))
    if isinstance(raw, dict) and "field" in raw and "op" not in raw:
        raw = {"op": "and", "conditions": [raw]}
    node = checker.node(raw, path, depth=1)
    if checker.errors or not isinstance(node, Group):
        raise ValidationFailed(checker.errors or [FieldError(path or "filter", "Not a filter.")])
    return node


# Fields that single out a person. A client may not filter on them (nor on contact custom
# fields): the count would tell whether someone is in the agency's database.
PERSONAL_FIELDS = frozenset(
    {
        "contact.first_name",
        "contact.last_name",
        "contact.full_name",
        "contact.email",
        "contact.direct_phone_e164",
        "contact.mobile_phone_e164",
        "contact.postal_code",
    }
)


def refuse_personal(node: Node, path: str) -> None:
    """Raises `ValidationFailed` naming every condition on a field that identifies a person."""
    errors = list(_personal(node, path))
    if errors:
        raise ValidationFailed(errors)


def _personal(node: Node, path: str) -> Iterator[FieldError]:
    if isinstance(node, Group):
        for i, child in enumerate(node.conditions):
            yield from _personal(child, _join(path, f"conditions.{i}"))
    elif node.field.name in PERSONAL_FIELDS or (
        node.field.entity == "contact" and node.field.custom_key is not None
    ):
        yield FieldError(
            _join(path, "field"),
            f"{node.field.name} identifies a person: filter on the company, role or region.",
        )


# --- values --------------------------------------------------------------------------------


def _value(field: Field, operator: Operator, raw: Any) -> Any:
    if operator in _PRESENCE:
        if raw is not None:
            raise ValueError(f"{operator} takes no value.")
        return None
    if operator is Op.BETWEEN:
        if not isinstance(raw, list) or len(raw) != 2:
            raise ValueError("Expected [low, high].")
        low, high = _scalar(field, raw[0]), _scalar(field, raw[1])
        if low > high:
            raise ValueError("The low end is above the high end.")
        return (low, high)
    if operator in (Op.IN, Op.NOT_IN):
        if not isinstance(raw, list) or not raw:
            raise ValueError("Expected a non-empty list of values.")
        if len(raw) > MAX_IN_VALUES:
            raise ValueError(f"At most {MAX_IN_VALUES} values.")
        return tuple(dict.fromkeys(_scalar(field, item) for item in raw))
    value = _scalar(field, raw)
    if operator in (Op.CONTAINS, Op.STARTS_WITH, Op.ENDS_WITH) and value == "":
        raise ValueError(f"{operator} needs a non-empty text.")
    return value


def _scalar(field: Field, raw: Any) -> Any:
    """One value of the field's type (for a list field: one element), normalised."""
    match field.type:
        case FieldType.TEXT | FieldType.LIST:
            if not isinstance(raw, str):
                raise ValueError("Expected text.")
            if len(raw) > MAX_TEXT:
                raise ValueError(f"At most {MAX_TEXT} characters.")
            return raw.strip().lower() if field.lowercase else raw.strip()
        case FieldType.NUMBER:
            if isinstance(raw, bool) or not isinstance(raw, int | float):
                raise ValueError("Expected a number.")
            return raw
        case FieldType.DATE:
            if not isinstance(raw, str) or not _ISO_DATE.fullmatch(raw):
                raise ValueError("Expected a date as YYYY-MM-DD.")
            try:
                return date.fromisoformat(raw)
            except ValueError:
                raise ValueError(f"{raw} is not a calendar date.") from None
        case FieldType.ENUM:
            if not isinstance(raw, str) or (field.options and raw not in field.options):
                known = f" one of {', '.join(field.options)}" if field.options else " text"
                raise ValueError(f"Expected{known}.")
            return raw
        case FieldType.BOOLEAN:
            if not isinstance(raw, bool):
                raise ValueError("Expected true or false.")
            return raw
    raise ValueError(f"Unknown field type {field.type!r}.")


# --- helpers for callers -------------------------------------------------------------------


def to_json(node: Node) -> dict[str, Any]:
    """The normalised filter as JSON (what a segment stores)."""
    if isinstance(node, Group):
        return {"op": node.op, "conditions": [to_json(c) for c in node.conditions]}
    out: dict[str, Any] = {"field": node.field.name, "operator": str(node.operator)}
    if node.value is not None:
        out["value"] = _json_value(node.value)
    return out


def _json_value(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


def fields_used(node: Node) -> set[Field]:
    if isinstance(node, Condition):
        return {node.field}
    return set().union(*(fields_used(c) for c in node.conditions))


def uses_account(node: Node) -> bool:
    return any(f.entity == "account" for f in fields_used(node))


def domains_filter(domains: Sequence[str]) -> dict[str, Any]:
    """The filter of a domain set: contacts whose account's domain is one of these."""
    return {
        "op": "and",
        "conditions": [{"field": "account.domain", "operator": "in", "value": list(domains)}],
    }
