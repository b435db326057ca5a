import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from engine.calling_window import CallingWindow, callee_timezones, is_callable, next_open
from engine.errors import ValidationFailed

NEW_YORK = "+12125551234"
WINDOW = CallingWindow()
NY = ZoneInfo("America/New_York")


def ny(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A New York wall-clock time, as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=NY).astimezone(UTC)


def test_new_york_number_window_edges() -> None:
    zones = callee_timezones(NEW_YORK, None)
    assert zones == ["America/New_York"]
    assert not is_callable(WINDOW, zones, ny(2025, 6, 2, 7, 59))
    assert is_callable(WINDOW, zones, ny(2025, 6, 2, 8, 0))
    assert is_callable(WINDOW, zones, ny(2025, 6, 2, 20, 59))
    assert not is_callable(WINDOW, zones, ny(2025, 6, 2, 21, 0))


def test_contact_time_zone_overrides_the_number() -> None:
    assert callee_timezones(NEW_YORK, "Europe/Berlin") == ["Europe/Berlin"]
    # 08:30 in New York is 14:30 in Berlin: callable only as the contact's zone says.
    at = ny(2025, 6, 2, 7, 30)
    assert not is_callable(WINDOW, callee_timezones(NEW_YORK, None), at)
    assert is_callable(WINDOW, callee_timezones(NEW_YORK, "Europe/Berlin"), at)


def test_bad_contact_time_zone_falls_back_to_the_number() -> None:
    assert callee_timezones(NEW_YORK, "Mars/Olympus") == ["America/New_York"]
    assert callee_timezones(NEW_YORK, "") == ["America/New_York"]


def test_number_in_several_zones_must_be_open_in_all() -> None:
    zones = callee_timezones("+61891234567", None)  # Adelaide and Perth
    assert set(zones) == {"Australia/Adelaide", "Australia/Perth"}
    # In June Adelaide is UTC+9:30, Perth UTC+8.
    assert not is_callable(WINDOW, zones, datetime(2025, 6, 2, 23, 45, tzinfo=UTC))  # 07:45 Perth
    assert is_callable(WINDOW, zones, datetime(2025, 6, 3, 0, 0, tzinfo=UTC))
    assert is_callable(WINDOW, zones, datetime(2025, 6, 3, 11, 29, tzinfo=UTC))
    assert not is_callable(WINDOW, zones, datetime(2025, 6, 3, 11, 30, tzinfo=UTC))  # 21:00 ADL


def test_toll_free_number_spans_the_continent() -> None:
    zones = callee_timezones("+18005551234", None)
    assert len(zones) > 10
    # Noon in New York is 06:00 in Honolulu: not callable everywhere.
    assert not is_callable(WINDOW, zones, ny(2025, 6, 2, 12, 0))
    opens = next_open(WINDOW, zones, ny(2025, 6, 2, 12, 0))
    assert opens is not None
    assert is_callable(WINDOW, zones, opens)
    assert not is_callable(WINDOW, zones, opens - timedelta(minutes=1))


def test_unknown_zone_is_never_callable() -> None:
    zones = callee_timezones("+15555551234", None)
    assert zones == ["Etc/Unknown"]
    assert not is_callable(WINDOW, zones, ny(2025, 6, 2, 12, 0))
    assert next_open(WINDOW, zones, ny(2025, 6, 2, 12, 0)) is None
    assert callee_timezones("not a number", None) == ["Etc/Unknown"]
    assert not is_callable(WINDOW, [], ny(2025, 6, 2, 12, 0))


def test_next_open_is_now_when_open() -> None:
    at = ny(2025, 6, 2, 10, 0)
    assert next_open(WINDOW, ["America/New_York"], at) == at


def test_next_open_next_morning_and_weekdays_only() -> None:
    weekdays = CallingWindow(time(9), time(17), frozenset(range(5)))
    friday_evening = ny(2025, 6, 6, 18, 0)
    assert next_open(weekdays, ["America/New_York"], friday_evening) == ny(2025, 6, 9, 9, 0)
    friday_late = ny(2025, 6, 6, 21, 30)
    assert next_open(WINDOW, ["America/New_York"], friday_late) == ny(2025, 6, 7, 8, 0)


def test_next_open_across_daylight_saving_change() -> None:
    # 2025-03-09: New York moves from UTC-5 to UTC-4.
    opens = next_open(WINDOW, ["America/New_York"], ny(2025, 3, 8, 22, 0))
    assert opens == datetime(2025, 3, 9, 12, 0, tzinfo=UTC)


def test_next_open_none_when_zones_never_share_hours() -> None:
    window = CallingWindow(time(9), time(12))
    assert next_open(window, ["Asia/Tokyo", "America/New_York"], ny(2025, 6, 2, 12)) is None


def test_next_open_agrees_with_is_callable_minute_by_minute() -> None:
    rng = random.Random(7)
    names = [
        "America/New_York",
        "America/Los_Angeles",
        "Europe/London",
        "Asia/Kolkata",
        "Australia/Adelaide",
        "America/St_Johns",
        "Pacific/Honolulu",
        "Asia/Kathmandu",
    ]
    for _ in range(30):
        zones = rng.sample(names, rng.randint(1, 3))
        window = CallingWindow(
            time(rng.randint(6, 10), rng.choice([0, 30])),
            time(21),
            frozenset(rng.sample(range(7), rng.randint(1, 7))),
        )
        start = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 525_600))
        opens = next_open(window, zones, start)
        minute = start
        while minute < start + timedelta(days=8) and not is_callable(window, zones, minute):
            minute += timedelta(minutes=1)
        if opens is None:
            assert minute >= start + timedelta(days=8)
        else:
            assert is_callable(window, zones, opens)
            assert opens - minute < timedelta(minutes=1)
            assert opens >= start


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        is_callable(WINDOW, ["America/New_York"], datetime(2025, 6, 2, 12))


def test_window_validation() -> None:
    with pytest.raises(ValidationFailed):
        CallingWindow(time(21), time(8))
    with pytest.raises(ValidationFailed):
        CallingWindow(days=frozenset({7}))
    with pytest.raises(ValidationFailed):
        CallingWindow(days=frozenset())


def test_window_from_settings() -> None:
    window = CallingWindow.from_settings({"start": "09:30", "end": "18:00", "days": [0, 1, 2]})
    assert window == CallingWindow(time(9, 30), time(18), frozenset({0, 1, 2}))
    assert CallingWindow.from_settings({}) == CallingWindow()
    with pytest.raises(ValidationFailed) as caught:
        CallingWindow.from_settings({"start": "nine", "days": "weekdays", "colour": 1})
    assert {e.field for e in caught.value.errors} == {"start", "days", "colour"}
    assert caught.value.code == "validation_error"
