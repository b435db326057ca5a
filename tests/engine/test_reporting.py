"""Reporting rules: local-day periods, zone offsets across daylight saving, rates, tables."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from engine import reporting
from engine.errors import ValidationFailed


def test_a_period_runs_from_local_midnight_to_the_midnight_after_the_last_day() -> None:
    found = reporting.period(
        date_from=date(2026, 3, 29), date_to=date(2026, 3, 29), tz="Europe/Paris"
    )
    assert found.start == datetime(2026, 3, 28, 23, tzinfo=UTC)
    assert found.end == datetime(2026, 3, 29, 22, tzinfo=UTC)  # a 23-hour day
    assert reporting.period(date_from=None, date_to=None, tz="UTC").start is None
    for bad in ({"tz": "Nowhere/Town"}, {"tz": "UTC", "date_from": date(2026, 2, 1)}):
        with pytest.raises(ValidationFailed):
            reporting.period(**{"date_from": None, "date_to": date(2026, 1, 1)} | bad)


def test_offsets_change_on_the_second_daylight_saving_starts_and_ends() -> None:
    pieces = reporting.utc_offsets(
        ZoneInfo("Europe/Paris"),
        datetime(2026, 3, 1, tzinfo=UTC),
        datetime(2026, 12, 1, tzinfo=UTC),
    )
    assert pieces == [
        (datetime(2026, 3, 1, tzinfo=UTC), 60),
        (datetime(2026, 3, 29, 1, tzinfo=UTC), 120),
        (datetime(2026, 10, 25, 1, tzinfo=UTC), 60),
    ]
    kolkata = ZoneInfo("Asia/Kolkata")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert reporting.utc_offsets(kolkata, start, start) == [(start, 330)]


def test_rates_totals_and_export_tables() -> None:
    assert reporting.ratio(1, 3) == 0.3333
    assert reporting.ratio(1, 0) is None
    rows = reporting.call_rows(
        [{"key": 1, "label": "A", "attempts": 4, "connects": 2, "talk_seconds": 61.04}],
        {1: {"busy": 2}},
        {1: {"approved": 1, "new": 1}, 2: {"published": 1}},
        ["approved", "published"],
    )
    assert [(r["key"], r["leads"], r["approved"], r["connect_rate"]) for r in rows] == [
        (1, 2, 1, 0.5),
        (2, 1, 1, None),
    ]
    total = reporting.call_totals(rows)
    assert (total["attempts"], total["approved"], total["leads_by_status"]["new"]) == (4, 2, 1)
    header, values = reporting.export_table("telemarketing", rows)
    assert header[-4:] == [
        "dispositions.busy",
        "leads_by_status.approved",
        "leads_by_status.new",
        "leads_by_status.published",
    ]
    assert values[1][-4:] == [0, 0, 0, 1]
    with pytest.raises(ValidationFailed):
        reporting.check_group("agent", reporting.EMAIL_GROUPS, "email")
