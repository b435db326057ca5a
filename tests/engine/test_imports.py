"""Import files: encodings, delimiters, quoting, broken files, mapping, row validation."""

import io

import pytest
from openpyxl import Workbook

from engine import imports
from engine.custom_fields import FieldSpec
from engine.errors import ValidationFailed
from engine.imports import DedupPolicy, Options, PhonePolicy, Rejected, Valid

CSV = (
    "E-mail,Work Phone,First Name,Company Domain,City\n"
    'ada@acme.com,(212) 555-0100,Zoë,www.acme.com,"Paris, TX"\n'
)


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (CSV.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + CSV.encode("utf-8"), "utf-8-sig"),
        (CSV.encode("utf-16"), "utf-16"),
        (CSV.encode("cp1252"), "cp1252"),
    ],
)
def test_encodings_are_detected(content: bytes, encoding: str) -> None:
    table = imports.read_table(content, "people.csv")
    assert table.encoding == encoding
    assert table.headers[0] == "E-mail"
    assert table.rows == [["ada@acme.com", "(212) 555-0100", "Zoë", "www.acme.com", "Paris, TX"]]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_and_quoting_are_sniffed(delimiter: str) -> None:
    text = (
        f"email{delimiter}name{delimiter}note\n"
        f'a@x.com{delimiter}"Doe{delimiter} Jane"{delimiter}"says ""hi"""\n'
        f"b@x.com{delimiter}Bob{delimiter}plain\n"
    )
    table = imports.read_table(text.encode(), "f.csv")
    assert table.delimiter == delimiter
    assert table.rows[0] == ["a@x.com", f"Doe{delimiter} Jane", 'says "hi"']


def test_single_quote_quoting() -> None:
    text = "email;name\na@x.com;'Doe; Jane'\nb@x.com;'Bob; Jr'\n"
    table = imports.read_table(text.encode(), "f.csv")
    assert table.rows[0] == ["a@x.com", "Doe; Jane"]


