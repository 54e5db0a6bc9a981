"""Comparing models with a live cluster: what ``create_all`` would do, and what it refuses.

A :class:`Plan` lists steps per model.  Creating a cache (with its table) and adding
columns or indexes are additive: old rows stay readable (a new field takes its default)
and applying them twice changes nothing.  Changing a field's type, dropping a field that
holds data, or changing the key are incompatible: the plan names them and
:meth:`Plan.check` raises :class:`SchemaConflictError` before anything is written.

The live side is read from the binary type metadata (field types) and from the SQL system
views ``SYS.TABLES``, ``SYS.TABLE_COLUMNS`` and ``SYS.INDEXES``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from ignite_wire import GenericObjectMeta

from ._schema_entity import indexes
from ._sql_names import normalize_identifier, qualified_name, quote_identifier
from .errors import SchemaConflictError
from .mapping import FieldInfo, ModelInfo

__all__ = ["Plan", "SchemaConflictError", "Step", "diff", "sql_type"]


_SQL_TYPES = {
    "java.lang.Boolean": "BOOLEAN",
    "java.lang.Byte": "TINYINT",
    "java.lang.Short": "SMALLINT",
    "java.lang.Integer": "INT",
    "java.lang.Long": "BIGINT",
    "java.lang.Float": "REAL",
    "java.lang.Double": "DOUBLE",
    "java.lang.String": "VARCHAR",
    "java.lang.Character": "CHAR",
    "java.math.BigDecimal": "DECIMAL",
    "java.util.UUID": "UUID",
    "java.util.Date": "TIMESTAMP",
    "java.sql.Time": "TIME",
    "java.sql.Timestamp": "TIMESTAMP",
    "[B": "BINARY",
}


def sql_type(f: FieldInfo) -> str | None:
    """The SQL column type of a field, ``None`` for fields SQL cannot hold (collections)."""
    base = _SQL_TYPES.get(f.type.java_type)
    if base is None:
        return None
    if base == "DECIMAL" and f.precision >= 0:
        return f"DECIMAL({f.precision}, {max(f.scale, 0)})"
    if base == "VARCHAR" and f.precision >= 0:
        return f"VARCHAR({f.precision})"
    return base


@dataclass(frozen=True, slots=True)
class Step:
    """One change: ``kind`` is create_cache, add_column, create_index or a conflict.

    ``target`` is the model class itself: two models may share a class name (defined in
    different modules), so steps are matched to models by identity, never by name.
    """

    model: str
    kind: str
    detail: str
    sql: str | None = None
    target: Any = field(default=None, compare=False, repr=False)

    @property
    def conflict(self) -> bool:
        return self.kind == "conflict"

    def __str__(self) -> str:
        return f"{self.model}: {self.kind}: {self.detail}"


@dataclass(slots=True)
class Plan:
    """The steps that would bring the cluster to the models."""

    steps: list[Step] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.steps

    @property
    def conflicts(self) -> list[Step]:
        return [s for s in self.steps if s.conflict]

    def check(self) -> None:
        """Raise :class:`SchemaConflictError` listing every incompatible change."""
        if self.conflicts:
            lines = "\n  ".join(str(s) for s in self.conflicts)
            raise SchemaConflictError(f"the models cannot be applied to the cluster:\n  {lines}")

    def __str__(self) -> str:
        return "\n".join(str(s) for s in self.steps) or "nothing to do"


@dataclass(frozen=True, slots=True)
class LiveTable:
    """What the cluster has for one model's cache."""

    cache_exists: bool
    binary_fields: Mapping[str, int]  # field name -> type code (value type metadata)
    columns: Mapping[str, str]  # column name as stored -> Java type (SYS.TABLE_COLUMNS.TYPE)
    key_columns: frozenset[str] = frozenset()
    indexes: frozenset[str] = frozenset()  # index names as stored
    key_binary_fields: Mapping[str, int] = field(default_factory=dict)  # composite key type
    rows: int = 0  # entries in the cache: a new required field is a problem only if > 0


#: Binary type codes as a user reads them: the Python type the ORM maps to each, and the
#: marker that pins it where Python has no type of its own.
_TYPE_NAMES = {
    1: "int (Int8, byte)",
    2: "int (Int16, short)",
    3: "int (Int32)",
    4: "int (long)",
    5: "float (Float32)",
    6: "float (double)",
    7: "str (Char)",
    8: "bool",
    9: "str",
    10: "UUID",
    11: "date (java.util.Date)",
    12: "bytes",
    23: "tuple (object array)",
    24: "list or set (collection)",
    25: "dict (map)",
    30: "Decimal",
    33: "datetime (timestamp)",
    36: "time",
    103: "a nested model (binary object)",
}


def type_code_name(code: int) -> str:
    """A binary type code as a user reads it (``30`` -> ``Decimal``)."""
    return _TYPE_NAMES.get(code, f"binary type code {code}")


def _type_code(cls: GenericObjectMeta, f: FieldInfo) -> int | None:
    bt = cls.binary_type
    for bf in bt.fields.values() if isinstance(bt.fields, Mapping) else bt.fields:
        if getattr(bf, "name", None) == f.name:
            return int(bf.type_code)
    return None


