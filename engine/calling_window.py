"""Calling windows in the callee's local time.

A number may map to several time zones (a toll-free or unknown US area code spans the
continent); it is callable only when the window is open in every one of them. A zone we
cannot resolve makes the number uncallable: the safe side of a compliance rule.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import timezone as phone_timezone

from engine.errors import FieldError, ValidationFailed

UNKNOWN_ZONE = "Etc/Unknown"
SEARCH_HORIZON = timedelta(days=8)
ALL_DAYS = frozenset(range(7))

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class CallingWindow:
    """Local hours [start, end) on the given weekdays (0 = Monday … 6 = Sunday)."""

    start: time = time(8, 0)
    end: time = time(21, 0)
    days: frozenset[int] = field(default=ALL_DAYS)

    def __post_init__(self) -> None:
        errors = []
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            errors.append(FieldError("start", "Window times are local: give them without a zone."))
        if self.start >= self.end:
            errors.append(FieldError("end", "The window must end after it starts."))
        if not self.days or not self.days <= ALL_DAYS:
            errors.append(FieldError("days", "Days are 0 (Monday) to 6 (Sunday), at least one."))
        if errors:
            raise ValidationFailed(errors)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> "CallingWindow":
        """From campaign settings such as {"start": "08:00", "end": "21:00", "days": [0, 1]}."""
        errors: list[FieldError] = []
        start = _parse_time(settings.get("start", "08:00"), "start", errors)
        end = _parse_time(settings.get("end", "21:00"), "end", errors)
        days = _parse_days(settings.get("days", sorted(ALL_DAYS)), errors)
        unknown = set(settings) - {"start", "end", "days"}
        errors += [FieldError(key, "Unknown setting.") for key in sorted(unknown)]
        if errors or start is None or end is None or days is None:
            raise ValidationFailed(errors)
        return cls(start, end, days)


def callee_timezones(e164: str, contact_tz: str | None) -> list[str]:
    """The callee's candidate zones: the contact's own zone if known, else the number's."""
    if contact_tz and _zone(contact_tz) is not None:
        return [contact_tz]
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return [UNKNOWN_ZONE]
    return list(phone_timezone.time_zones_for_number(number)) or [UNKNOWN_ZONE]


def is_callable(window: CallingWindow, zones: Iterable[str], at: datetime) -> bool:
    _require_aware(at)
    loaded = _zones(zones)
    return loaded is not None and all(_open_at(window, at.astimezone(zone)) for zone in loaded)


def next_open(window: CallingWindow, zones: Iterable[str], after: datetime) -> datetime | None:
    """The first instant ≥ after when the window is open in every zone, None if not within
    SEARCH_HORIZON (an unknown zone, or zones too far apart for one window)."""
    _require_aware(after)
    loaded = _zones(zones)
    if loaded is None:
        return None
    stop = after + SEARCH_HORIZON
    common = _open_intervals(window, loaded[0], after, stop)
    for zone in loaded[1:]:
        common = _intersect(common, _open_intervals(window, zone, after, stop))
    return common[0][0].astimezone(UTC) if common else None


def _open_at(window: CallingWindow, local: datetime) -> bool:
    return local.weekday() in window.days and window.start <= local.time() < window.end


def _open_intervals(
    window: CallingWindow, zone: ZoneInfo, lo: datetime, hi: datetime
) -> list[Interval]:
    """The zone's open hours as UTC intervals, clipped to [lo, hi)."""
    day = lo.astimezone(zone).date()
    last = hi.astimezone(zone).date()
    out = []
    while day <= last:
        if day.weekday() in window.days:
            start = _utc(day, window.start, zone)
            end = _utc(day, window.end, zone)
            if end > lo and start < hi:
                out.append((max(start, lo), min(end, hi)))
        day += timedelta(days=1)
    return out


def _intersect(xs: list[Interval], ys: list[Interval]) -> list[Interval]:
    out = []
    i = j = 0
    while i < len(xs) and j < len(ys):
        lo = max(xs[i][0], ys[j][0])
        hi = min(xs[i][1], ys[j][1])
        if lo < hi:
            out.append((lo, hi))
        if xs[i][1] < ys[j][1]:
            i += 1
        else:
            j += 1
    return out


def _utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, zone).astimezone(UTC)


def _zones(names: Iterable[str]) -> list[ZoneInfo] | None:
    """The zones loaded, or None if there are none or any one is unknown."""
    loaded = [_zone(name) for name in names]
    if not loaded or any(zone is None for zone in loaded):
        return None
    return [zone for zone in loaded if zone is not None]


@lru_cache(maxsize=4096)
def _zone(name: str) -> ZoneInfo | None:
    if name == UNKNOWN_ZONE:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("Calling-window checks need an aware datetime (UTC).")


def _parse_time(raw: Any, name: str, errors: list[FieldError]) -> time | None:
    if isinstance(raw, time):
        return raw
    try:
        return time.fromisoformat(raw)
    except (TypeError, ValueError):
        errors.append(FieldError(name, f"{raw!r} is not a time of day such as '08:00'."))
        return None


def _parse_days(raw: Any, errors: list[FieldError]) -> frozenset[int] | None:
    is_list = isinstance(raw, list | tuple | set | frozenset)
    if not is_list or not all(isinstance(d, int) and not isinstance(d, bool) for d in raw):
        errors.append(FieldError("days", "Days are a list of weekday numbers, 0 (Monday) to 6."))
        return None
    return frozenset(raw)
