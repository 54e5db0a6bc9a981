"""Schema introspection: the SQL that reads a table's live shape, and what its rows mean.

``plan`` and ``create_all`` compare a model with what the cluster holds
(:class:`~ignite_orm.schema.LiveTable`).  The database twins only run the queries below
and hand their rows here; turning rows into a :class:`LiveTable` is a pure decision,
tested with plain rows.  The rules come from how Ignite fills its SQL system views:

* ``SYS.TABLE_COLUMNS`` lists ``_KEY`` and ``_VAL`` besides the field columns and flags
  the key columns with ``PK``.  A single key flags only ``_KEY``: its column is the
  table's ``KEY_ALIAS`` in ``SYS.TABLES`` (asked only then).  A composite key flags its
  field columns as well as ``_KEY``.
* Binary metadata outlives caches, so the field types are read even when the cache (and
  so the table) does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from ._sql_names import normalize_identifier
from .mapping import ModelInfo
from .schema import LiveTable

__all__ = [
    "COLUMNS_SQL",
    "INDEXES_SQL",
    "KEY_ALIAS_SQL",
    "binary_fields",
    "live_table",
    "missing_table",
    "needs_key_alias",
    "view_args",
]

_WHERE = " WHERE SCHEMA_NAME = ? AND TABLE_NAME = ?"
#: Rows ``(column, Java type, is primary key)``.
COLUMNS_SQL = "SELECT COLUMN_NAME, TYPE, PK FROM SYS.TABLE_COLUMNS" + _WHERE
#: One row ``(key alias,)``, for a table with a single key.
KEY_ALIAS_SQL = "SELECT KEY_ALIAS FROM SYS.TABLES" + _WHERE
#: Rows ``(index name,)``.
INDEXES_SQL = "SELECT INDEX_NAME FROM SYS.INDEXES" + _WHERE

Row = Sequence[Any]


def view_args(info: ModelInfo[BaseModel]) -> list[str]:
    """The query arguments of the three queries: schema and table as the views store them."""
    return [normalize_identifier(info.settings.sql_schema), normalize_identifier(info.table)]


def binary_fields(binary_type: Any) -> dict[str, int]:
    """Field name -> type code of a binary type's metadata (``None``: no such type yet)."""
    if binary_type is None:
        return {}
    return {f.name: int(f.type_code) for f in binary_type.fields}


def missing_table(binary: Mapping[str, int], key_binary: Mapping[str, int]) -> LiveTable:
    """The live side of a model whose cache does not exist (yet)."""
    return LiveTable(False, binary, {}, key_binary_fields=key_binary)


def _key_flags(column_rows: Iterable[Row]) -> set[str]:
    return {column for column, _, pk in column_rows if pk}


def needs_key_alias(column_rows: Iterable[Row]) -> bool:
    """Whether only ``_KEY`` is flagged, so :data:`KEY_ALIAS_SQL` must name the key column."""
    return _key_flags(column_rows) == {"_KEY"}


def live_table(
    binary: Mapping[str, int],
    key_binary: Mapping[str, int],
    column_rows: Sequence[Row],
    alias_rows: Iterable[Row],
    index_rows: Iterable[Row],
    rows: int,
) -> LiveTable:
    """The :class:`LiveTable` of an existing cache from the system views' rows.

    ``alias_rows`` are those of :data:`KEY_ALIAS_SQL` (empty when it was not asked);
    ``rows`` is the number of entries in the cache.
    """
    columns = {column: kind for column, kind, _ in column_rows if column not in ("_KEY", "_VAL")}
    keys = _key_flags(column_rows)
    if keys == {"_KEY"}:
        for (alias,) in alias_rows:
            if alias:
                keys = {normalize_identifier(alias)}
    elif len(keys) > 1:
        keys.discard("_KEY")  # a composite key: its field columns are flagged too
    indexes = frozenset(index for (index,) in index_rows)
    return LiveTable(True, binary, columns, frozenset(keys), indexes, key_binary, rows)
