"""Bulk imports of contacts and accounts: reading CSV/XLSX files, suggesting a column
mapping, and validating and normalising rows, deduplicated within the file. No database:
store/imports.py writes. One pipeline serves both: an Entity says what differs (fields,
header synonyms, the columns rows are deduplicated by, how a row is built).

A broken file (not decodable, no header row, a mapping onto an unknown field) raises
ValidationFailed before anything is written; a bad row is never fatal, it is rejected with
a reason that goes to the import's error file.
"""

import csv
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

import phonenumbers

from engine import custom_fields
from engine.contacts import PhoneStatus, normalize_domain, normalize_email, to_e164
from engine.errors import FieldError, ValidationFailed

MAX_ROWS = 1_000_000
PREVIEW_ROWS = 20
CUSTOM = "custom."
DOMAIN = "company_domain"  # not a contact column: links the contact to an account

# Mapping targets and their longest value (the column's length in store/models.py).
TEXT_FIELDS: dict[str, int] = {
    "first_name": 150,
    "last_name": 150,
    "full_name": 300,
    "job_title": 300,
    "seniority_level": 50,
    "department": 100,
    "street": 300,
    "city": 200,
    "state": 100,
    "postal_code": 20,
    "timezone": 64,
    "linkedin_url": 500,
    "phone_extension": 10,
    "consent_basis": 50,
    "consent_source": 200,
}
SPECIAL_FIELDS = ("email", "direct_phone", "mobile_phone", "country", DOMAIN, "company_name")

# Header names (lower case, letters and digits only) that suggest a target.
SYNONYMS: dict[str, str] = {
    "email": "email",
    "emailaddress": "email",
    "workemail": "email",
    "businessemail": "email",
    "mail": "email",
    "phone": "direct_phone",
    "phonenumber": "direct_phone",
    "workphone": "direct_phone",
    "directphone": "direct_phone",
    "directdial": "direct_phone",
    "businessphone": "direct_phone",
    "officephone": "direct_phone",
    "telephone": "direct_phone",
    "tel": "direct_phone",
    "mobile": "mobile_phone",
    "mobilephone": "mobile_phone",
    "cell": "mobile_phone",
    "cellphone": "mobile_phone",
    "ext": "phone_extension",
    "extension": "phone_extension",
    "phoneextension": "phone_extension",
    "firstname": "first_name",
    "givenname": "first_name",
    "first": "first_name",
    "lastname": "last_name",
    "surname": "last_name",
    "familyname": "last_name",
    "last": "last_name",
    "name": "full_name",
    "fullname": "full_name",
    "contactname": "full_name",
    "title": "job_title",
    "jobtitle": "job_title",
    "position": "job_title",
    "seniority": "seniority_level",
    "senioritylevel": "seniority_level",
    "department": "department",
    "street": "street",
    "address": "street",
    "streetaddress": "street",
    "city": "city",
    "town": "city",
    "state": "state",
    "province": "state",
    "region": "state",
    "zip": "postal_code",
    "zipcode": "postal_code",
    "postcode": "postal_code",
    "postalcode": "postal_code",
    "country": "country",
    "countrycode": "country",
    "timezone": "timezone",
    "tz": "timezone",
    "linkedin": "linkedin_url",
    "linkedinurl": "linkedin_url",
    "linkedinprofile": "linkedin_url",
    "companydomain": DOMAIN,
    "domain": DOMAIN,
    "website": DOMAIN,
    "companywebsite": DOMAIN,
    "company": "company_name",
    "companyname": "company_name",
    "account": "company_name",
    "accountname": "company_name",
    "consentbasis": "consent_basis",
    "consentsource": "consent_source",
}


