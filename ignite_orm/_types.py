"""Python field types -> Ignite types: the hint to write with, the SQL (Java) type, and the
conversions a value needs on its way out and back.

Decided once per field when the model class is defined.  A type with no rule here is an
error at class definition, naming the class and the field.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

from ignite_wire import datatypes as dt

from .errors import ModelDefinitionError
from .fields import Char, Float32, Int8, Int16, Int32, TimestampNs, _IgniteType

__all__ = ["FieldType", "ModelDefinitionError", "resolve", "sql_parameter"]


Convert = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class FieldType:
    """How one field travels: ``hint`` for the codec, ``java_type`` for the query entity."""

    hint: object
    java_type: str
    nullable: bool
    to_wire: Convert | None = None
    from_wire: Convert | None = None
    nested: type | None = None  # a nested model class
    #: SQL can write the field's column as the binary field it is (UPDATE ... SET col = ?):
    #: scalars whose SQL type maps back to the same binary type.  Not: Char (its column is
    #: VARCHAR), date (java.util.Date), bytes, collections, nested models.
    sql_writable: bool = True
    #: The exact Python type of a good value after ``from_wire`` (``None``: unchecked).
    #: Read models trust a value of this type and validate any other (``_fast_build``).
    python_type: type | None = None
    #: For collections (one spec) and maps (key, value): each item's exact Python type
    #: and whether it may be ``None``; ``None``: items unchecked (mixed tuples).
    items: tuple[tuple[type | None, bool], ...] | None = None


_SCALARS: dict[object, tuple[object, str]] = {
    bool: (dt.BoolObject, "java.lang.Boolean"),
    int: (dt.LongObject, "java.lang.Long"),
    float: (dt.DoubleObject, "java.lang.Double"),
    str: (dt.String, "java.lang.String"),
    bytes: (dt.ByteArrayObject, "[B"),
    Decimal: (dt.DecimalObject, "java.math.BigDecimal"),
    UUID: (dt.UUIDObject, "java.util.UUID"),
    # java.util.Date, not java.sql.Date: Ignite keeps a java.sql.Date in Java-serialized
    # form that only Java can read, while Date (11) is a plain binary type.  SQL shows
    # the column as TIMESTAMP (midnight UTC).
    date: (dt.DateObject, "java.util.Date"),
    time: (dt.TimeObject, "java.sql.Time"),
    datetime: (dt.TimestampObject, "java.sql.Timestamp"),
}

_PINNED: dict[_IgniteType, tuple[type, object, str]] = {
    Int8: (int, dt.ByteObject, "java.lang.Byte"),
    Int16: (int, dt.ShortObject, "java.lang.Short"),
    Int32: (int, dt.IntObject, "java.lang.Integer"),
    Float32: (float, dt.FloatObject, "java.lang.Float"),
    # The binary field is a char (Java interop), but the SQL column is declared String:
    # Ignite 2.x has no SQL type for java.lang.Character, and a query entity naming it
    # leaves the whole table unknown to SQL ("Table ... not found").
    Char: (str, dt.CharObject, "java.lang.String"),
    TimestampNs: (datetime, dt.TimestampObject, "java.sql.Timestamp"),
}


def _date_from_wire(value: Any) -> Any:
    # Date (11) decodes to an aware UTC datetime at midnight; the field wants a date.
    return value.date() if isinstance(value, datetime) else value


def _aware_utc(value: Any) -> Any:
    # Timestamps come back aware (UTC); naive ones were written as UTC.
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def _enum_to_wire(kind: type[enum.Enum]) -> Convert:
    """Members are stored as their value; anything else must be a member's value (an
    instance built without validation, ``model_construct``, is checked here)."""

    def to_wire(value: Any) -> Any:
        return value.value if isinstance(value, kind) else kind(value).value

    return to_wire


def _time_to_wire(value: Any) -> Any:
    if isinstance(value, time) and value.microsecond % 1000:
        raise ValueError(f"{value.isoformat()}: Ignite keeps a time to the millisecond")
    return value


def sql_parameter(value: Any) -> Any:
    """A SQL parameter as the ORM stores it: an enum member as its value (``Status.OPEN``
    -> ``"open"``, an ``IntEnum`` member -> its ``int``), so it compares with the column."""
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _seq_converter(item: Convert | None, kind: Any) -> Convert:
    if item is None:
        return lambda value: value if value is None else kind(value)
    return lambda value: value if value is None else kind(item(x) for x in value)


def _map_converter(key: Convert | None, value: Convert | None) -> Convert:
    k = key or (lambda x: x)
    v = value or (lambda x: x)
    if key is None and value is None:
        return lambda m: m if m is None else dict(m)
    return lambda m: m if m is None else {k(a): v(b) for a, b in m.items()}


def _optional_inner(annotation: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(annotation)) == 2:
            return args[0], True
    return annotation, False


def resolve(
    annotation: Any, pinned: _IgniteType | None, where: str, is_model: Callable[[Any], bool]
) -> FieldType:
    """The :class:`FieldType` of a field annotated ``annotation`` (``where`` names it)."""
    inner, nullable = _optional_inner(annotation)
    if typing.get_origin(inner) is typing.Annotated:
        inner = typing.get_args(inner)[0]
        inner, more_nullable = _optional_inner(inner)
        nullable = nullable or more_nullable
    if pinned is not None:
        python_type, hint, java = _PINNED[pinned]
        if inner is not python_type:
            raise ModelDefinitionError(
                f"{where}: {pinned!r} applies to {python_type.__name__} fields, not {inner!r}"
            )
        return FieldType(
            hint, java, nullable, sql_writable=pinned is not Char, python_type=python_type
        )
    if inner in _SCALARS:
        hint, java = _SCALARS[inner]
        kind: type = inner
        if inner is date:
            return FieldType(
                hint, java, nullable, None, _date_from_wire, sql_writable=False, python_type=kind
            )
        if inner is bytes:
            return FieldType(hint, java, nullable, sql_writable=False, python_type=kind)
        if inner is datetime:
            return FieldType(hint, java, nullable, None, _aware_utc, python_type=kind)
        if inner is time:
            return FieldType(hint, java, nullable, _time_to_wire, python_type=kind)
        return FieldType(hint, java, nullable, python_type=kind)
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        values = {type(m.value) for m in inner}
        if values == {str}:
            java, hint = "java.lang.String", dt.String
        elif values == {int}:
            java, hint = "java.lang.Long", dt.LongObject
        else:
            raise ModelDefinitionError(
                f"{where}: enum {inner.__name__} must have all-str or all-int values"
            )
        return FieldType(hint, java, nullable, _enum_to_wire(inner), inner, python_type=inner)
    if is_model(inner):
        info = inner.__ignite__
        return FieldType(
            None,
            info.type_name,
            nullable,
            info.nested_to_wire,
            info.nested_from_wire,
            inner,
            sql_writable=False,
            python_type=inner,
        )
    origin = typing.get_origin(inner)
    args = [a for a in typing.get_args(inner) if a is not Ellipsis]
    if origin in (list, set, frozenset, tuple, dict):
        items = [resolve(a, None, f"{where} (item type)", is_model) for a in args]
        specs = [(i.python_type, i.nullable) for i in items]
        item_specs = tuple(specs) if origin is dict else tuple(specs[:1])
        if origin is tuple and len(set(specs)) > 1:
            item_specs = ()  # mixed tuple: items unchecked
        out = [i.to_wire for i in items]
        back = [i.from_wire for i in items]
        if origin is dict:
            kto, vto = [*out, None, None][:2]
            kback, vback = [*back, None, None][:2]
            # Typed hints (Collection 24, Map 25), not "any object" (103): readers that
            # parse fields by the registered metadata (pyignite) need the real type code.
            return FieldType(
                dt.MapObject,
                "java.lang.Object",
                nullable,
                _map_converter(kto, vto),
                _map_converter(kback, vback),
                sql_writable=False,
                python_type=dict,
                items=item_specs if len(item_specs) == 2 else None,
            )
        to_one = (
            out[0] if len(out) == 1 or (origin is tuple and len(set(map(id, out))) == 1) else None
        )
        back_one = (
            back[0]
            if len(back) == 1 or (origin is tuple and len(set(map(id, back))) == 1)
            else None
        )
        if origin is tuple:
            if len(items) > 1 and any(f is not None for f in out + back) and to_one is None:
                raise ModelDefinitionError(
                    f"{where}: tuples of mixed converted types are not supported"
                )
            return FieldType(
                dt.ObjectArrayObject,
                "java.lang.Object",
                nullable,
                _seq_converter(to_one, list),
                _seq_converter(back_one, tuple),
                sql_writable=False,
                python_type=tuple,
                items=item_specs or None,
            )
        kind = list if origin is list else set
        back_kind = origin
        return FieldType(
            dt.CollectionObject,
            "java.lang.Object",
            nullable,
            _seq_converter(to_one, kind),
            _seq_converter(back_one, back_kind),
            sql_writable=False,
            python_type=back_kind,
            items=item_specs or None,
        )
    raise ModelDefinitionError(f"{where}: unsupported field type {annotation!r}")
