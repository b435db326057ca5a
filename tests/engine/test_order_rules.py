"""Order rules without a database: sniffing, pacing, questions, review, status moves."""

import io
import zipfile
from datetime import date

import pytest

from engine import orders
from engine.errors import IllegalTransition, ValidationFailed


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name in names:
            package.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("a.pdf", b"%PDF-1.4 ...", "pdf"),
        ("a.PNG", b"\x89PNG\r\n\x1a\nxx", "png"),
        ("a.jpg", b"\xff\xd8\xff\xe0xx", "jpeg"),
        ("a.docx", _zip("[Content_Types].xml", "word/document.xml"), "docx"),
        ("a.xlsx", _zip("[Content_Types].xml", "xl/workbook.xml"), "xlsx"),
        ("a.csv", "name,title\nÉva,CTO\n".encode(), "csv"),
        ("notes.txt", b"plain words", "txt"),
    ],
)
def test_content_and_name_agree(name: str, data: bytes, kind: str) -> None:
    assert orders.asset_kind(name, data) == kind


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.pdf", b"\x89PNG\r\n\x1a\n"),  # renamed image
        ("a.docx", _zip("[Content_Types].xml", "xl/workbook.xml")),  # a workbook called docx
        ("a.docx", _zip("word/document.xml")),  # no content types: not an Office package
        ("a.csv", b"\x00\x01binary"),
        ("a.txt", b"\xff\xfe broken utf-8"),
        ("a.exe", b"MZ"),
        ("noextension", b"text"),
        ("a.txt", b""),
    ],
)
def test_mismatches_are_refused(name: str, data: bytes) -> None:
    with pytest.raises(ValidationFailed):
        orders.asset_kind(name, data)


def test_pacing() -> None:
    today = date(2026, 11, 29)
    orders.check_pacing(
        orders.Pacing(10, date(2026, 12, 1), date(2027, 1, 1)), lead_goal=50, today=today
    )
    for pacing, goal in (
        (orders.Pacing(None, date(2026, 11, 28), None), None),
        (orders.Pacing(None, date(2026, 12, 2), date(2026, 12, 1)), None),
        (orders.Pacing(51, None, None), 50),
    ):
        with pytest.raises(ValidationFailed):
            orders.check_pacing(pacing, lead_goal=goal, today=today)


def test_questions() -> None:
    ok = orders.Question("Budget?", "radio", ["yes", "no"], True)
    orders.check_questions([ok, orders.Question("Size", "number", [], False)])
    with pytest.raises(ValidationFailed) as bad:
        orders.check_questions(
            [
                ok,
                orders.Question("budget?", "radio", ["a", "b"], True),
                orders.Question("N", "text", ["x"], True),
                orders.Question("Q", "radio", ["a", "b"], True, ["c"]),
                orders.Question("R", "text", [], True, [], 5),
            ]
        )
    assert [e.field for e in bad.value.errors] == [
        "questions.1.question",
        "questions.2.options",
        "questions.3.qualifying_options",
        "questions.4.qualifying_min",
    ]


def test_review_lists_each_missing_step() -> None:
    facts = orders.DraftFacts("telemarketing", False, None, {}, None, 0, False)
    assert [g.field for g in orders.missing(facts)] == [
        "audience",
        "lead_goal",
        "pacing",
        "questions",
        "compliance_confirmed",
    ]
    done = orders.DraftFacts("email", True, 5, {"start_date": "x", "end_date": "y"}, 1, 1, True)
    assert orders.missing(done) == []


def test_status_moves() -> None:
    assert orders.transition("draft", "submitted") is orders.OrderStatus.SUBMITTED
    for current, wanted in (
        ("draft", "in_progress"),
        ("completed", "cancelled"),
        ("submitted", "draft"),
    ):
        with pytest.raises(IllegalTransition):
            orders.transition(current, wanted)


def _asked(text: str) -> orders.Question:
    return orders.Question(text, "text", [], True)


def test_order_questions_get_campaign_keys_that_are_valid_unique_and_kept() -> None:
    asked = [
        _asked("Budget approved?"),
        _asked("Budget: approved"),
        _asked("2027 plans"),
        _asked("Décision maker"),
        _asked("?!"),
        _asked("Timeline"),
        _asked("x" * 60),
    ]
    rows = orders.campaign_questions(asked, {"timeline": "when", "2027 plans": "budget_approved"})
    keys = [row["key"] for row in rows]
    assert keys == [
        "budget_approved_2",  # "budget_approved" is kept by the campaign's "2027 plans"
        "budget_approved_3",
        "budget_approved",
        "decision_maker",
        "q",
        "when",
        "x" * 40,
    ]
    assert all(len(key) <= 40 and key[0].isalpha() for key in keys)
    assert rows[0]["label"] == "Budget approved?"


def test_question_lists_match_on_what_they_ask_not_on_their_keys() -> None:
    rows = orders.campaign_questions([_asked("Budget")], {})
    same = [{**rows[0], "key": "other"}]
    stricter = [{**rows[0], "required": False}]
    assert orders.same_questions(rows, same)
    assert not orders.same_questions(rows, stricter)
    assert not orders.same_questions(rows, [])