# Accounts: mapping targets, their longest value, and header synonyms.
ACCOUNT_TEXT_FIELDS: dict[str, int] = {
    "name": 300,
    "industry": 200,
    "employees_size_range": 50,
    "description": 10_000,
    "hq_street": 300,
    "hq_city": 200,
    "hq_state": 100,
    "hq_postal_code": 20,
    "sic_code": 10,
    "naics_code": 10,
    "linkedin_url": 500,
    "main_phone_extension": 10,
}
# Whole-number fields and their largest value (the column's type in store/models.py).
ACCOUNT_NUMBERS = {"staff_count": 2**31 - 1, "annual_revenue": 2**63 - 1, "year_founded": 9999}
ACCOUNT_SPECIAL = ("domain", "main_phone", "hq_country", *ACCOUNT_NUMBERS)
ACCOUNT_SYNONYMS: dict[str, str] = {
    **{k: "name" for k in ("name", "company", "companyname", "account", "accountname")},
    **{k: "name" for k in ("organization", "organisation")},
    **{k: "domain" for k in ("domain", "website", "companydomain", "companywebsite", "url")},
    **{k: "industry" for k in ("industry", "sector", "vertical")},
    **{k: "employees_size_range" for k in ("size", "companysize", "employeesize", "sizerange")},
    **{k: "staff_count" for k in ("employees", "employeecount", "headcount", "staffcount")},
    **{k: "annual_revenue" for k in ("revenue", "annualrevenue")},
    **{k: "description" for k in ("description", "about")},
    **{k: "hq_street" for k in ("street", "address", "streetaddress", "hqstreet")},
    **{k: "hq_city" for k in ("city", "town", "hqcity")},
    **{k: "hq_state" for k in ("state", "province", "region", "hqstate")},
    **{k: "hq_postal_code" for k in ("zip", "zipcode", "postcode", "postalcode")},
    **{k: "hq_country" for k in ("country", "countrycode", "hqcountry")},
    **{k: "year_founded" for k in ("founded", "yearfounded")},
    **{k: "sic_code" for k in ("sic", "siccode")},
    **{k: "naics_code" for k in ("naics", "naicscode")},
    **{k: "linkedin_url" for k in ("linkedin", "linkedinurl", "companylinkedin")},
    **{k: "main_phone" for k in ("phone", "mainphone", "companyphone", "telephone", "tel")},
    **{k: "main_phone_extension" for k in ("ext", "extension", "phoneextension")},
}


class PhonePolicy(StrEnum):
    REJECT = "reject"  # a row whose phone is not valid is rejected
    KEEP = "keep"  # kept, with phone_status "invalid" and no E.164 number


class DedupPolicy(StrEnum):
    SKIP = "skip"  # a row matching an existing contact is left out
    UPDATE = "update"  # the file's non-empty values overwrite the contact's
    MERGE = "merge"  # the file's values fill only what the contact lacks


@dataclass(frozen=True)
class Options:
    region: str = "US"
    phone_policy: PhonePolicy = PhonePolicy.REJECT
    dedup: DedupPolicy = DedupPolicy.SKIP


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    format: str  # "csv" or "xlsx"
    encoding: str | None = None
    delimiter: str | None = None


@dataclass(frozen=True)
class Rejected:
    row: int  # the line in the file: the header is row 1, the first data row 2
    field: str | None
    reason: str
    raw: dict[str, str]


@dataclass
class Valid:
    row: int
    values: dict[str, Any]  # contact columns
    domain: str | None  # the account domain to link to


def check_region(region: str) -> str:
    """An ISO 3166 alpha-2 region phonenumbers knows, upper-cased."""
    code = region.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationFailed([FieldError("region", f"{region!r} is not a known region.")])
    return code


# --- reading files -----------------------------------------------------------------------


def decode_named(content: bytes, *, strict: bool = False) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without a BOM, UTF-16 with a BOM, else Windows-1252.

    `strict` refuses bytes Windows-1252 does not define and NUL characters (a binary file)
    instead of replacing them."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _broken("The file is not valid UTF-16.") from exc
    try:
        encoding = "utf-8-sig" if content.startswith(b"\xef\xbb\xbf") else "utf-8"
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text, encoding = (
                content.decode("cp1252", errors="strict" if strict else "replace"),
                "cp1252",
            )
        except UnicodeDecodeError as exc:
            raise _broken("The file is neither UTF-8, UTF-16 nor Windows-1252 text.") from exc
    if strict and "\x00" in text:
        raise _broken("The file is not text (it holds NUL characters).")
    return text, encoding


