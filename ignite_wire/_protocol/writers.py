"""Encoding: Python values to typed Ignite values, appended to a ``bytearray``.

A writer is ``writer(out, value, ctx) -> None``; it appends the type code and payload.
Unhinted values are dispatched on their exact Python type through :data:`_BY_TYPE` (one
dict lookup); subclasses, enums and binary objects take a slower path once per call.  A
hint (a ``datatypes`` class with a ``type_code``, a type code, or a binary-object class)
selects a writer from :data:`_BY_CODE` that validates the value against the Ignite type.

Errors are :class:`~ignite_wire.exceptions.EncodeError` with the path of the failing
element (``[3]['price'].amount``): containers add their path segment as the error passes
through them, so the success path pays nothing for it.

This module holds the dispatch tables and the writers that recurse through
:func:`write_any` (Object[], collections, maps, wrapped objects); the others live by
family: :mod:`.write_scalars`, :mod:`.write_arrays`, and :mod:`.object_encoder` (binary
objects, a per-class encoder compiled once from the class's
:class:`~.binary_object.ObjectInfo`).
"""

from __future__ import annotations

import enum
from collections import OrderedDict
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Final
from uuid import UUID

from ..exceptions import EncodeError
from .binary_object import BinaryObjectBase, ObjectInfo
from .context import CodecContext
from .object_encoder import object_writer as _object_writer
from .type_codes import CollectionKind, MapKind, TypeCode
from .values import BinaryEnumValue, NanoDatetime, WrappedBinary
from .write_arrays import (
    _ITEMS,
    _pyignite_pair,
    _w_bool_arr,
    _w_byte_arr,
    _w_char_arr,
    _w_enum_arr,
    prim_array_writer,
    typed_array_writer,
)
from .write_scalars import (
    _CODE_I32,
    _COL_HEAD,
    _I32X2,
    _LOW_LEVEL,
    _NULL,
    Writer,
    _enter,
    _enum_writer,
    _err,
    _kind,
    _pack_i32,
    _rewrap,
    _w_binary_enum,
    _w_bool,
    _w_bool_hinted,
    _w_byte,
    _w_char,
    _w_date,
    _w_decimal,
    _w_double,
    _w_double_hinted,
    _w_float,
    _w_int,
    _w_long,
    _w_long_hinted,
    _w_null,
    _w_short,
    _w_string,
    _w_string_hinted,
    _w_time,
    _w_timestamp,
    _w_timestamp_hinted,
    _w_uuid,
)

__all__ = ["Writer", "hint_writer", "is_hint", "write_any", "write_hinted"]


# -- containers: they recurse through write_any -------------------------------------------


def _write_items(out: bytearray, items: Any, ctx: CodecContext) -> None:
    _enter(ctx)
    i = 0
    try:
        for i, x in enumerate(items):  # noqa: B007 - i is read by the handler
            write_any(out, x, ctx)
    except (EncodeError, *_LOW_LEVEL) as exc:
        raise _rewrap(exc, f"[{i}]") from None
    ctx.depth -= 1


def _w_obj_arr(out: bytearray, v: Any, ctx: CodecContext) -> None:
    component = -1
    if _pyignite_pair(v, None, _ITEMS):
        component, v = v
    if not isinstance(v, _ITEMS):
        raise _err(f"{_kind(v)} is not a sequence (Object[] expected)")
    out += _I32X2.pack(TypeCode.OBJ_ARR, component, len(v))
    _write_items(out, v, ctx)


_COLLECTION_KINDS: Final = frozenset(int(k) for k in CollectionKind)
_MAP_KINDS: Final = frozenset(int(k) for k in MapKind)


def _write_collection(out: bytearray, kind: int, items: Any, ctx: CodecContext) -> None:
    out += _COL_HEAD.pack(TypeCode.COLLECTION, len(items), kind)
    _write_items(out, items, ctx)


def _w_list(out: bytearray, v: Any, ctx: CodecContext) -> None:
    _write_collection(out, CollectionKind.ARR_LIST, v, ctx)


def _w_set(out: bytearray, v: Any, ctx: CodecContext) -> None:
    _write_collection(out, CollectionKind.HASH_SET, v, ctx)


