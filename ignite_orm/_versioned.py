"""Compare-and-replace by meaning, for rows the model did not write byte for byte.

Ignite's ``replace(key, expected, new)`` compares the stored binary object with
``expected`` *byte for byte*.  A row inserted by SQL, written by another client, or
written by an older version of the model (before a field was added) holds the same
values in other bytes (field order, a missing field, another footer), so that check
fails for ever although nothing changed.  The ORM therefore compares what the check
means:

* with a ``Version`` field, the version (a missing or null one reads as the field's
  default): a SQL ``UPDATE ... WHERE <key> AND COALESCE(<version>, <default>) = ?``
  writes the new values only if the version is still the one loaded, atomically on the
  server, whatever bytes the row holds;
* inside a session's transaction (every cache transactional), the stored object is read
  under the transaction's lock and compared as a model, then overwritten.

The SQL form needs every value field to be a column SQL can write back as the same
binary field (:attr:`~ignite_orm._types.FieldType.sql_writable`).  Before it, and for
models it cannot serve, :func:`as_stored` rebuilds the stored object in the layout it was
written with when that layout is the model's own minus fields added since (a row of an
older version of the model): Ignite's byte-for-byte check then compares like with like.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from pydantic import BaseModel

from ignite_wire import GenericObjectMeta
from ignite_wire.binary import absent_fields_of, fields_of, schema_of, type_name_of

from ._sql_names import qualified_name, quote_identifier
from .mapping import ModelInfo

__all__ = ["as_stored", "guarded_update", "sql_writable"]

#: (type name, fields present) -> the binary class of that layout; a few per model.
_LAYOUTS: dict[tuple[str, tuple[str, ...]], Any] = {}


def as_stored(stored: Any) -> Any | None:
    """``stored`` (an object as read) re-made with only the fields it carried, in its
    class's order: the bytes an older version of the model wrote.  ``None`` if it carried
    every field (then its layout is the model's, and rebuilding it changes nothing)."""
    absent = absent_fields_of(stored)
    if not absent:
        return None
    schema = schema_of(stored)
    present = tuple(n for n in schema if n not in absent)
    name = type_name_of(stored)
    cls = _LAYOUTS.get((name, present))
    if cls is None:
        layout = OrderedDict((n, schema[n]) for n in present)
        cls = GenericObjectMeta(name.rsplit(".", 1)[-1], (), {}, type_name=name, schema=layout)
        _LAYOUTS[(name, present)] = cls
    values = fields_of(stored)
    return cls(**{n: values[n] for n in present})


def sql_writable(info: ModelInfo[BaseModel]) -> bool:
    """Whether a SQL UPDATE can write every value field of ``info``'s model."""
    return all(f.type.sql_writable for f in info.value_fields)


def guarded_update(
    info: ModelInfo[BaseModel], key: Any, new_value: Any, version: Any
) -> tuple[str, list[Any]]:
    """``UPDATE`` setting every value column to ``new_value``'s, where the row has ``key``
    and the version ``version`` (a null or missing version counts as the default)."""
    assert info.version_field is not None
    values = fields_of(new_value)
    sets = ", ".join(f"{quote_identifier(f.column)} = ?" for f in info.value_fields)
    args: list[Any] = [values[f.name] for f in info.value_fields]
    if info.composite:
        key_values = fields_of(key)
        conditions = [f"{quote_identifier(f.column)} = ?" for f in info.key_fields]
        args += [key_values[f.name] for f in info.key_fields]
    else:
        conditions = [f"{quote_identifier(info.key_fields[0].column)} = ?"]
        args.append(key)
    field = info.by_name[info.version_field]
    column = quote_identifier(field.column)
    default = field.default if not callable(field.default) else None
    if version is None:
        conditions.append(f"{column} IS NULL")
    elif default is None:
        conditions.append(f"{column} = ?")
        args.append(version)
    else:
        conditions.append(f"COALESCE({column}, ?) = ?")
        args += [default, version]
    table = qualified_name(info.settings.sql_schema, info.table)
    return f"UPDATE {table} SET {sets} WHERE {' AND '.join(conditions)}", args