def sniff_dialect(text: str) -> tuple[str, str]:
    """(delimiter, quote character) from the first few KB; a comma and `"` if unclear."""
    sample = text[:16_384]
    if "\n" in sample[:-1]:
        sample = sample[: sample.rindex("\n")]  # a cut last line would mislead the sniffer
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:  # one column: nothing to split on
        return ",", '"'
    return dialect.delimiter, dialect.quotechar or '"'


def read_table(content: bytes, filename: str = "") -> Table:
    """The header row and data rows of a CSV or XLSX file (blank rows dropped)."""
    if not content.strip():
        raise _broken("The file is empty.")
    if content.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        headers, rows = _read_xlsx(content)
        table = Table(headers, rows, "xlsx")
    else:
        text, encoding = decode_named(content, strict=True)
        delimiter, quote = sniff_dialect(text)
        try:
            lines = list(csv.reader(io.StringIO(text), delimiter=delimiter, quotechar=quote))
        except csv.Error as exc:
            raise _broken(f"The file is not valid CSV: {exc}.") from exc
        lines = [line for line in lines if any(cell.strip() for cell in line)]
        headers, rows = (lines[0], lines[1:]) if lines else ([], [])
        table = Table(headers, rows, "csv", encoding, delimiter)
    table.headers = [h.strip() for h in table.headers]
    _check_headers(table.headers)
    if len(table.rows) > MAX_ROWS:
        raise _broken(f"At most {MAX_ROWS} rows.")
    return table


def _read_xlsx(content: bytes) -> tuple[list[str], list[list[str]]]:
    from openpyxl import load_workbook  # only XLSX uploads pay for the import

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _broken("The file is not a readable XLSX workbook.") from exc
    try:
        sheet = workbook.worksheets[0]
        lines = [
            [_xlsx_text(v) for v in values]
            for values in sheet.iter_rows(values_only=True)
            if any(v not in (None, "") for v in values)
        ]
    finally:
        workbook.close()
    return (lines[0], lines[1:]) if lines else ([], [])


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed into a number cell
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _check_headers(headers: list[str]) -> None:
    if not headers or not any(headers):
        raise _broken("The file has no header row.")
    named = [h for h in headers if h]
    if len(set(named)) != len(named):
        raise _broken("The header row names a column twice.")
    if all(_looks_like_data(h) for h in named):
        raise _broken("The first row looks like data, not column names.")


def _looks_like_data(cell: str) -> bool:
    return "@" in cell or bool(re.fullmatch(r"[\d\s()+.\-]{5,}", cell))


def _broken(message: str) -> ValidationFailed:
    return ValidationFailed([FieldError("file", message)], message)


# --- mapping -----------------------------------------------------------------------------


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def suggest_mapping(
    headers: Sequence[str], custom_keys: Iterable[str] = (), entity: "Entity | None" = None
) -> dict[str, str | None]:
    """Header → target for every header; None where nothing fits. A target is used once."""
    entity = entity or CONTACT
    customs = {_key(k): f"{CUSTOM}{k}" for k in custom_keys}
    taken: set[str] = set()
    mapping: dict[str, str | None] = {}
    for header in headers:
        key = _key(header)
        target = (
            entity.synonyms.get(key)
            or customs.get(key)
            or (key if key in entity.text_fields else None)
        )
        if target is None and key.startswith("custom"):
            target = customs.get(key[len("custom") :])
        if target in taken:
            target = None
        if target:
            taken.add(target)
        mapping[header] = target
    return mapping


def check_mapping(
    mapping: dict[str, str | None],
    headers: Sequence[str],
    custom_keys: Iterable[str],
    entity: "Entity | None" = None,
) -> dict[str, str]:
    """The mapping without unmapped columns; unknown columns or targets, a target used
    twice, or none of the entity's needed columns (a contact's email or phone, an account's
    name) are errors."""
    entity = entity or CONTACT
    known = set(entity.targets) | {f"{CUSTOM}{k}" for k in custom_keys}
    errors: list[FieldError] = []
    used: dict[str, str] = {}
    for header, target in mapping.items():
        if header not in headers:
            errors.append(FieldError(f"mapping.{header}", "No such column in the file."))
        elif target is None or target == "":
            continue
        elif target not in known:
            errors.append(FieldError(f"mapping.{header}", f"Unknown field {target!r}."))
        elif target in used.values():
            errors.append(FieldError(f"mapping.{header}", f"{target!r} is mapped twice."))
        else:
            used[header] = target
    if not errors and not entity.needs & set(used.values()):
        errors.append(FieldError("mapping", entity.needs_message))
    if errors:
        raise ValidationFailed(errors, "The column mapping is not valid.")
    return used


