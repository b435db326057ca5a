"""Normalisation rules for phones, emails, domains and custom fields."""

import pytest

from engine import custom_fields
from engine.contacts import normalize_domain, normalize_email, to_e164
from engine.errors import ValidationFailed


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("(212) 555-0100", "US", "+12125550100"),
        ("+1 415 555 2671", "GB", "+14155552671"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("0049 30 901820", "DE", "+4930901820"),
        ("12345", "US", None),
        ("not a number", "US", None),
    ],
)
def test_phones_become_e164_or_none(raw: str, region: str, expected: str | None) -> None:
    assert to_e164(raw, region) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://WWW.Example.com/path?q=1", "example.com"),
        ("shop.example.co.uk:8443", "shop.example.co.uk"),
        ("bücher.de", "xn--bcher-kva.de"),
        ("  Example.ORG. ", "example.org"),
    ],
)
def test_domains_are_normalised(raw: str, expected: str) -> None:
    assert normalize_domain(raw) == expected


@pytest.mark.parametrize("raw", ["", "localhost", "two words.com", "http://"])
def test_non_domains_are_refused(raw: str) -> None:
    with pytest.raises(ValidationFailed):
        normalize_domain(raw)


def test_emails_are_lowercased_and_checked() -> None:
    assert normalize_email(" Ada@Example.COM ") == "ada@example.com"
    with pytest.raises(ValidationFailed) as caught:
        normalize_email("ada@", field="work_email")
    assert caught.value.errors[0].field == "work_email"


def test_custom_fields_partial_updates_skip_absent_required_fields() -> None:
    specs = [
        custom_fields.FieldSpec("role", "select", ("dm", "user"), required=True),
        custom_fields.FieldSpec("since", "date"),
    ]
    assert custom_fields.validate(specs, {"since": "2024-02-01"}, partial=True) == {
        "since": "2024-02-01"
    }
    with pytest.raises(ValidationFailed):
        custom_fields.validate(specs, {"since": "2024-02-01"}, partial=False)
    with pytest.raises(ValidationFailed):
        custom_fields.validate(specs, {"role": None}, partial=True)
    with pytest.raises(ValidationFailed):
        custom_fields.validate(specs, {"role": "dm", "since": "31/12/2024"}, partial=False)
