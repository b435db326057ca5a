"""Filters compiled to SQL select the same contacts on SQLite and PostgreSQL."""

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine import filters as language
from engine.custom_fields import FieldSpec
from store import filters
from store.models import Account, Contact

SPECS = {
    "contact": [
        FieldSpec("seats", "number"),
        FieldSpec("tags", "multi_select", ("a", "b", "c")),
        FieldSpec("tier", "select", ("gold", "silver")),
        FieldSpec("renewal", "date"),
        FieldSpec("vip", "boolean"),
        FieldSpec("note", "text"),
    ],
    "account": [FieldSpec("segment", "select", ("smb", "ent"))],
}


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


@pytest.fixture
async def people(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        acme = Account(
            name="Acme",
            domain="acme.com",
            industry="Software",
            annual_revenue=5_000_000,
            tech_stack=["python", "aws"],
            custom_fields={"segment": "ent"},
            created_at=at("2024-01-10T12:00:00"),
        )
        globex = Account(name="Globex", domain="globex.io", industry="Retail", tech_stack=[])
        session.add_all([acme, globex])
        await session.flush()
        session.add_all(
            [
                Contact(
                    email="ada@acme.com",
                    account_id=acme.id,
                    first_name="Ada",
                    job_title="Chief Technology Officer",
                    country="GB",
                    intent_topics=["crm", "voip"],
                    custom_fields={
                        "seats": 12,
                        "tags": ["a", "b"],
                        "tier": "gold",
                        "renewal": "2025-03-01",
                        "vip": True,
                        "note": "50% off_deal",
                    },
                    created_at=at("2024-05-01T08:00:00"),
                ),
                Contact(
                    email="bob@globex.io",
                    account_id=globex.id,
                    first_name="Bob",
                    job_title="VP Sales",
                    country="US",
                    intent_topics=["voip"],
                    custom_fields={"seats": 3.5, "tags": ["c"], "tier": "silver", "vip": False},
                    created_at=at("2024-05-02T23:59:00"),
                ),
                Contact(
                    email="cy@nowhere.org",
                    first_name="Cy",
                    job_title="",
                    intent_topics=[],
                    custom_fields={"note": "%' OR 1=1 --"},
                    created_at=at("2024-06-15T00:00:00"),
                ),
            ]
        )


def cond(field: str, operator: str, value: Any = None) -> dict[str, Any]:
    out: dict[str, Any] = {"field": field, "operator": operator}
    if value is not None:
        out["value"] = value
    return out


async def emails(sessions: async_sessionmaker[AsyncSession], raw: Any) -> set[str]:
    node = language.validate(raw, custom=SPECS)
    async with sessions() as session:
        rows = set(await session.scalars(filters.query(node).with_only_columns(Contact.email)))
        assert await filters.count(session, node) == len(rows)
        ids = set(await session.scalars(filters.ids_query(node)))
        assert len(ids) == len(rows)
    return {r for r in rows if r}


CASES: list[tuple[dict[str, Any], set[str]]] = [
    # text
    (cond("contact.first_name", "equals", "Ada"), {"ada"}),
    (cond("contact.first_name", "not_equals", "Ada"), {"bob", "cy"}),
    (cond("contact.job_title", "contains", "technology"), {"ada"}),
    (cond("contact.job_title", "starts_with", "vp"), {"bob"}),
    (cond("contact.email", "ends_with", "@ACME.com"), {"ada"}),
    (cond("contact.email", "equals", " ADA@acme.com"), {"ada"}),
    (cond("contact.country", "in", ["GB", "FR"]), {"ada"}),
    (cond("contact.country", "not_in", ["GB"]), {"bob", "cy"}),
    (cond("contact.job_title", "is_empty"), {"cy"}),
    (cond("contact.job_title", "has_value"), {"ada", "bob"}),
    # enum
    (cond("contact.phone_status", "equals", "missing"), {"ada", "bob", "cy"}),
    (cond("contact.consent_basis", "is_empty"), {"ada", "bob", "cy"}),
    # list
    (cond("contact.intent_topics", "contains", "crm"), {"ada"}),
    (cond("contact.intent_topics", "in", ["crm", "voip"]), {"ada", "bob"}),
    (cond("contact.intent_topics", "not_in", ["crm"]), {"bob", "cy"}),
    (cond("contact.intent_topics", "is_empty"), {"cy"}),
    (cond("contact.intent_topics", "has_value"), {"ada", "bob"}),
    # dates (whole UTC days)
    (cond("contact.created_at", "equals", "2024-05-02"), {"bob"}),
    (cond("contact.created_at", "not_equals", "2024-05-02"), {"ada", "cy"}),
    (cond("contact.created_at", "before", "2024-05-02"), {"ada"}),
    (cond("contact.created_at", "after", "2024-05-01"), {"bob", "cy"}),
    (cond("contact.created_at", "between", ["2024-05-01", "2024-05-02"]), {"ada", "bob"}),
    (cond("contact.consent_at", "has_value"), set()),
    # account fields (contacts without an account count as empty)
    (cond("account.industry", "equals", "Software"), {"ada"}),
    (cond("account.industry", "not_equals", "Software"), {"bob", "cy"}),
    (cond("account.domain", "in", ["GLOBEX.io", "acme.com"]), {"ada", "bob"}),
    (cond("account.annual_revenue", "gt", 1_000_000), {"ada"}),
    (cond("account.annual_revenue", "lt", 1_000_000), set()),
    (cond("account.annual_revenue", "between", [5_000_000, 5_000_000]), {"ada"}),
    (cond("account.annual_revenue", "is_empty"), {"bob", "cy"}),
    (cond("account.tech_stack", "contains", "aws"), {"ada"}),
    (cond("account.tech_stack", "is_empty"), {"bob", "cy"}),
    (cond("account.created_at", "before", "2024-01-11"), {"ada"}),
    (cond("account.custom.segment", "equals", "ent"), {"ada"}),
    # custom fields
    (cond("contact.custom.seats", "gt", 10), {"ada"}),
    (cond("contact.custom.seats", "lt", 4), {"bob"}),
    (cond("contact.custom.seats", "between", [3, 12]), {"ada", "bob"}),
    (cond("contact.custom.seats", "equals", 3.5), {"bob"}),
    (cond("contact.custom.seats", "in", [12, 99]), {"ada"}),
    (cond("contact.custom.seats", "is_empty"), {"cy"}),
    (cond("contact.custom.tags", "contains", "a"), {"ada"}),
    (cond("contact.custom.tags", "in", ["b", "c"]), {"ada", "bob"}),
    (cond("contact.custom.tags", "not_in", ["a"]), {"bob", "cy"}),
    (cond("contact.custom.tags", "is_empty"), {"cy"}),
    (cond("contact.custom.tier", "not_equals", "gold"), {"bob", "cy"}),
    (cond("contact.custom.tier", "in", ["silver"]), {"bob"}),
    (cond("contact.custom.renewal", "after", "2025-02-28"), {"ada"}),
    (cond("contact.custom.renewal", "equals", "2025-03-01"), {"ada"}),
    (cond("contact.custom.vip", "equals", True), {"ada"}),
    (cond("contact.custom.vip", "equals", False), {"bob"}),
    (cond("contact.custom.vip", "has_value"), {"ada", "bob"}),
    (cond("contact.custom.note", "starts_with", "50%"), {"ada"}),
    (cond("contact.custom.note", "has_value"), {"ada", "cy"}),
]


@pytest.mark.parametrize(("raw", "expected"), CASES, ids=lambda c: str(c)[:60])
async def test_every_operator_and_type(
    people: None, sessions: async_sessionmaker[AsyncSession], raw: Any, expected: set[str]
) -> None:
    found = {e.split("@")[0] for e in await emails(sessions, raw)}
    assert found == expected


async def test_nested_groups_and_empty_root(
    people: None, sessions: async_sessionmaker[AsyncSession]
) -> None:
    nested = {
        "op": "or",
        "conditions": [
            {
                "op": "and",
                "conditions": [
                    cond("account.industry", "equals", "Software"),
                    cond("contact.custom.seats", "gt", 100),
                ],
            },
            {
                "op": "and",
                "conditions": [
                    cond("contact.country", "equals", "US"),
                    {"op": "or", "conditions": [cond("contact.first_name", "equals", "Bob")]},
                ],
            },
        ],
    }
    assert await emails(sessions, nested) == {"bob@globex.io"}
    assert len(await emails(sessions, {"op": "and", "conditions": []})) == 3


VALUES = {
    "contact.job_title": {"ada": "Chief Technology Officer", "bob": "VP Sales", "cy": ""},
    "contact.email": {"ada": "ada@acme.com", "bob": "bob@globex.io", "cy": "cy@nowhere.org"},
    "contact.custom.note": {"ada": "50% off_deal", "cy": "%' OR 1=1 --"},
    "account.name": {"ada": "Acme", "bob": "Globex"},
}
MATCH = {
    "equals": lambda have, want: have == want,
    "contains": lambda have, want: want.lower() in have.lower(),
    "starts_with": lambda have, want: have.lower().startswith(want.lower()),
    "ends_with": lambda have, want: have.lower().endswith(want.lower()),
}


@pytest.mark.parametrize("value", ["%' OR 1=1 --", "%", "_", "'", '"; DROP TABLE contacts; --'])
async def test_injection_and_wildcards_match_literally(
    people: None, sessions: async_sessionmaker[AsyncSession], value: str
) -> None:
    for field, values in VALUES.items():
        for operator, matches in MATCH.items():
            found = {e.split("@")[0] for e in await emails(sessions, cond(field, operator, value))}
            expected = {who for who, have in values.items() if matches(have, value)}
            assert found == expected, (field, operator)
    async with sessions() as session:
        assert len((await session.scalars(select(Contact))).all()) == 3


async def test_underscore_is_not_a_wildcard(
    people: None, sessions: async_sessionmaker[AsyncSession]
) -> None:
    # "off_deal" holds a real underscore; "o_f" would match "off" if _ were a wildcard.
    assert await emails(sessions, cond("contact.custom.note", "contains", "off_d")) == {
        "ada@acme.com"
    }
    assert await emails(sessions, cond("contact.custom.note", "contains", "o_f")) == set()
    assert await emails(sessions, cond("contact.custom.note", "contains", "0% o")) == {
        "ada@acme.com"
    }
