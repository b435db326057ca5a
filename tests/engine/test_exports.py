from datetime import UTC, datetime

import pytest

from engine import exports


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tcmd", "\r=1", " =1", "\x01=1", "=", "\t"]
)
def test_formula_looking_text_gets_a_leading_quote(text: str) -> None:
    assert exports.cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Ada", "a=b", "x+1", "", "'=already"])
def test_plain_text_is_left_alone(text: str) -> None:
    assert exports.cell(text) == text


def test_cells_by_type() -> None:
    when = datetime(2024, 5, 1, 8, tzinfo=UTC)
    assert exports.row([None, True, 3, -2.5, when, ["a", "=b"], ["-x"]]) == [
        "",
        "true",
        3,
        -2.5,
        "2024-05-01T08:00:00+00:00",
        "a; =b",
        "'-x",
    ]
    assert exports.header(["seats"])[-3:] == ["account_name", "account_domain", "custom.seats"]
