"""Client order rules: the draft's wizard steps, what is still missing, status changes,
and which uploaded files count as assets (judged by their bytes, not their names)."""

import dataclasses
import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from engine.analysis import qualifying_errors
from engine.errors import FieldError, IllegalTransition, ValidationFailed


class OrderStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


# Who moves an order where: the client submits its draft; operations staff do the rest.
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.DRAFT: frozenset({OrderStatus.SUBMITTED}),
    OrderStatus.SUBMITTED: frozenset({OrderStatus.IN_PROGRESS, OrderStatus.CANCELLED}),
    OrderStatus.IN_PROGRESS: frozenset({OrderStatus.COMPLETED, OrderStatus.CANCELLED}),
    OrderStatus.COMPLETED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}


def transition(current: str, wanted: str) -> OrderStatus:
    target = OrderStatus(wanted)
    if target not in TRANSITIONS[OrderStatus(current)]:
        raise IllegalTransition("Order", current, wanted)
    return target


# --- pacing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pacing:
    leads_per_week: int | None
    start_date: date | None
    end_date: date | None


def check_pacing(pacing: Pacing, *, lead_goal: int | None, today: date) -> None:
    """Dates in order and not in the past; a weekly rate no bigger than the goal."""
    errors = []
    if pacing.start_date and pacing.start_date < today:
        errors.append(FieldError("pacing.start_date", "The start date is in the past."))
    if pacing.start_date and pacing.end_date and pacing.end_date < pacing.start_date:
        errors.append(FieldError("pacing.end_date", "The end date is before the start date."))
    if pacing.leads_per_week and lead_goal and pacing.leads_per_week > lead_goal:
        errors.append(
            FieldError("pacing.leads_per_week", "More leads per week than the whole goal.")
        )
    if errors:
        raise ValidationFailed(errors)


# --- review: what a draft still lacks before it can be submitted ---------------------------


@dataclass(frozen=True)
class DraftFacts:
    kind: str | None
    has_audience: bool
    lead_goal: int | None
    pacing: dict[str, Any]
    question_version: int | None
    asset_count: int
    compliance_confirmed: bool


def missing(facts: DraftFacts) -> list[FieldError]:
    """Every step still to do, in wizard order; empty means the draft may be submitted."""
    gaps = []
    # An audience with no contacts yet is allowed: operations may source the accounts.
    if not facts.has_audience:
        gaps.append(
            FieldError("audience", "Choose an audience (filter, segment, list, domain set).")
        )
    if not facts.lead_goal:
        gaps.append(FieldError("lead_goal", "Set a lead goal."))
    if not facts.pacing.get("start_date") or not facts.pacing.get("end_date"):
        gaps.append(FieldError("pacing", "Set the start and end dates."))
    if not facts.question_version:
        gaps.append(FieldError("questions", "Add at least one qualification question."))
    if facts.kind in ("email", "combo") and facts.asset_count == 0:
        gaps.append(FieldError("assets", "Email orders need at least one creative asset."))
    if not facts.compliance_confirmed:
        gaps.append(FieldError("compliance_confirmed", "Confirm the compliance terms."))
    return gaps


# --- qualification questions ---------------------------------------------------------------

CHOICE_TYPES = frozenset({"dropdown", "radio", "checkbox"})


@dataclass(frozen=True)
class Question:
    question: str
    answer_type: str
    options: Sequence[str]
    required: bool
    qualifying_options: Sequence[str] = ()
    qualifying_min: float | None = None

    @classmethod
    def of(cls, source: Any) -> "Question":
        """The question held by anything with these fields: a request body, a stored row."""
        return cls(*(getattr(source, f.name) for f in dataclasses.fields(cls)))


def check_questions(questions: Sequence[Question]) -> None:
    errors = []
    seen: set[str] = set()
    for i, q in enumerate(questions):
        if q.answer_type in CHOICE_TYPES and len(q.options) < 2:
            errors.append(FieldError(f"questions.{i}.options", "Give at least two options."))
        if q.answer_type not in CHOICE_TYPES and q.options:
            errors.append(
                FieldError(f"questions.{i}.options", "Only choice questions have options.")
            )
        errors += qualifying_errors(
            f"questions.{i}", q.answer_type, q.options, q.qualifying_options, q.qualifying_min
        )
        if q.question.casefold() in seen:
            errors.append(FieldError(f"questions.{i}.question", "The same question twice."))
        seen.add(q.question.casefold())
    if errors:
        raise ValidationFailed(errors)


# --- an order's questions become a linked call campaign's --------------------------------

CAMPAIGN_KEY_LENGTH = 40  # a campaign question key: [a-z][a-z0-9_]{0,39}


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    if not slug[:1].isalpha():
        slug = f"q_{slug}".rstrip("_")
    return slug[:CAMPAIGN_KEY_LENGTH].rstrip("_")


def campaign_questions(
    questions: Sequence[Question], keys: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The order's questions as a call campaign's, qualifying rules included. A question
    keeps the key of the campaign question with the same text (`keys`: casefolded text to
    key), so answers already given stay with it; the others get a key made from their text."""
    kept = [keys.get(q.question.casefold()) for q in questions]
    taken = {key for key in kept if key}
    rows = []
    for q, key in zip(questions, kept, strict=True):
        if key is None:
            key = stem = _slug(q.question)
            n = 1
            while key in taken:
                n += 1
                key = f"{stem[: CAMPAIGN_KEY_LENGTH - len(str(n)) - 1]}_{n}"
            taken.add(key)
        rows.append(
            {
                "key": key,
                "label": q.question,
                "answer_type": q.answer_type,
                "options": list(q.options),
                "required": q.required,
                "qualifying_options": list(q.qualifying_options),
                "qualifying_min": q.qualifying_min,
            }
        )
    return rows


# what a campaign question asks and how it qualifies (its key only names the answers)
ASKED = ("label", "answer_type", "options", "required", "qualifying_options", "qualifying_min")


def same_questions(a: Sequence[Mapping[str, Any]], b: Sequence[Mapping[str, Any]]) -> bool:
    """Whether two campaign question lists ask the same, with the same qualifying rules."""

    def asked(rows: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        return [tuple(row[f] for f in ASKED) for row in rows]

    return asked(a) == asked(b)


# --- assets: the file's bytes decide its type -----------------------------------------------

ASSET_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "txt": "text/plain",
}
EXTENSIONS = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "docx": "docx",
    "xlsx": "xlsx",
    "csv": "csv",
    "txt": "txt",
}


def _office_kind(data: bytes) -> str | None:
    """DOCX and XLSX are zip packages told apart by their main part."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def sniff(data: bytes) -> str | None:
    """The asset kind the content is (`csv`/`txt` both read as text), or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return "text" if data and _is_text(data) else None


def asset_kind(filename: str, data: bytes) -> str:
    """The asset kind when the name's extension and the content agree; a 422 otherwise."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    claimed = EXTENSIONS.get(extension)
    if claimed is None:
        allowed = ", ".join(sorted(EXTENSIONS))
        raise ValidationFailed([FieldError("file", f"Allowed file types: {allowed}.")])
    found = sniff(data)
    if found == claimed or (found == "text" and claimed in ("csv", "txt")):
        return claimed
    raise ValidationFailed([FieldError("file", f"The content is not a {extension.upper()} file.")])
