"""Reporting rules: the period a report covers (local days of a time zone), the grouping
keys, the rates derived from SQL counts, and the flat rows an export writes.

Counts come from store/reporting.py; everything here is plain arithmetic on them.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from engine.errors import FieldError, ValidationFailed

Group = Literal["campaign", "agent", "day", "domain"]
EMAIL_GROUPS: tuple[Group, ...] = ("campaign", "day", "domain")  # emails have no agent
MAX_DAYS = 3660


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC, from the first local day's midnight to the day after the last."""

    zone: ZoneInfo
    start: datetime | None
    end: datetime | None


def period(*, date_from: date | None, date_to: date | None, tz: str) -> Period:
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed([FieldError("tz", f"Unknown time zone {tz!r}.")]) from None
    if date_from and date_to and date_from > date_to:
        raise ValidationFailed([FieldError("date_to", "date_to is before date_from.")])
    if date_from and date_to and (date_to - date_from).days > MAX_DAYS:
        raise ValidationFailed([FieldError("date_to", f"At most {MAX_DAYS} days per report.")])

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)

    return Period(
        zone=zone,
        start=midnight(date_from) if date_from else None,
        end=midnight(date_to + timedelta(days=1)) if date_to else None,
    )


def utc_offsets(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """The zone's UTC offsets (minutes) over [start, end]: (from this instant, offset) pieces,
    one more per change (daylight saving), for databases that know no time zones."""

    def offset(at: datetime) -> int:
        shift = at.astimezone(zone).utcoffset() or timedelta()
        return int(shift.total_seconds() // 60)

    pieces = [(start, offset(start))]
    at = start
    while at < end:
        step = min(at + timedelta(days=1), end)
        if offset(step) != pieces[-1][1]:
            low, high = int(at.timestamp()), int(step.timestamp())
            while high - low > 1:  # the change happens on a whole second
                middle = (low + high) // 2
                moved = offset(datetime.fromtimestamp(middle, UTC)) != pieces[-1][1]
                low, high = (low, middle) if moved else (middle, high)
            changed = datetime.fromtimestamp(high, UTC)
            pieces.append((changed, offset(changed)))
        at = step
    return pieces


def check_group(group: Group, allowed: Sequence[Group], report: str) -> None:
    if group not in allowed:
        raise ValidationFailed(
            [FieldError("group_by", f"The {report} report groups by {', '.join(allowed)}.")]
        )


def ratio(part: float, whole: float) -> float | None:
    """part / whole rounded to 4 places; None when there is nothing to divide by."""
    return round(part / whole, 4) if whole else None


# --- telemarketing ----------------------------------------------------------------------------

CALL_COUNTS = ("attempts", "connects", "talk_seconds", "leads", "approved")


def call_rows(
    calls: Iterable[Mapping[str, Any]],
    dispositions: Mapping[Any, Mapping[str, int]],
    leads: Mapping[Any, Mapping[str, int]],
    approved_statuses: Iterable[str],
) -> list[dict[str, Any]]:
    """One row per group key: call counts, dispositions and leads by QA status merged, with
    the rates. A key with leads but no calls in the period still gets its row."""
    approved = set(approved_statuses)
    rows: dict[Any, dict[str, Any]] = {}
    for call in calls:
        rows[call["key"]] = {"key": call["key"], "label": call["label"], **_zero_calls()} | {
            k: call[k] for k in ("attempts", "connects", "talk_seconds")
        }
    for key, by_status in leads.items():
        row = rows.setdefault(key, {"key": key, "label": None, **_zero_calls()})
        row["leads_by_status"] = dict(by_status)
        row["leads"] = sum(by_status.values())
        row["approved"] = sum(n for s, n in by_status.items() if s in approved)
    for key, codes in dispositions.items():
        if key in rows:
            rows[key]["dispositions"] = dict(codes)
    return [_call_rates(row) for row in sorted(rows.values(), key=_order)]


def _zero_calls() -> dict[str, Any]:
    return {
        "attempts": 0,
        "connects": 0,
        "talk_seconds": 0.0,
        "dispositions": {},
        "leads": 0,
        "approved": 0,
        "leads_by_status": {},
    }


def _call_rates(row: dict[str, Any]) -> dict[str, Any]:
    row["talk_seconds"] = round(float(row["talk_seconds"]), 1)
    row["connect_rate"] = ratio(row["connects"], row["attempts"])
    row["conversion_rate"] = ratio(row["leads"], row["connects"])
    row["avg_talk_seconds"] = (
        round(row["talk_seconds"] / row["connects"], 1) if row["connects"] else None
    )
    return row


def call_totals(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The rows summed (rates recomputed, not averaged)."""
    total: dict[str, Any] = {"key": None, "label": "total", **_zero_calls()}
    for row in rows:
        for name in CALL_COUNTS:
            total[name] += row[name]
        for field in ("dispositions", "leads_by_status"):
            for code, n in row[field].items():
                total[field][code] = total[field].get(code, 0) + n
    return _call_rates(total)


# --- email --------------------------------------------------------------------------------------

EMAIL_COUNTS = (
    "sent",
    "delivered",
    "opens",
    "unique_opens",
    "clicks",
    "unique_clicks",
    "bounces",
    "complaints",
    "unsubscribes",
)


def email_rows(counts: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [_email_rates(dict(row)) for row in sorted(counts, key=_order)]


def _email_rates(row: dict[str, Any]) -> dict[str, Any]:
    for name in EMAIL_COUNTS:
        row[name] = int(row[name] or 0)
    delivered = row["delivered"]
    row["delivery_rate"] = ratio(delivered, row["sent"])
    row["open_rate"] = ratio(row["unique_opens"], delivered)
    row["ctr"] = ratio(row["unique_clicks"], delivered)
    row["bounce_rate"] = ratio(row["bounces"], row["sent"])
    row["complaint_rate"] = ratio(row["complaints"], delivered)
    row["unsubscribe_rate"] = ratio(row["unsubscribes"], delivered)
    return row


def email_totals(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {"key": None, "label": "total"}
    for name in EMAIL_COUNTS:
        total[name] = sum(row[name] for row in rows)
    return _email_rates(total)


# --- ABM ----------------------------------------------------------------------------------------


def coverage_rows(counts: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Accounts targeted and reached (one contact reached is enough) per campaign/segment."""
    return [
        dict(row) | {"coverage": ratio(row["accounts_reached"], row["accounts_targeted"])}
        for row in sorted(counts, key=_order)
    ]


def penetration_rows(counts: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per account: how many of its contacts were targeted and reached."""
    return [
        dict(row) | {"penetration": ratio(row["contacts_reached"], row["contacts"])}
        for row in counts
    ]


def _order(row: Mapping[str, Any]) -> tuple[bool, str]:
    # Rows without a key (no agent, no account) last; numbers and days in natural order.
    key = row["key"]
    return key is None, f"{key:>20}" if isinstance(key, int) else str(key)


# --- exports ------------------------------------------------------------------------------------

KEY_COLUMNS = ("key", "label")
EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "telemarketing": (
        *KEY_COLUMNS,
        "attempts",
        "connects",
        "connect_rate",
        "talk_seconds",
        "avg_talk_seconds",
        "leads",
        "approved",
        "conversion_rate",
    ),
    "email": (
        *KEY_COLUMNS,
        *EMAIL_COUNTS,
        "delivery_rate",
        "open_rate",
        "ctr",
        "bounce_rate",
        "complaint_rate",
        "unsubscribe_rate",
    ),
    "coverage": (*KEY_COLUMNS, "accounts_targeted", "accounts_reached", "coverage"),
    "penetration": (
        "account_id",
        "account_name",
        "domain",
        "contacts",
        "contacts_targeted",
        "contacts_reached",
        "penetration",
    ),
}
# Telemarketing rows also carry one column per disposition code and per QA status found.
NESTED = {"telemarketing": ("dispositions", "leads_by_status")}


def export_table(
    report: str, rows: Sequence[Mapping[str, Any]]
) -> tuple[list[str], list[list[Any]]]:
    """The header and the values of a report's rows, nested counts spread into columns."""
    columns = list(EXPORT_COLUMNS[report])
    spread = [
        (field, sorted({name for row in rows for name in row[field]}))
        for field in NESTED.get(report, ())
    ]
    header = columns + [f"{field}.{name}" for field, names in spread for name in names]
    values = [
        [row[c] for c in columns]
        + [row[field].get(name, 0) for field, names in spread for name in names]
        for row in rows
    ]
    return header, values
