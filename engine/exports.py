"""Export cells: plain values, and text that a spreadsheet would run as a formula neutralised.

OWASP's CSV-injection rule: a cell starting with = + - @ (or tab / carriage return, which
some spreadsheets skip before looking) gets a leading single quote, so it stays text.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

CONTACT_COLUMNS = (
    "id",
    "first_name",
    "last_name",
    "full_name",
    "job_title",
    "email",
    "email_status",
    "direct_phone_e164",
    "phone_extension",
    "mobile_phone_e164",
    "seniority_level",
    "department",
    "city",
    "state",
    "postal_code",
    "country",
    "timezone",
    "linkedin_url",
    "consent_basis",
    "consent_source",
    "consent_at",
    "account_id",
    "created_at",
)
ACCOUNT_COLUMNS = ("account_name", "account_domain")


def header(custom_keys: Iterable[str]) -> list[str]:
    return [*CONTACT_COLUMNS, *ACCOUNT_COLUMNS, *(f"custom.{k}" for k in custom_keys)]


def neutralise(text: str) -> str:
    # Control characters and spaces in front are looked past: some readers drop them.
    looks_like = text.lstrip("".join(map(chr, range(33)))).startswith(FORMULA_START)
    return "'" + text if looks_like or text.startswith(FORMULA_START) else text


def cell(value: Any) -> str | int | float:
    """One cell: numbers stay numbers, everything else becomes safe text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return neutralise("; ".join(str(v) for v in value))
    return neutralise(str(value))


def row(values: Iterable[Any]) -> list[str | int | float]:
    return [cell(v) for v in values]
