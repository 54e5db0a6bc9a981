"""SQL identifiers from user-chosen names: every name the ORM writes into SQL goes here.

Ignite normalises the names of tables, columns and indexes that a query entity declares
the way its SQL engine treats unquoted identifiers: upper case (unless the cache sets
``sqlEscapeAll``, which the ORM does not).  So the quoted, upper-cased form names exactly
the object the server made, and quoting makes every legal name safe in SQL text: keywords
(``ORDER``, ``GROUP``, ``LIMIT``, ``KEY``, ``VALUE``), spaces, dots, ``$`` and non-ASCII
letters.  Python's ``str.upper`` agrees with Java's ``toUpperCase`` on the names checked
against the server (``ß`` -> ``SS``, ``ǆ`` -> ``Ǆ``, dotless i -> ``I``, ``ﬁ`` -> ``FI``).

One character is not legal: Ignite 2.x builds its SQL tables from a query entity without
escaping ``"``, so a table, column or index name holding one leaves the whole table
unknown to SQL.  :func:`identifier_problem` says so, and models refuse such names.
"""

from __future__ import annotations

__all__ = ["identifier_problem", "normalize_identifier", "qualified_name", "quote_identifier"]


def normalize_identifier(name: str) -> str:
    """The name as the server stores it (what ``SYS`` views show)."""
    return name.upper()


def quote_identifier(name: str) -> str:
    """``name`` as a quoted SQL identifier naming what the server stored for it."""
    return '"' + normalize_identifier(name).replace('"', '""') + '"'


def qualified_name(schema: str, table: str) -> str:
    """``"SCHEMA"."TABLE"``, each part quoted."""
    return f"{quote_identifier(schema)}.{quote_identifier(table)}"


def identifier_problem(name: str) -> str | None:
    """Why ``name`` cannot name a SQL schema, table, column or index, or ``None``."""
    if not name.strip():
        return "an empty name"
    if '"' in name:
        return "a name holding '\"' (Ignite leaves such a table unknown to SQL)"
    if "\x00" in name:
        return "a name holding NUL"
    return None
