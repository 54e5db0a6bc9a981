"""SQL identifiers from user-chosen names: every name the ORM writes into SQL goes here.

Ignite normalises the names of tables, columns and indexes that a query entity declares
the way its SQL engine treats unquoted identifiers: upper case (unless the cache sets
``sqlEscapeAll``, which the ORM does not).  So the quoted, upper-cased form names exactly
the object the server made, and quoting makes every legal name safe in SQL text: keywords
(``ORDER``, ``GROUP``, ``LIMIT``, ``KEY``, ``VALUE``), spaces, quotes and other characters.
"""

from __future__ import annotations

__all__ = ["normalize_identifier", "qualified_name", "quote_identifier"]


def normalize_identifier(name: str) -> str:
    """The name as the server stores it (what ``SYS`` views show)."""
    return name.upper()


def quote_identifier(name: str) -> str:
    """``name`` as a quoted SQL identifier naming what the server stored for it."""
    return '"' + normalize_identifier(name).replace('"', '""') + '"'


def qualified_name(schema: str, table: str) -> str:
    """``"SCHEMA"."TABLE"``, each part quoted."""
    return f"{quote_identifier(schema)}.{quote_identifier(table)}"
