import pytest

from engine import domain_sets

TEXT = (
    "website;name\nhttps://WWW.Acme.com/about?q=1;Acme\nacme.com;Acme\nbücher.de;Bü\n"
    "http://shop.example.co.uk:8080/;Shop\n;Empty\nno dots;Bad\n"
)


@pytest.mark.parametrize(
    "content",
    [
        TEXT.replace(";", ",").encode("utf-8"),
        TEXT.replace(";", ",").encode("utf-8-sig"),
        TEXT.replace(";", ",").encode("utf-16"),
        TEXT.replace(";", ",").encode("cp1252"),
        TEXT.encode("utf-8"),
        TEXT.replace(";", "\t").encode("utf-8"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "cp1252", "semicolon", "tab"],
)
def test_header_column_encodings_and_normalisation(content: bytes) -> None:
    parsed = domain_sets.parse(content)
    assert parsed.domains == ["acme.com", "xn--bcher-kva.de", "shop.example.co.uk"]
    assert (parsed.total, parsed.valid, parsed.duplicates) == (5, 4, 1)
    (bad,) = parsed.invalid
    assert (bad.line, bad.value) == (7, "no dots")


def test_plain_lines_without_header_and_comments() -> None:
    parsed = domain_sets.parse(b"# my list\nGlobex.io\r\nglobex.io\n")
    assert parsed.domains == ["globex.io"] and parsed.total == 2
    stats = domain_sets.match_stats(parsed, {"globex.io"}, contacts=3)
    assert stats["match_rate"] == 1.0 and stats["unmatched"] == [] and stats["contacts"] == 3


def test_empty_file_gives_empty_stats() -> None:
    stats = domain_sets.match_stats(domain_sets.parse(b""), set(), contacts=0)
    assert stats["unique"] == 0 and stats["match_rate"] == 0.0