# --- rows --------------------------------------------------------------------------------


class Validator:
    """Validates rows in file order, remembering emails and phones already seen so a later
    duplicate in the same file is rejected with the row it repeats."""

    def __init__(
        self,
        headers: Sequence[str],
        mapping: dict[str, str],
        specs: list[custom_fields.FieldSpec],
        options: Options,
        entity: "Entity | None" = None,
    ) -> None:
        self.entity = entity or CONTACT
        self.columns = [(i, mapping[h]) for i, h in enumerate(headers) if h in mapping]
        self.headers = list(headers)
        self.mapping = mapping
        self.specs = specs
        self.by_key = {s.key: s for s in specs}
        self.options = options
        self.seen: dict[str, int] = {}

    def row(self, number: int, cells: Sequence[str]) -> Valid | Rejected:
        return self.dedup(self.check(number, cells), cells)

    def check(self, number: int, cells: Sequence[str]) -> Valid | Rejected:
        """The row on its own (no memory of other rows: safe to run in another process)."""
        try:
            return self._validate(number, cells)
        except _RowError as exc:
            return Rejected(number, exc.field, exc.reason, self.raw(cells))

    def dedup(self, result: Valid | Rejected, cells: Sequence[str]) -> Valid | Rejected:
        """A checked row, rejected if an earlier row had one of its keys (a contact's email
        or phone, an account's domain); in file order."""
        if isinstance(result, Rejected):
            return result
        keys = [(c, result.values[c]) for c in self.entity.keys if result.values[c]]
        for column, key in keys:
            if key in self.seen:
                reason = f"Duplicate of row {self.seen[key]} in this file."
                return Rejected(result.row, column.removesuffix("_e164"), reason, self.raw(cells))
        for _, key in keys:
            self.seen[key] = result.row
        return result

    def raw(self, cells: Sequence[str]) -> dict[str, str]:
        return {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(self.headers)}

    def _validate(self, number: int, cells: Sequence[str]) -> Valid:
        given: dict[str, str] = {}
        for index, target in self.columns:
            value = cells[index].strip() if index < len(cells) else ""
            if value:
                given[target] = value
        values: dict[str, Any] = {name: None for name in self.entity.value_columns}
        for name, limit in self.entity.text_fields.items():
            if name in given:
                if len(given[name]) > limit:
                    raise _RowError(name, f"Longer than {limit} characters.")
                values[name] = given[name]
        link = self.entity.build(self, given, values)
        values["custom_fields"] = self._custom(given)
        return Valid(number, values, link)

    def contact(self, given: dict[str, str], values: dict[str, Any]) -> str | None:
        """Fills a contact's special columns; the domain of the account to link it to."""
        if "email" in given:
            try:
                values["email"] = fast_email(given["email"])
            except ValidationFailed as exc:
                raise _RowError("email", exc.errors[0].message) from exc
        self._phones(given, values)
        if (
            values["email"] is None
            and values["direct_phone_e164"] is None
            and (values["mobile_phone_e164"] is None)
        ):
            raise _RowError("email", "A contact needs an email or a valid phone number.")
        if "country" in given:
            values["country"] = _country("country", given["country"])
        if values["full_name"] is None and (values["first_name"] or values["last_name"]):
            values["full_name"] = " ".join(
                p for p in (values["first_name"], values["last_name"]) if p
            )
        if DOMAIN in given:
            return _domain(DOMAIN, given[DOMAIN])
        return values["email"].rsplit("@", 1)[1] if values["email"] else None

    def account(self, given: dict[str, str], values: dict[str, Any]) -> str | None:
        """Fills an account's special columns; its domain (normalised as in domain sets)."""
        if values["name"] is None:
            raise _RowError("name", "An account needs a name.")
        if "domain" in given:
            values["domain"] = _domain("domain", given["domain"])
        if "hq_country" in given:
            values["hq_country"] = _country("hq_country", given["hq_country"])
        for name, largest in ACCOUNT_NUMBERS.items():
            if name in given:
                values[name] = _whole_number(name, given[name], largest)
        if "main_phone" in given:
            values["main_phone"] = given["main_phone"]
            values["main_phone_e164"] = self._phone("main_phone", given["main_phone"])
        return values["domain"]

    def _phones(self, given: dict[str, str], values: dict[str, Any]) -> None:
        values["phone_status"] = PhoneStatus.MISSING.value
        for target, column in (
            ("direct_phone", "direct_phone_e164"),
            ("mobile_phone", "mobile_phone_e164"),
        ):
            if target not in given:
                continue
            raw = given[target]
            e164 = self._phone(target, raw)
            values[column] = e164
            if target == "direct_phone":
                values["direct_phone"] = raw
                values["phone_status"] = (PhoneStatus.VALID if e164 else PhoneStatus.INVALID).value

    def _phone(self, target: str, raw: str) -> str | None:
        """E.164, or None for an invalid number the phone policy keeps."""
        if len(raw) > 50:
            raise _RowError(target, "Longer than 50 characters.")
        region = self.options.region
        e164 = to_e164(raw, region)
        if e164 is None and self.options.phone_policy is PhonePolicy.REJECT:
            raise _RowError(target, f"{raw!r} is not a valid phone number for {region}.")
        return e164

    def _custom(self, given: dict[str, str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for target, text in given.items():
            if target.startswith(CUSTOM):
                key = target[len(CUSTOM) :]
                found[key] = _typed(self.by_key[key], text)
        try:
            return custom_fields.validate(self.specs, found, partial=False)
        except ValidationFailed as exc:
            error = exc.errors[0]
            raise _RowError(error.field, error.message) from exc


def _domain(field: str, raw: str) -> str:
    try:
        return normalize_domain(raw)
    except ValidationFailed as exc:
        raise _RowError(field, exc.errors[0].message) from exc


def _country(field: str, raw: str) -> str:
    country = raw.upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise _RowError(field, "Expected a two-letter country code (ISO 3166).")
    return country


def _whole_number(field: str, raw: str, largest: int) -> int:
    digits = re.sub(r"[\s,]", "", raw)
    if not re.fullmatch(r"\d{1,19}", digits):
        raise _RowError(field, f"{raw!r} is not a whole number.")
    if int(digits) > largest:
        raise _RowError(field, f"At most {largest}.")
    return int(digits)


# An address this simple (ASCII dot-atom, ASCII host) needs only its domain checked by
# email_validator, once per domain: most of a file's addresses share a few hundred domains.
_ATOM = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_SIMPLE_EMAIL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@({_LABEL}(?:\.{_LABEL})+)")


def fast_email(raw: str) -> str:
    """normalize_email's answer, without its full cost for the common simple address."""
    lowered = raw.strip().lower()
    match = _SIMPLE_EMAIL.fullmatch(lowered)
    if match and len(lowered) <= 254 and lowered.index("@") <= 64 and _domain_ok(match[1]):
        return lowered
    return normalize_email(raw)


@lru_cache(maxsize=100_000)
def _domain_ok(domain: str) -> bool:
    try:
        normalize_email(f"a@{domain}")
    except ValidationFailed:
        return False
    return True


def check_rows(
    headers: Sequence[str],
    mapping: dict[str, str],
    specs: list[custom_fields.FieldSpec],
    options: Options,
    entity: str,
    rows: Sequence[Sequence[str]],
    first: int,
) -> list[Valid | Rejected]:
    """Validator.check over rows numbered from `first`: the unit of work of a process pool."""
    validator = Validator(headers, mapping, specs, options, ENTITIES[entity])
    return [validator.check(first + i, cells) for i, cells in enumerate(rows)]


CONTACT_VALUE_COLUMNS = (
    *TEXT_FIELDS,
    "email",
    "direct_phone",
    "direct_phone_e164",
    "mobile_phone_e164",
    "phone_status",
    "country",
    "custom_fields",
)
ACCOUNT_VALUE_COLUMNS = (
    *ACCOUNT_TEXT_FIELDS,
    *ACCOUNT_SPECIAL,
    "main_phone_e164",
    "custom_fields",
)


@dataclass(frozen=True)
class Entity:
    """What an import of one kind of record needs to know about it."""

    name: str
    text_fields: dict[str, int]
    special: tuple[str, ...]
    synonyms: dict[str, str]
    value_columns: tuple[str, ...]
    keys: tuple[str, ...]  # columns rows are deduplicated by, in match order
    fixed: tuple[str, ...]  # key columns a dedup update never changes
    needs: frozenset[str]  # a mapping must map one of these
    needs_message: str
    # fills the entity's special columns; returns the domain of the account to link to
    build: Callable[[Validator, dict[str, str], dict[str, Any]], str | None]

    @property
    def targets(self) -> tuple[str, ...]:
        return (*self.special, *self.text_fields)

    @property
    def mergeable(self) -> tuple[str, ...]:
        skipped = ("phone_status", "custom_fields")
        return tuple(c for c in self.value_columns if c not in skipped)


CONTACT = Entity(
    name="contact",
    text_fields=TEXT_FIELDS,
    special=SPECIAL_FIELDS,
    synonyms=SYNONYMS,
    value_columns=CONTACT_VALUE_COLUMNS,
    keys=("email", "direct_phone_e164"),
    fixed=("email",),
    needs=frozenset({"email", "direct_phone", "mobile_phone"}),
    needs_message="Map an email or a phone column.",
    build=Validator.contact,
)
ACCOUNT = Entity(
    name="account",
    text_fields=ACCOUNT_TEXT_FIELDS,
    special=ACCOUNT_SPECIAL,
    synonyms=ACCOUNT_SYNONYMS,
    value_columns=ACCOUNT_VALUE_COLUMNS,
    keys=("domain",),
    fixed=("domain",),
    needs=frozenset({"name"}),
    needs_message="Map the account name column.",
    build=Validator.account,
)
ENTITIES = {e.name: e for e in (CONTACT, ACCOUNT)}


def _typed(spec: custom_fields.FieldSpec, text: str) -> Any:
    """A file's text as the custom field's type, for custom_fields.validate to check."""
    match spec.field_type:
        case "number":
            try:
                number = float(text.replace(",", ""))
            except ValueError:
                return text
            if not math.isfinite(number):  # "nan", "inf": not storable as JSON numbers
                return text
            return int(number) if number.is_integer() else number
        case "boolean":
            lowered = text.lower()
            if lowered in ("true", "yes", "y", "1"):
                return True
            if lowered in ("false", "no", "n", "0"):
                return False
            return text
        case "multi_select":
            return [part.strip() for part in text.split(";") if part.strip()]
    return text


@dataclass
class _RowError(Exception):
    field: str | None
    reason: str


def changes(
    existing: dict[str, Any],
    incoming: dict[str, Any],
    policy: DedupPolicy,
    entity: Entity | None = None,
) -> dict[str, Any]:
    """What to write onto an existing record: under update the file's non-empty values win,
    under merge only empty columns are filled. The key (email, domain) is never changed."""
    entity = entity or CONTACT
    out: dict[str, Any] = {}
    for column in entity.mergeable:
        value = incoming.get(column)
        if value is None or column in entity.fixed:
            continue
        fills = policy is DedupPolicy.UPDATE or existing.get(column) in (None, "")
        if fills and existing.get(column) != value:
            out[column] = value
    if "direct_phone" in out:
        out["phone_status"] = incoming["phone_status"]
    extra = incoming.get("custom_fields") or {}
    if extra:
        current = dict(existing.get("custom_fields") or {})
        merged = current | extra if policy is DedupPolicy.UPDATE else extra | current
        if merged != current:
            out["custom_fields"] = merged
    return out
