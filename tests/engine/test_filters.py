from datetime import date
from typing import Any

import pytest

from engine import filters
from engine.custom_fields import FieldSpec
from engine.errors import ValidationFailed
from engine.filters import Condition, FieldType, Group, Operator

CUSTOM = {"contact": [FieldSpec("seats", "number"), FieldSpec("tags", "multi_select", ("a",))]}


def errors(raw: Any, **kwargs: Any) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        filters.validate(raw, custom=CUSTOM, **kwargs)
    return {e.field: e.message for e in caught.value.errors}


def group(*conditions: Any, op: str = "and") -> dict[str, Any]:
    return {"op": op, "conditions": list(conditions)}


def test_a_valid_filter_becomes_a_typed_tree_with_normalised_values() -> None:
    node = filters.validate(
        group(
            {"field": "contact.email", "operator": "ends_with", "value": " @ACME.com "},
            group(
                {
                    "field": "contact.created_at",
                    "operator": "between",
                    "value": ["2024-01-01", "2024-02-01"],
                },
                {"field": "contact.custom.seats", "operator": "in", "value": [1, 2, 2]},
                op="or",
            ),
        ),
        custom=CUSTOM,
    )
    email, inner = node.conditions
    assert isinstance(email, Condition) and email.value == "@acme.com"
    assert isinstance(inner, Group) and inner.op == "or"
    dates, seats = inner.conditions
    assert isinstance(dates, Condition) and dates.value == (date(2024, 1, 1), date(2024, 2, 1))
    assert isinstance(seats, Condition) and seats.value == (1, 2)
    assert seats.field.custom_key == "seats" and seats.field.type is FieldType.NUMBER
    assert filters.to_json(node)["conditions"][1]["conditions"][0]["value"] == [
        "2024-01-01",
        "2024-02-01",
    ]
    assert not filters.uses_account(node)


def test_a_lone_condition_is_a_group_of_one_and_an_empty_root_matches_all() -> None:
    node = filters.validate({"field": "account.industry", "operator": "has_value"})
    assert node.op == "and" and len(node.conditions) == 1
    assert filters.uses_account(node)
    assert filters.validate(group()).conditions == ()


@pytest.mark.parametrize(
    ("field", "operator"),
    [
        ("contact.job_title", "gt"),
        ("contact.job_title", "before"),
        ("account.annual_revenue", "contains"),
        ("account.annual_revenue", "after"),
        ("contact.created_at", "gt"),
        ("contact.created_at", "contains"),
        ("contact.phone_status", "starts_with"),
        ("contact.intent_topics", "equals"),
        ("contact.custom.tags", "between"),
    ],
)
def test_operators_must_fit_the_field_type(field: str, operator: str) -> None:
    found = errors(group({"field": field, "operator": operator, "value": "x"}))
    assert "does not apply" in found["conditions.0.operator"]


@pytest.mark.parametrize(
    ("field", "operator", "value", "message"),
    [
        ("contact.job_title", "equals", 3, "Expected text."),
        ("contact.job_title", "contains", "", "non-empty"),
        ("contact.job_title", "is_empty", "x", "takes no value"),
        ("contact.job_title", "in", [], "non-empty list"),
        ("contact.job_title", "in", "cto", "non-empty list"),
        ("contact.job_title", "equals", "x" * 501, "At most 500"),
        ("account.annual_revenue", "gt", "10", "Expected a number."),
        ("account.annual_revenue", "gt", True, "Expected a number."),
        ("account.annual_revenue", "between", [5, 1], "low end"),
        ("account.annual_revenue", "between", [1], "[low, high]"),
        ("contact.created_at", "before", "01/02/2024", "YYYY-MM-DD"),
        ("contact.created_at", "before", "2024-02-30", "not a calendar date"),
        ("contact.phone_status", "equals", "maybe", "one of valid"),
        ("contact.custom.seats", "lt", "many", "Expected a number."),
    ],
)
def test_bad_values_name_the_value_path(
    field: str, operator: str, value: Any, message: str
) -> None:
    raw = group(
        {"field": "contact.first_name", "operator": "has_value"},
        {"field": field, "operator": operator, "value": value},
    )
    assert message in errors(raw)["conditions.1.value"]


def test_every_error_comes_back_at_once_with_nested_paths_and_a_prefix() -> None:
    raw = group(
        {"field": "contact.password", "operator": "equals", "value": "x"},
        group({"field": "contact.job_title", "operator": "like", "value": "x"}, op="xor"),
        {"field": "contact.job_title", "operator": "equals", "value": "x", "sql": "1=1"},
        "text",
    )
    found = errors(raw, path="filter")
    assert set(found) == {
        "filter.conditions.0.field",
        "filter.conditions.1.op",
        "filter.conditions.1.conditions.0.operator",
        "filter.conditions.2",
        "filter.conditions.3",
    }


def test_custom_fields_are_known_only_through_their_definitions() -> None:
    cond = {"field": "contact.custom.seats", "operator": "gt", "value": 1}
    assert (
        "Unknown field"
        in errors(group({**cond, "field": "contact.custom.nope"}))["conditions.0.field"]
    )
    with pytest.raises(ValidationFailed):
        filters.validate(group(cond))  # no definitions passed
    assert filters.validate(group(cond), custom=CUSTOM).conditions


def test_depth_size_and_value_limits() -> None:
    leaf: dict[str, Any] = {"field": "contact.city", "operator": "has_value"}
    deep: dict[str, Any] = leaf
    for _ in range(filters.MAX_DEPTH):
        deep = group(deep)
    filters.validate(deep)
    assert any("nest" in m for m in errors(group(deep)).values())
    assert any(
        "at most" in m for m in errors(group(*[leaf] * (filters.MAX_CONDITIONS + 1))).values()
    )
    many = {"field": "contact.city", "operator": "in", "value": ["x"] * (filters.MAX_IN_VALUES + 1)}
    assert "At most" in errors(group(many))["conditions.0.value"]
    assert "at least one" in errors(group(group()))["conditions.0.conditions"]


def test_operator_table_covers_every_type() -> None:
    assert set(filters.OPERATORS) == set(FieldType)
    assert set().union(*filters.OPERATORS.values()) == set(Operator)


def test_domains_filter_round_trips() -> None:
    node = filters.validate(filters.domains_filter(["Acme.com", "b.io"]))
    (cond,) = node.conditions
    assert isinstance(cond, Condition) and cond.value == ("acme.com", "b.io")
