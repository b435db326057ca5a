"""Client organisations: the customers whose users work in the client portal."""

from typing import Any

from sqlalchemy import Select, select

from store.models import Client


def clients_query() -> Select[Any]:
    return select(Client)