def test_xlsx_is_read() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Email", "Phone"])
    sheet.append(["a@x.com", 2125550100])
    sheet.append([None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    table = imports.read_table(buffer.getvalue(), "f.xlsx")
    assert table.format == "xlsx"
    assert table.rows == [["a@x.com", "2125550100"]]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "f.csv", "empty"),
        (b"\x00\x01\x02binary\x00", "f.csv", "not text"),
        (b"\x81\x8d\x8f\x90 bad", "f.csv", "neither"),
        (b"a@x.com,2125550100\nb@x.com,2125550101\n", "f.csv", "looks like data"),
        (b",,\n ,,\n", "f.csv", "no header"),
        (b"email,email\na@x.com,b@x.com\n", "f.csv", "twice"),
        (b"PK\x03\x04not really a zip", "f.xlsx", "XLSX"),
    ],
)
def test_broken_files_are_refused(content: bytes, name: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        imports.read_table(content, name)
    assert message in caught.value.message


def test_mapping_suggestions() -> None:
    headers = ["E-mail", "Work Phone", "Company Domain", "First Name", "Surname", "Job Title"]
    headers += ["Mobile", "ZIP", "Shoe size", "Region Code", "Favourite Colour"]
    mapping = imports.suggest_mapping(headers, custom_keys=["favourite_colour"])
    assert mapping == {
        "E-mail": "email",
        "Work Phone": "direct_phone",
        "Company Domain": "company_domain",
        "First Name": "first_name",
        "Surname": "last_name",
        "Job Title": "job_title",
        "Mobile": "mobile_phone",
        "ZIP": "postal_code",
        "Shoe size": None,
        "Region Code": None,
        "Favourite Colour": "custom.favourite_colour",
    }
    assert imports.suggest_mapping(["favourite_colour"], ["favourite_colour"]) == {
        "favourite_colour": "custom.favourite_colour"
    }
    assert imports.suggest_mapping(["Email", "E-mail"])["E-mail"] is None


def test_mapping_is_checked() -> None:
    headers = ["Email", "Phone", "Other"]
    ok = imports.check_mapping({"Email": "email", "Other": None}, headers, [])
    assert ok == {"Email": "email"}
    for bad, field in (
        ({"Email": "emial"}, "mapping.Email"),
        ({"Nope": "email"}, "mapping.Nope"),
        ({"Email": "email", "Phone": "email"}, "mapping.Phone"),
        ({"Other": "city"}, "mapping"),
        ({"Email": "custom.missing"}, "mapping.Email"),
    ):
        with pytest.raises(ValidationFailed) as caught:
            imports.check_mapping(bad, headers, [])
        assert caught.value.errors[0].field == field


HEADERS = ["email", "phone", "first", "last", "country", "score", "domain"]
MAPPING = {
    "email": "email",
    "phone": "direct_phone",
    "first": "first_name",
    "last": "last_name",
    "country": "country",
    "score": "custom.score",
    "domain": "company_domain",
}
SPECS = [FieldSpec("score", "number")]


def validator(**options: object) -> imports.Validator:
    return imports.Validator(HEADERS, MAPPING, SPECS, Options(**options))  # type: ignore[arg-type]


def test_valid_row_is_normalised() -> None:
    row = validator().row(2, ["Ada@Acme.COM ", "(212) 555-0100", "Ada", "Lovelace", "us", "7", ""])
    assert isinstance(row, Valid)
    assert row.values["email"] == "ada@acme.com"
    assert row.values["direct_phone_e164"] == "+12125550100"
    assert row.values["phone_status"] == "valid"
    assert row.values["full_name"] == "Ada Lovelace"
    assert row.values["country"] == "US"
    assert row.values["custom_fields"] == {"score": 7}
    assert row.domain == "acme.com"
    other = validator(region="GB").row(
        3, ["", "020 7946 0018", "", "", "", "", "https://www.x.co.uk/a"]
    )
    assert isinstance(other, Valid)
    assert other.values["direct_phone_e164"] == "+442079460018"
    assert other.domain == "x.co.uk"


@pytest.mark.parametrize(
    ("cells", "field", "reason"),
    [
        (["not-an-email", "", "", "", "", "", ""], "email", "@-sign"),
        (["", "", "Ada", "", "", "", ""], "email", "needs an email or a valid phone"),
        (["a@x.com", "12", "", "", "", "", ""], "direct_phone", "not a valid phone"),
        (["a@x.com", "", "", "", "USA", "", ""], "country", "two-letter"),
        (["a@x.com", "", "", "", "", "lots", ""], "custom_fields.score", "number"),
        (["a@x.com", "", "", "", "", "NaN", ""], "custom_fields.score", "number"),
        (["a@x.com", "", "x" * 151, "", "", "", ""], "first_name", "Longer than 150"),
        (["a@x.com", "", "", "", "", "", "not a domain"], "company_domain", "not a domain"),
    ],
)
def test_rejection_reasons(cells: list[str], field: str, reason: str) -> None:
    row = validator().row(5, cells)
    assert isinstance(row, Rejected)
    assert row.row == 5 and row.field == field and reason in row.reason
    assert row.raw["email"] == cells[0]


def test_invalid_phone_kept_under_keep_policy() -> None:
    row = validator(phone_policy=PhonePolicy.KEEP).row(2, ["a@x.com", "12", "", "", "", "", ""])
    assert isinstance(row, Valid)
    assert row.values["phone_status"] == "invalid"
    assert row.values["direct_phone"] == "12" and row.values["direct_phone_e164"] is None


def test_duplicates_within_the_file() -> None:
    check = validator()
    assert isinstance(check.row(2, ["a@x.com", "2125550100", "", "", "", "", ""]), Valid)
    by_email = check.row(3, ["A@x.com", "", "", "", "", "", ""])
    by_phone = check.row(4, ["b@x.com", "+1 212 555 0100", "", "", "", "", ""])
    assert isinstance(by_email, Rejected) and by_email.reason == "Duplicate of row 2 in this file."
    assert isinstance(by_phone, Rejected) and by_phone.field == "direct_phone"
    assert isinstance(check.row(5, ["c@x.com", "", "", "", "", "", ""]), Valid)


def test_changes_under_update_and_merge() -> None:
    existing = {"email": "a@x.com", "first_name": "Ada", "city": None, "custom_fields": {"s": 1}}
    incoming = {"email": "a@x.com", "first_name": "Augusta", "city": "London", "last_name": None}
    incoming["custom_fields"] = {"s": 2, "t": 3}
    assert imports.changes(existing, incoming, DedupPolicy.UPDATE) == {
        "first_name": "Augusta",
        "city": "London",
        "custom_fields": {"s": 2, "t": 3},
    }
    assert imports.changes(existing, incoming, DedupPolicy.MERGE) == {
        "city": "London",
        "custom_fields": {"s": 1, "t": 3},
    }


def test_region_is_checked() -> None:
    assert imports.check_region(" gb") == "GB"
    with pytest.raises(ValidationFailed) as caught:
        imports.check_region("ZZ")
    assert caught.value.errors[0].field == "region"


# --- accounts ------------------------------------------------------------------------------

ACCOUNT_HEADERS = ["Company", "Website", "Industry", "Employees", "Size", "Phone", "Country"]


def account_validator(**options: object) -> imports.Validator:
    mapping = imports.check_mapping(
        imports.suggest_mapping(ACCOUNT_HEADERS, ["tier"], imports.ACCOUNT) | {"Tier": None},
        [*ACCOUNT_HEADERS, "Tier"],
        ["tier"],
        imports.ACCOUNT,
    )
    return imports.Validator(
        [*ACCOUNT_HEADERS, "Tier"],
        mapping | {"Tier": "custom.tier"},
        [FieldSpec("tier", "number")],
        Options(**options),  # type: ignore[arg-type]
        imports.ACCOUNT,
    )


def test_account_mapping_is_suggested_from_headers() -> None:
    assert imports.suggest_mapping(ACCOUNT_HEADERS, entity=imports.ACCOUNT) == {
        "Company": "name",
        "Website": "domain",
        "Industry": "industry",
        "Employees": "staff_count",
        "Size": "employees_size_range",
        "Phone": "main_phone",
        "Country": "hq_country",
    }
    with pytest.raises(ValidationFailed) as caught:
        imports.check_mapping({"Website": "domain"}, ACCOUNT_HEADERS, [], imports.ACCOUNT)
    assert caught.value.errors[0].message == "Map the account name column."
    with pytest.raises(ValidationFailed):  # a contact field is not an account field
        imports.check_mapping(
            {"Company": "name", "Phone": "email"}, ACCOUNT_HEADERS, [], imports.ACCOUNT
        )


def test_account_row_is_normalised() -> None:
    cells = [
        "Bücher AG",
        "https://WWW.Bücher.example/de",
        "Retail",
        "1,200",
        "1k-5k",
        "(212) 555-0100",
        "de",
        "3",
    ]
    row = account_validator().row(2, cells)
    assert isinstance(row, Valid), row
    assert row.values | {"description": None} == {
        **{name: None for name in imports.ACCOUNT_VALUE_COLUMNS},
        "name": "Bücher AG",
        "domain": "xn--bcher-kva.example",
        "industry": "Retail",
        "staff_count": 1200,
        "employees_size_range": "1k-5k",
        "main_phone": "(212) 555-0100",
        "main_phone_e164": "+12125550100",
        "hq_country": "DE",
        "custom_fields": {"tier": 3},
    }
    assert row.domain == "xn--bcher-kva.example"


@pytest.mark.parametrize(
    ("cells", "field", "reason"),
    [
        (["", "acme.com", "", "", "", "", "", ""], "name", "An account needs a name."),
        (
            ["Acme", "not a domain", "", "", "", "", "", ""],
            "domain",
            "'not a domain' is not a domain.",
        ),
        (
            ["Acme", "acme.com", "", "many", "", "", "", ""],
            "staff_count",
            "'many' is not a whole number.",
        ),
        (["Acme", "acme.com", "", "9" * 12, "", "", "", ""], "staff_count", "At most 2147483647."),
        (
            ["Acme", "acme.com", "", "", "", "", "France", ""],
            "hq_country",
            "Expected a two-letter country code (ISO 3166).",
        ),
        (
            ["Acme", "acme.com", "", "", "", "12", "", ""],
            "main_phone",
            "'12' is not a valid phone number for US.",
        ),
        (["Acme", "acme.com", "", "", "", "", "", "gold"], "custom_fields.tier", None),
    ],
)
def test_bad_account_rows_are_rejected(cells: list[str], field: str, reason: str | None) -> None:
    row = account_validator().row(2, cells)
    assert isinstance(row, Rejected) and row.field == field
    assert reason is None or row.reason == reason


def test_accounts_are_deduplicated_by_domain_in_the_file() -> None:
    validator = account_validator()
    first = validator.row(2, ["Acme", "acme.com", "", "", "", "", "", ""])
    again = validator.row(3, ["Acme Inc", "http://www.ACME.com/about", "", "", "", "", "", ""])
    no_domain = [validator.row(n, ["Local shop", "", "", "", "", "", "", ""]) for n in (4, 5)]
    assert isinstance(first, Valid)
    assert isinstance(again, Rejected) and again.field == "domain"
    assert again.reason == "Duplicate of row 2 in this file."
    assert all(isinstance(r, Valid) for r in no_domain)  # nothing to deduplicate them by


def test_account_changes_never_touch_the_domain() -> None:
    existing = {"name": "Acme", "domain": "acme.com", "industry": None, "custom_fields": {}}
    incoming = {"name": "Acme Inc", "domain": "acme.com", "industry": "Retail", "custom_fields": {}}
    update = imports.changes(existing, incoming, DedupPolicy.UPDATE, imports.ACCOUNT)
    merge = imports.changes(existing, incoming, DedupPolicy.MERGE, imports.ACCOUNT)
    assert update == {"name": "Acme Inc", "industry": "Retail"}
    assert merge == {"industry": "Retail"}
