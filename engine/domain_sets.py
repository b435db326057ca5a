"""Domain set files: a CSV or TXT of company domains read into normalised, unique domains.

A bad line is reported with its number and reason, never fatal: a list of 5,000 domains with
three typos should still become a domain set.
"""

import csv
import io
from dataclasses import dataclass, field

from engine.contacts import normalize_domain
from engine.errors import FieldError, ValidationFailed
from engine.imports import decode_named, sniff_dialect

MAX_LINES = 100_000
MAX_REPORTED = 1_000  # invalid lines listed back; the count is always complete
HEADERS = {"domain", "domains", "website", "websites", "url", "company domain", "company website"}


@dataclass(frozen=True)
class InvalidLine:
    line: int
    value: str
    message: str


@dataclass
class ParsedDomains:
    domains: list[str] = field(default_factory=list)  # unique, in file order
    total: int = 0  # non-blank values read
    valid: int = 0
    invalid: list[InvalidLine] = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        return self.valid - len(self.domains)


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252."""
    return decode_named(content)[0]


def parse(content: bytes) -> ParsedDomains:
    """Reads the first column, or the column whose header names a domain or website."""
    text = decode(content)
    rows = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
    if len(rows) > MAX_LINES:
        raise ValidationFailed([FieldError("file", f"At most {MAX_LINES} lines.")])
    column, start = _domain_column(rows[0] if rows else [])
    parsed = ParsedDomains()
    seen: set[str] = set()
    for number, row in enumerate(rows[start:], start=start + 1):
        raw = row[column].strip() if len(row) > column else ""
        if not raw or raw.startswith("#"):
            continue
        parsed.total += 1
        try:
            domain = normalize_domain(raw)
        except ValidationFailed as exc:
            if len(parsed.invalid) < MAX_REPORTED:
                parsed.invalid.append(InvalidLine(number, raw[:200], exc.errors[0].message))
            continue
        parsed.valid += 1
        if domain not in seen:
            seen.add(domain)
            parsed.domains.append(domain)
    return parsed


def _delimiter(text: str) -> str:
    return sniff_dialect(text)[0]


def _domain_column(first: list[str]) -> tuple[int, int]:
    """(column index, first data row): a header row is recognised by its column names."""
    names = [cell.strip().lower() for cell in first]
    for index, name in enumerate(names):
        if name in HEADERS:
            return index, 1
    return 0, 0


def match_stats(parsed: ParsedDomains, matched: set[str], contacts: int) -> dict[str, object]:
    """What the upload found: counts, match rate over unique domains, what did not match."""
    unique = len(parsed.domains)
    return {
        "total": parsed.total,
        "valid": parsed.valid,
        "invalid": parsed.total - parsed.valid,
        "unique": unique,
        "duplicates": parsed.duplicates,
        "matched": len(matched),
        "match_rate": round(len(matched) / unique, 4) if unique else 0.0,
        "contacts": contacts,
        "unmatched": [d for d in parsed.domains if d not in matched],
        "invalid_lines": [
            {"line": i.line, "value": i.value, "message": i.message} for i in parsed.invalid
        ],
    }
