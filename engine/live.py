"""The shapes of the live stream's job and lead events (docs/api.md, "Live stream").

Every background job that ends sends one `<job>.ended` event with what a browser's notice
needs: the job's id, how it ended, a short sentence and the screen that shows it (a hash
route). Lead changes are sent as ids only, one event per change however many leads it
touched, so a bulk decision is one message and the grid reads those rows again.
"""

from collections.abc import Callable, Iterable
from typing import Any, Literal

Event = dict[str, Any]
LeadChange = Literal["created", "decided", "scored"]
# How a worker in an API process hands its events to the stream (api/stream.py `Outbox`).
Emit = Callable[[list[Event]], None]


def nowhere(events: list[Event]) -> None:
    """The `Emit` of a worker nobody follows live (tests, tools)."""


def job_ended(
    job: str, job_id: int, *, status: str, message: str, link: str | None, **extra: Any
) -> Event:
    return {
        "type": f"{job}.ended",
        "id": job_id,
        "status": status,
        "message": message,
        "link": link,
        **extra,
    }


def leads_changed(ids: Iterable[int], change: LeadChange) -> Event:
    return {"type": "leads.changed", "ids": sorted(set(ids)), "change": change}


def lead_link(lead_id: int) -> str:
    return f"#/qa?lead={lead_id}"
