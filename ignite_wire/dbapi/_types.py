"""PEP 249's type objects and constructors, and what a statement returns.

Ignite's SQL response names the columns but does not type them, so
``Cursor.description`` takes each column's type code from the first non-null value of
the first page (:func:`type_code_of`): the type objects compare equal to the type codes
of their family, as PEP 249 asks (``description[i][1] == NUMBER``).
"""

from __future__ import annotations

import datetime
import decimal
import re
import time
import uuid
from typing import Any

__all__ = [
    "BINARY",
    "DATETIME",
    "NUMBER",
    "ROWID",
    "STRING",
    "Binary",
    "Date",
    "DateFromTicks",
    "Time",
    "TimeFromTicks",
    "Timestamp",
    "TimestampFromTicks",
    "returns_rows",
    "type_code_of",
]

Date = datetime.date
Time = datetime.time
Timestamp = datetime.datetime


def DateFromTicks(ticks: float) -> datetime.date:  # noqa: N802 (PEP 249 name)
    return Date(*time.localtime(ticks)[:3])


def TimeFromTicks(ticks: float) -> datetime.time:  # noqa: N802 (PEP 249 name)
    return Time(*time.localtime(ticks)[3:6])


def TimestampFromTicks(ticks: float) -> datetime.datetime:  # noqa: N802 (PEP 249 name)
    return Timestamp(*time.localtime(ticks)[:6])


def Binary(value: bytes | bytearray | memoryview) -> bytes:  # noqa: N802 (PEP 249 name)
    return bytes(value)


class _TypeObject:
    """Equal to each of the type codes (Python types) of one family."""

    def __init__(self, name: str, *types: type) -> None:
        self.name = name
        self.types = frozenset(types)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _TypeObject):
            return other is self
        return other in self.types

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"<DB-API type {self.name}>"


STRING = _TypeObject("STRING", str)
BINARY = _TypeObject("BINARY", bytes, bytearray)
NUMBER = _TypeObject("NUMBER", int, float, decimal.Decimal, bool)
DATETIME = _TypeObject("DATETIME", datetime.date, datetime.datetime, datetime.time)
ROWID = _TypeObject("ROWID", uuid.UUID)


def type_code_of(value: Any) -> type | None:
    """The type code ``description`` gives a column whose first value is ``value``."""
    if value is None:
        return None
    for kind in type(value).__mro__:
        if any(kind in family.types for family in (STRING, BINARY, NUMBER, DATETIME, ROWID)):
            return kind
    return type(value)


_COMMENTS = re.compile(r"\s*(--[^\n]*\n|/\*.*?\*/)", re.DOTALL)
_FIRST_WORD = re.compile(r"\s*\(*\s*([A-Za-z]+)")
_ROW_STATEMENTS = frozenset({"SELECT", "WITH", "EXPLAIN", "VALUES", "TABLE", "SHOW", "CALL"})


def returns_rows(sql: str) -> bool:
    """Whether a statement answers with rows (a query) or with an update count.

    The thin-client protocol answers both with a result set (DML and DDL as one row
    ``[count]`` under the column ``UPDATED``), so the first keyword decides; comments
    before it are skipped.
    """
    rest = sql
    while True:
        m = _COMMENTS.match(rest)
        if m is None:
            break
        rest = rest[m.end() :]
    word = _FIRST_WORD.match(rest)
    return word is not None and word.group(1).upper() in _ROW_STATEMENTS
