"""SQL statement types for ``client.sql(statement_type=...)`` (pyignite's names)."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["StatementType"]


class StatementType(IntEnum):
    """What a statement may be: the server refuses a mismatch instead of running it."""

    ALL = 0
    SELECT = 1
    UPDATE = 2
