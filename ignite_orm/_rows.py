"""Typed rows of SQL results that are not models: named tuples made per column list.

``Repository.sql`` yields a model per row when a query selects ``_KEY, _VAL``, else a
named tuple whose fields are the lower-cased column names (names that are no Python
identifier are renamed ``_0``, ``_1``, ... by :func:`collections.namedtuple`).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence
from typing import Any

__all__ = ["is_entry_header", "row_type"]

_ROW_TYPES: dict[tuple[str, ...], Any] = {}
#: ``collections.namedtuple``, called with names known only at run time.
_make_row: Any = namedtuple


def is_entry_header(names: Sequence[str]) -> bool:
    """Whether a result's column names are those of stored entries (``_KEY, _VAL``)."""
    return list(names[:2]) == ["_KEY", "_VAL"]


def row_type(names: Sequence[str]) -> Any:
    """A named tuple class for these column names (cached; lower-case identifiers)."""
    key = tuple(names)
    cached: Any = _ROW_TYPES.get(key)
    if cached is None:
        cached = _make_row("Row", [n.lower() for n in names], rename=True)
        _ROW_TYPES[key] = cached
    return cached