def _model_name(info: ModelInfo[BaseModel]) -> str:
    return info.model.__name__


def _type_conflicts(info: ModelInfo[BaseModel], live: LiveTable) -> list[Step]:
    """Fields whose type differs from the cluster's binary metadata of the same type.

    Binary metadata outlives caches (a dropped and recreated cache keeps it), so this is
    checked whether or not the cache exists: the server would refuse the registration.
    """
    steps = []
    pairs: list[tuple[GenericObjectMeta, list[FieldInfo], Mapping[str, int]]] = [
        (info.value_class, info.value_fields, live.binary_fields)
    ]
    if info.key_class is not None:
        pairs.append((info.key_class, info.key_fields, live.key_binary_fields))
    for cls, fields, live_fields in pairs:
        for f in fields:
            ours = _type_code(cls, f)
            theirs = live_fields.get(f.name)
            if theirs is not None and ours is not None and theirs != ours:
                steps.append(
                    Step(
                        _model_name(info),
                        "conflict",
                        f"field {f.name!r} of binary type {cls.type_name!r} is "
                        f"{type_code_name(theirs)} in the cluster, "
                        f"{type_code_name(ours)} in the model",
                        target=info.model,
                    )
                )
    return steps


def _new_required_fields(info: ModelInfo[BaseModel], live: LiveTable) -> list[Step]:
    """New fields that old rows cannot fill: required, without a default, not Optional.

    Rows stored before the field existed would come back without a value for it, so
    adding such a field to a cache that holds rows is refused (give it a default or make
    it Optional).  The field counts as new while the binary type lacks it.
    """
    if not live.cache_exists or live.rows == 0:
        return []
    return [
        Step(
            _model_name(info),
            "conflict",
            f"field {f.name!r} is new and required (no default, not Optional): the "
            f"{live.rows} stored row(s) have no value for it; give it a default or make it "
            "Optional",
            target=info.model,
        )
        for f in info.value_fields
        if f.name not in live.binary_fields and f.required
    ]


def diff(info: ModelInfo[BaseModel], live: LiveTable) -> list[Step]:
    """The steps for one model given what the cluster has.

    Every identifier in the SQL of a step is quoted (:mod:`._sql_names`), so keywords and
    odd characters are legal names; every step is idempotent (``IF NOT EXISTS``) and is
    planned from what the cluster shows, so a run stopped half-way is finished by the
    next ``create_all`` and ``plan`` in between shows exactly what remains.
    """
    name = _model_name(info)
    model = info.model
    steps = _type_conflicts(info, live) + _new_required_fields(info, live)
    if not live.cache_exists:
        steps.append(
            Step(
                name,
                "create_cache",
                f"cache {info.cache_name!r} with table {info.table}",
                target=model,
            )
        )
        return steps
    table = qualified_name(info.settings.sql_schema, info.table)
    for f in info.value_fields:
        if not live.columns:
            break  # no SQL table to extend
        if normalize_identifier(f.column) in live.columns:
            continue
        kind = sql_type(f)
        if kind is None:
            continue  # not SQL-visible; a new binary schema is enough
        column = quote_identifier(f.column)
        steps.append(
            Step(
                name,
                "add_column",
                f"{f.column} {kind}",
                f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {kind}",
                target=model,
            )
        )
    ours_key = frozenset(normalize_identifier(f.column) for f in info.key_fields)
    if live.key_columns and ours_key != live.key_columns:
        steps.append(
            Step(
                name,
                "conflict",
                f"the key is ({', '.join(sorted(live.key_columns))}) in the cluster, "
                f"({', '.join(sorted(ours_key))}) in the model",
                target=model,
            )
        )
    if not info.composite:
        # A single key is no binary object, so no metadata says its type: the SQL column does.
        f = info.key_fields[0]
        theirs_type = live.columns.get(normalize_identifier(f.column))
        if theirs_type is not None and theirs_type != f.type.java_type:
            steps.append(
                Step(
                    name,
                    "conflict",
                    f"the key {f.name!r} is {theirs_type} in the cluster, "
                    f"{f.type.java_type} in the model",
                    target=model,
                )
            )
    for index in indexes(info):
        if normalize_identifier(index["index_name"]) in live.indexes or not live.columns:
            continue
        cols = ", ".join(
            f"{quote_identifier(c['name'])} {'DESC' if c['is_descending'] else 'ASC'}"
            for c in index["fields"]
        )
        inline = f" INLINE_SIZE {index['inline_size']}" if index["inline_size"] >= 0 else ""
        steps.append(
            Step(
                name,
                "create_index",
                index["index_name"],
                f"CREATE INDEX IF NOT EXISTS {quote_identifier(index['index_name'])} "
                f"ON {table} ({cols}){inline}",
                target=model,
            )
        )
    return steps


def merge(steps: Iterable[Iterable[Step]]) -> Plan:
    return Plan([s for group in steps for s in group])


def as_dict(step: Step) -> dict[str, Any]:
    return {"model": step.model, "kind": step.kind, "detail": step.detail, "sql": step.sql}
