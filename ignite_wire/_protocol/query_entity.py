"""Query entities (cache property 200) in pyignite's dict form and on the wire.

The layout is the same in both directions, the create request and the GET_CONFIGURATION
answer (``ClientCacheConfigurationSerializer``, reference section 4)::

    Str keyType, Str valueType, Str tableName, Str keyFieldName, Str valueFieldName
    i32 n, (Str name, Str javaType, bool isKey, bool notNull, Object default,
            [>= 1.2.0: i32 precision, i32 scale])*
    i32 n, (Str fieldName, Str alias)*
    i32 n, (Str name, i8 indexType, i32 inlineSize, i32 n, (Str field, bool descending)*)*

Two things are easy to get wrong.  Precision and scale exist only from protocol 1.2.0 on;
an older server reads the next field's bytes in their place, so asking for them there is
an error rather than something to drop silently.  And the index's "descending" flag is
the negation of Java's ``QueryIndex`` field map (name -> ascending): the server flips it,
so the wire, like pyignite's ``is_descending``, already says "descending".

The dicts use pyignite's keys.  Missing optional keys take the server's defaults (null
names, no fields, -1 for "not set"); unknown keys are errors, because a misspelt
``is_key_feild`` silently dropped would make a table with the wrong primary key.  A
field's default value is written with the Ignite type its ``type_name`` names when that
is a plain Java type, so ``{'type_name': 'java.lang.Integer', 'default_value': 0}`` sends
an ``int`` rather than the ``long`` a Python ``int`` becomes by default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import IntEnum
from typing import Any, Final, TypeVar

from ..exceptions import EncodeError, NotSupportedByClusterError
from .buffer import (
    Buffer,
    pack_bool,
    pack_i8,
    pack_i32,
    read_bool,
    read_count,
    read_i8,
    read_i32,
    read_str,
)
from .buffer import write_str as _write_str
from .cache_props import IndexType
from .codec import decode_value, write_value
from .context import CodecContext
from .features import ProtocolVersion, VersionFeature, version_supports
from .type_codes import TypeCode
from .writers import is_hint

__all__ = [
    "decode_query_entities",
    "encode_query_entities",
    "enum_or_int",
    "is_member",
    "items",
    "record",
    "write_text",
]

E = TypeVar("E", bound=IntEnum)

_I32_MAX: Final = (1 << 31) - 1

_ENTITY_KEYS: Final = (
    "key_type_name",
    "value_type_name",
    "table_name",
    "key_field_name",
    "value_field_name",
)
_ENTITY_ALL: Final = frozenset(
    (*_ENTITY_KEYS, "query_fields", "field_name_aliases", "query_indexes")
)
_FIELD_ALL: Final = frozenset(
    (
        "name",
        "type_name",
        "is_key_field",
        "is_notnull_constraint_field",
        "default_value",
        "precision",
        "scale",
    )
)
_ALIAS_ALL: Final = frozenset(("field_name", "alias"))
_INDEX_ALL: Final = frozenset(("index_name", "index_type", "inline_size", "fields"))
_INDEX_FIELD_ALL: Final = frozenset(("name", "is_descending"))

#: Java types whose default values get an exact Ignite type (boxed and primitive names).
_DEFAULT_TYPE: Final[dict[str, int]] = {
    "java.lang.Byte": TypeCode.BYTE,
    "byte": TypeCode.BYTE,
    "java.lang.Short": TypeCode.SHORT,
    "short": TypeCode.SHORT,
    "java.lang.Integer": TypeCode.INT,
    "int": TypeCode.INT,
    "java.lang.Long": TypeCode.LONG,
    "long": TypeCode.LONG,
    "java.lang.Float": TypeCode.FLOAT,
    "float": TypeCode.FLOAT,
    "java.lang.Double": TypeCode.DOUBLE,
    "double": TypeCode.DOUBLE,
    "java.lang.Character": TypeCode.CHAR,
    "char": TypeCode.CHAR,
    "java.lang.Boolean": TypeCode.BOOL,
    "boolean": TypeCode.BOOL,
    "java.lang.String": TypeCode.STRING,
    "java.util.UUID": TypeCode.UUID,
    "java.util.Date": TypeCode.DATE,
    "java.math.BigDecimal": TypeCode.DECIMAL,
    "java.sql.Timestamp": TypeCode.TIMESTAMP,
    "java.sql.Time": TypeCode.TIME,
}


# -- shared checks (also used by cache_config) -----------------------------------------


def _rebase(exc: EncodeError, path: str) -> EncodeError:
    """``exc`` with ``path`` put in front of its own path (for nested encoders)."""
    message = exc.message
    suffix = f" at {exc.path}"
    if exc.path and message.endswith(suffix):
        message = message[: -len(suffix)]
    return EncodeError(message, path=path + exc.path)


def items(value: object, path: str) -> Sequence[Any]:
    """The elements of a list-valued setting (``None`` is an empty list, as in Java)."""
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return value
    raise EncodeError(f"expected a list, not {type(value).__name__}", path=path)


def write_text(out: bytearray, value: object, path: str, *, required: bool = False) -> None:
    """Append a typed string, or null for ``None`` unless ``required``."""
    if value is None and not required:
        out.append(TypeCode.NULL)
        return
    if value is None:
        raise EncodeError("a string is required, not None", path=path)
    if not isinstance(value, str):
        raise EncodeError(f"expected a string, not {type(value).__name__}", path=path)
    try:
        _write_str(out, value)
    except UnicodeEncodeError:
        raise EncodeError("string has no UTF-8 form (lone surrogate)", path=path) from None


def enum_or_int(cls: type[E], value: int) -> E | int:
    """The member of ``cls`` with ``value``, or ``value`` itself if ``cls`` has none.

    Decoding keeps unknown codes (a newer server may add some) instead of failing.
    """
    try:
        return cls(value)
    except ValueError:
        return value


def is_member(cls: type[IntEnum], value: object) -> bool:
    """Whether ``value`` is an ``int`` (not a ``bool``) that ``cls`` has a member for."""
    if isinstance(value, bool) or not isinstance(value, int):
        return False
    return any(member.value == value for member in cls)


def record(value: object, path: str, known: frozenset[str], required: tuple[str, ...]) -> Any:
    """``value`` checked to be a dict with only ``known`` keys and every ``required`` one."""
    if not isinstance(value, Mapping):
        raise EncodeError(f"expected a dict, not {type(value).__name__}", path=path)
    for key in value:
        if key not in known:
            raise EncodeError(f"unknown key {key!r} (expected some of {sorted(known)})", path=path)
    for key in required:
        if value.get(key) is None:
            raise EncodeError(f"{key!r} is required", path=path)
    return value


def _write_flag(out: bytearray, value: object, path: str) -> None:
    if isinstance(value, bool) or (type(value) is int and value in (0, 1)):
        out += pack_bool(bool(value))
        return
    raise EncodeError(f"expected a bool, not {value!r}", path=path)


def _write_size(out: bytearray, value: object, path: str) -> None:
    """An i32 where -1 means "not set" (precision, scale, inline size)."""
    if isinstance(value, bool) or not isinstance(value, int) or not -1 <= value <= _I32_MAX:
        raise EncodeError(f"expected an int from -1 to {_I32_MAX}, not {value!r}", path=path)
    out += pack_i32(int(value))


# -- encoding ---------------------------------------------------------------------------


def encode_query_entities(
    out: bytearray, value: object, path: str, version: ProtocolVersion, ctx: CodecContext
) -> None:
    """Append ``i32 n`` and the entities of ``value`` (a list of pyignite dicts)."""
    entities = items(value, path)
    out += pack_i32(len(entities))
    for i, entity in enumerate(entities):
        _write_entity(out, entity, f"{path}[{i}]", version, ctx)


def _write_entity(
    out: bytearray, value: object, path: str, version: ProtocolVersion, ctx: CodecContext
) -> None:
    entity = record(value, path, _ENTITY_ALL, ())
    for key in _ENTITY_KEYS:
        write_text(out, entity.get(key), f"{path}[{key!r}]")

    fpath = f"{path}['query_fields']"
    fields = items(entity.get("query_fields"), fpath)
    out += pack_i32(len(fields))
    for i, field in enumerate(fields):
        _write_field(out, field, f"{fpath}[{i}]", version, ctx)

    apath = f"{path}['field_name_aliases']"
    aliases = items(entity.get("field_name_aliases"), apath)
    out += pack_i32(len(aliases))
    for i, alias in enumerate(aliases):
        p = f"{apath}[{i}]"
        rec = record(alias, p, _ALIAS_ALL, ("field_name", "alias"))
        write_text(out, rec["field_name"], f"{p}['field_name']", required=True)
        write_text(out, rec["alias"], f"{p}['alias']", required=True)

    ipath = f"{path}['query_indexes']"
    indexes = items(entity.get("query_indexes"), ipath)
    out += pack_i32(len(indexes))
    for i, index in enumerate(indexes):
        _write_index(out, index, f"{ipath}[{i}]")


def _write_field(
    out: bytearray, value: object, path: str, version: ProtocolVersion, ctx: CodecContext
) -> None:
    field = record(value, path, _FIELD_ALL, ("name", "type_name"))
    type_name = field["type_name"]
    write_text(out, field["name"], f"{path}['name']", required=True)
    write_text(out, type_name, f"{path}['type_name']", required=True)
    _write_flag(out, field.get("is_key_field", False), f"{path}['is_key_field']")
    _write_flag(
        out,
        field.get("is_notnull_constraint_field", False),
        f"{path}['is_notnull_constraint_field']",
    )
    default = field.get("default_value")
    hint = None
    if default is not None and not (
        type(default) is tuple and len(default) == 2 and is_hint(default[1])
    ):
        hint = _DEFAULT_TYPE.get(type_name)
    try:
        write_value(out, default, hint, ctx=ctx)
    except EncodeError as exc:
        raise _rebase(exc, f"{path}['default_value']") from None

    precision = field.get("precision", -1)
    scale = field.get("scale", -1)
    if version_supports(version, VersionFeature.QUERY_ENTITY_PRECISION_AND_SCALE):
        _write_size(out, precision, f"{path}['precision']")
        _write_size(out, scale, f"{path}['scale']")
    elif precision != -1 or scale != -1:
        raise NotSupportedByClusterError(
            f"precision and scale of query fields need protocol 1.2.0, the connection "
            f"speaks {version} (at {path})"
        )


def _write_index(out: bytearray, value: object, path: str) -> None:
    index = record(value, path, _INDEX_ALL, ())
    write_text(out, index.get("index_name"), f"{path}['index_name']")
    kind = index.get("index_type", IndexType.SORTED)
    if not is_member(IndexType, kind):
        raise EncodeError(
            f"expected an IndexType (0, 1 or 2), not {kind!r}", path=f"{path}['index_type']"
        )
    out += pack_i8(int(kind))
    _write_size(out, index.get("inline_size", -1), f"{path}['inline_size']")
    fpath = f"{path}['fields']"
    fields = items(index.get("fields"), fpath)
    out += pack_i32(len(fields))
    for i, field in enumerate(fields):
        p = f"{fpath}[{i}]"
        rec = record(field, p, _INDEX_FIELD_ALL, ("name",))
        write_text(out, rec["name"], f"{p}['name']", required=True)
        _write_flag(out, rec.get("is_descending", False), f"{p}['is_descending']")


# -- decoding ---------------------------------------------------------------------------


def decode_query_entities(
    buf: Buffer, pos: int, version: ProtocolVersion, ctx: CodecContext
) -> tuple[list[dict[str, Any]], int]:
    """Read ``i32 n`` and that many entities as pyignite dicts."""
    with_precision = version_supports(version, VersionFeature.QUERY_ENTITY_PRECISION_AND_SCALE)
    n, pos = read_count(buf, pos, "query entity", 17)  # 5 null strings + 3 counts
    entities = []
    for _ in range(n):
        entity: dict[str, Any] = {}
        for key in _ENTITY_KEYS:
            entity[key], pos = read_str(buf, pos)

        count, pos = read_count(buf, pos, "query field", 5)
        fields = []
        for _ in range(count):
            name, pos = read_str(buf, pos)
            type_name, pos = read_str(buf, pos)
            is_key, pos = read_bool(buf, pos)
            not_null, pos = read_bool(buf, pos)
            default, pos = decode_value(buf, pos, ctx)
            precision = scale = -1
            if with_precision:
                precision, pos = read_i32(buf, pos)
                scale, pos = read_i32(buf, pos)
            fields.append(
                {
                    "name": name,
                    "type_name": type_name,
                    "is_key_field": is_key,
                    "is_notnull_constraint_field": not_null,
                    "default_value": default,
                    "precision": precision,
                    "scale": scale,
                }
            )

        count, pos = read_count(buf, pos, "field alias", 2)
        aliases = []
        for _ in range(count):
            field_name, pos = read_str(buf, pos)
            alias, pos = read_str(buf, pos)
            aliases.append({"field_name": field_name, "alias": alias})

        count, pos = read_count(buf, pos, "query index", 10)
        indexes = []
        for _ in range(count):
            index_name, pos = read_str(buf, pos)
            kind, pos = read_i8(buf, pos)
            inline_size, pos = read_i32(buf, pos)
            nf, pos = read_count(buf, pos, "index field", 2)
            index_fields = []
            for _ in range(nf):
                fname, pos = read_str(buf, pos)
                descending, pos = read_bool(buf, pos)
                index_fields.append({"name": fname, "is_descending": descending})
            indexes.append(
                {
                    "index_name": index_name,
                    "index_type": enum_or_int(IndexType, kind),
                    "inline_size": inline_size,
                    "fields": index_fields,
                }
            )

        entity["query_fields"] = fields
        entity["field_name_aliases"] = aliases
        entity["query_indexes"] = indexes
        entities.append(entity)
    return entities, pos