def _w_collection_hinted(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if _pyignite_pair(v, _COLLECTION_KINDS, _ITEMS):
        _write_collection(out, v[0], v[1], ctx)
    elif isinstance(v, (set, frozenset)):
        _w_set(out, v, ctx)
    elif isinstance(v, (list, tuple)):
        _w_list(out, v, ctx)
    else:
        raise _err(f"{_kind(v)} is not a collection (list, set or (kind, items))")


def _write_map(out: bytearray, kind: int, v: Mapping[Any, Any], ctx: CodecContext) -> None:
    out += _COL_HEAD.pack(TypeCode.MAP, len(v), kind)
    _enter(ctx)
    k: Any = None
    try:
        for k, x in v.items():
            write_any(out, k, ctx)
            write_any(out, x, ctx)
    except (EncodeError, *_LOW_LEVEL) as exc:
        raise _rewrap(exc, f"[{k!r}]") from None
    ctx.depth -= 1


def _w_dict(out: bytearray, v: Any, ctx: CodecContext) -> None:
    _write_map(out, MapKind.HASH_MAP, v, ctx)


def _w_ordered_dict(out: bytearray, v: Any, ctx: CodecContext) -> None:
    _write_map(out, MapKind.LINKED_HASH_MAP, v, ctx)


def _w_map_hinted(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if _pyignite_pair(v, _MAP_KINDS, (Mapping,)):
        _write_map(out, v[0], v[1], ctx)
    elif isinstance(v, OrderedDict):
        _w_ordered_dict(out, v, ctx)
    elif isinstance(v, Mapping):
        _w_dict(out, v, ctx)
    else:
        raise _err(f"{_kind(v)} is not a mapping (dict or (kind, dict) expected)")


# -- binary objects ------------------------------------------------------------------------


def _w_object_hinted(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if not isinstance(v, BinaryObjectBase):
        raise _err(f"{_kind(v)} is not a binary object (a GenericObjectMeta class instance)")
    _object_writer(type(v))(out, v, ctx)


def _w_wrapped(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if isinstance(v, BinaryObjectBase):
        inner = bytearray()
        _object_writer(type(v))(inner, v, ctx)
        data, offset = bytes(inner), 0
    elif (
        isinstance(v, tuple)
        and len(v) == 2
        and isinstance(v[0], (bytes, bytearray, memoryview))
        and isinstance(v[1], int)
    ):
        data, offset = bytes(v[0]), int(v[1])
    else:
        raise _err(f"{_kind(v)} is not a binary object or (bytes, offset)")
    if not 0 <= offset < max(len(data), 1):
        raise _err(f"wrapped offset {offset} outside its {len(data)} bytes")
    out += _CODE_I32.pack(TypeCode.BINARY_OBJ, len(data))
    out += data
    out += _pack_i32(offset)


# -- dispatch -----------------------------------------------------------------------------


def _w_int_default(out: bytearray, v: Any, ctx: CodecContext) -> None:
    _w_long(out, v, ctx)


def _w_tuple(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if len(v) == 2 and is_hint(v[1]):
        write_hinted(out, v[0], v[1], ctx)
        return
    # pyignite's form ``(CollectionObject.ARR_LIST, items)`` / ``(MapObject.HASH_MAP, d)``:
    # the kind is an enum member (those constants are), never a bare int, so the tuple
    # says what it is and nothing is guessed.
    if len(v) == 2 and isinstance(v[0], CollectionKind) and isinstance(v[1], _ITEMS):
        _write_collection(out, v[0], v[1], ctx)
        return
    if len(v) == 2 and isinstance(v[0], MapKind) and isinstance(v[1], Mapping):
        _write_map(out, v[0], v[1], ctx)
        return
    raise _err(
        "a tuple is ambiguous: pass a list (Collection), a (value, Hint) pair "
        "such as (items, ObjectArrayObject), or (CollectionObject.<KIND>, items)"
    )


def _w_none(out: bytearray, v: Any, ctx: CodecContext) -> None:
    out.append(_NULL)


_BY_TYPE: dict[type, Writer] = {
    type(None): _w_none,
    bool: _w_bool,
    int: _w_int_default,
    float: _w_double,
    str: _w_string,
    bytes: _w_byte_arr,
    bytearray: _w_byte_arr,
    memoryview: _w_byte_arr,
    Decimal: _w_decimal,
    UUID: _w_uuid,
    datetime: _w_timestamp,
    NanoDatetime: _w_timestamp,
    date: _w_date,
    time: _w_time,
    timedelta: _w_time,
    dict: _w_dict,
    OrderedDict: _w_ordered_dict,
    list: _w_list,
    set: _w_set,
    frozenset: _w_set,
    tuple: _w_tuple,
    BinaryEnumValue: _w_binary_enum,
    WrappedBinary: _w_wrapped,
}

# Subclass fallbacks, in order (bool before int; Enum before int and str).
_BY_BASE: tuple[tuple[type | tuple[type, ...], Writer], ...] = (
    (enum.Enum, _w_binary_enum),
    (bool, _w_bool),
    (int, _w_int_default),
    (float, _w_double),
    (str, _w_string),
    (OrderedDict, _w_ordered_dict),
    (dict, _w_dict),
    (list, _w_list),
    ((set, frozenset), _w_set),
    (datetime, _w_timestamp),
    (date, _w_date),
    (Decimal, _w_decimal),
    (UUID, _w_uuid),
    ((bytes, bytearray), _w_byte_arr),
)


#: Classes whose instances are written as objects of a binary-object class (their
#: fields read from the instance's ``__dict__``): see :func:`write_as`.
_WRITTEN_AS: dict[type, type] = {}


def write_as(source: type, binary_class: type) -> None:
    """Write every instance of ``source`` (that exact class) as an object of
    ``binary_class``: the class's own encoder reads its fields from the instance's
    ``__dict__`` by name (see :func:`ignite_wire.binary.write_as`)."""
    if not isinstance(source, type) or isinstance(
        getattr(source, "__ignite_info__", None), ObjectInfo
    ):
        raise TypeError(
            f"write_as(): source must be a class that is not a binary-object class, got {source!r}"
        )
    if not isinstance(binary_class, type) or not isinstance(
        getattr(binary_class, "__ignite_info__", None), ObjectInfo
    ):
        raise TypeError(f"write_as(): {binary_class!r} is not a binary-object class")
    if (source in _BY_TYPE and source not in _WRITTEN_AS) or any(
        issubclass(source, base) for base, _ in _BY_BASE
    ):
        raise TypeError(f"write_as(): {source.__qualname__} already has an Ignite type")
    _WRITTEN_AS[source] = binary_class
    _BY_TYPE.pop(source, None)  # its writer is the class's, found on first use


def _slow_writer(v: Any) -> Writer:
    cls = type(v)
    written_as = _WRITTEN_AS.get(cls)
    if written_as is not None:
        w = _object_writer(written_as)
        if len(_BY_TYPE) < 10_000:
            _BY_TYPE[cls] = w
        return w
    if isinstance(getattr(cls, "__ignite_info__", None), ObjectInfo):
        w = _object_writer(cls)
        if len(_BY_TYPE) < 10_000:
            _BY_TYPE[cls] = w
        return w
    for base, w in _BY_BASE:
        if isinstance(v, base):
            return w
    raise _err(f"no Ignite type for a value of type {cls.__qualname__}")


def write_any(out: bytearray, value: Any, ctx: CodecContext) -> None:
    """Append ``value`` as a typed Ignite value chosen by its Python type."""
    w = ctx.writers.get(type(value))  # _BY_TYPE, or the pyignite value mode's table
    if w is None:
        w = _slow_writer(value)
    w(out, value, ctx)


_BY_CODE: dict[int, Writer] = {
    TypeCode.BYTE: _w_byte,
    TypeCode.SHORT: _w_short,
    TypeCode.INT: _w_int,
    TypeCode.LONG: _w_long_hinted,
    TypeCode.FLOAT: _w_float,
    TypeCode.DOUBLE: _w_double_hinted,
    TypeCode.CHAR: _w_char,
    TypeCode.BOOL: _w_bool_hinted,
    TypeCode.STRING: _w_string_hinted,
    TypeCode.UUID: _w_uuid,
    TypeCode.DATE: _w_date,
    TypeCode.TIMESTAMP: _w_timestamp_hinted,
    TypeCode.TIME: _w_time,
    TypeCode.DECIMAL: _w_decimal,
    TypeCode.BYTE_ARR: _w_byte_arr,
    TypeCode.SHORT_ARR: prim_array_writer(TypeCode.SHORT_ARR, "h"),
    TypeCode.INT_ARR: prim_array_writer(TypeCode.INT_ARR, "i"),
    TypeCode.LONG_ARR: prim_array_writer(TypeCode.LONG_ARR, "q"),
    TypeCode.FLOAT_ARR: prim_array_writer(TypeCode.FLOAT_ARR, "f"),
    TypeCode.DOUBLE_ARR: prim_array_writer(TypeCode.DOUBLE_ARR, "d"),
    TypeCode.CHAR_ARR: _w_char_arr,
    TypeCode.BOOL_ARR: _w_bool_arr,
    TypeCode.STRING_ARR: typed_array_writer(TypeCode.STRING_ARR, _w_string_hinted),
    TypeCode.UUID_ARR: typed_array_writer(TypeCode.UUID_ARR, _w_uuid),
    TypeCode.DATE_ARR: typed_array_writer(TypeCode.DATE_ARR, _w_date),
    TypeCode.TIMESTAMP_ARR: typed_array_writer(TypeCode.TIMESTAMP_ARR, _w_timestamp_hinted),
    TypeCode.TIME_ARR: typed_array_writer(TypeCode.TIME_ARR, _w_time),
    TypeCode.DECIMAL_ARR: typed_array_writer(TypeCode.DECIMAL_ARR, _w_decimal),
    TypeCode.OBJ_ARR: _w_obj_arr,
    TypeCode.COLLECTION: _w_collection_hinted,
    TypeCode.MAP: _w_map_hinted,
    TypeCode.ENUM: _enum_writer(TypeCode.ENUM),
    TypeCode.ENUM_ARR: _w_enum_arr,
    TypeCode.BINARY_ENUM: _w_binary_enum,
    TypeCode.BINARY_OBJ: _w_wrapped,
    TypeCode.COMPLEX_OBJ: _w_object_hinted,
    TypeCode.NULL: _w_null,
}


def is_hint(h: object) -> bool:
    """Whether ``h`` is a type hint: a ``datatypes`` class or a binary-object class."""
    return isinstance(h, type) and (
        getattr(h, "__ignite_hint__", False)
        or isinstance(getattr(h, "__ignite_info__", None), ObjectInfo)
    )


_hint_cache: dict[object, Writer] = {}


def hint_writer(hint: object) -> Writer:
    """The writer a hint selects (``None`` and untyped hints infer from the value).

    The returned writer does not handle ``None``; :func:`write_hinted` does.
    """
    w = _hint_cache.get(hint)
    if w is not None:
        return w
    if hint is None:
        w = write_any
    elif isinstance(hint, int) and not isinstance(hint, bool):
        w = _BY_CODE.get(int(hint))
        if w is None:
            raise _err(f"no writer for type code {hint}")
    elif isinstance(hint, type) and isinstance(getattr(hint, "__ignite_info__", None), ObjectInfo):
        cls = hint

        def w(out: bytearray, v: Any, ctx: CodecContext) -> None:
            if not isinstance(v, cls):
                raise _err(f"{_kind(v)} given for a field of type {cls.__name__}")
            _object_writer(type(v))(out, v, ctx)

    else:
        code = getattr(hint, "type_code", None)
        if code is None and getattr(hint, "__ignite_hint__", False):
            w = write_any  # an untyped hint (AnyDataObject)
        elif isinstance(code, int):
            w = _BY_CODE.get(code)
            if w is None:
                raise _err(f"no writer for type code {code}")
        else:
            raise _err(f"{hint!r} is not a type hint")
    if isinstance(hint, type) or hint is None or isinstance(hint, int):
        _hint_cache[hint] = w
    return w


def write_hinted(out: bytearray, value: Any, hint: object, ctx: CodecContext) -> None:
    """Append ``value`` as the Ignite type ``hint`` names (``None`` is always null)."""
    if value is None:
        out.append(_NULL)
        return
    hint_writer(hint)(out, value, ctx)
