"""Shared schema bases: strict input (unknown fields refused) and the page envelope."""

from collections.abc import Sequence
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

# A database id: anything else is a 422, never an overflow deep in the driver (a 500).
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    items: Sequence[T]
    next_cursor: str | None
