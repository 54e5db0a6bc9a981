"""pyignite's value representations: the codec tables of the pyignite value mode.

``ignite_wire`` reads plain Python values (a Collection is a ``list``, a Timestamp an
aware ``datetime``...).  Code written for pyignite compares what it reads with pyignite's
forms, so a client in the pyignite value mode (``Client(compat="pyignite")`` or
:func:`ignite_wire.compat.use_pyignite_values`) decodes and encodes through the two
tables of this module instead, which a :class:`~.context.CodecContext` carries
(``ctx.readers``, ``ctx.writers``).  Everything else (the layouts, checks, errors,
binary objects, hashing) is the default codec's.

Reads (what pyignite 0.6 returns):

=====================  ==================================================================
Ignite type            Python value
=====================  ==================================================================
Date (11)              naive ``datetime`` (UTC wall clock; pyignite: local time)
Timestamp (33)         ``(naive datetime, nanoseconds within the millisecond)``
Time (36)              ``timedelta``
Date/Timestamp/Time[]  ``list`` of the above
enum (28, 38)          ``(type_id, ordinal)`` (a registered ``Enum`` class: its member)
enum array (29)        ``(component_type_id, [(type_id, ordinal), ...])``
Object[] (23)          ``(component_type_id, [items])``
Collection (24)        ``(kind, [items])`` (sets too)
Map (25)               ``(kind, dict)``, ``(kind, OrderedDict)`` for LINKED_HASH_MAP
complex object (103)   the class's instance, without the fields its schema lacks
=====================  ==================================================================

Writes without a hint follow pyignite's inference: a ``datetime`` is a Date
(milliseconds, as pyignite writes it); a sequence whose items share one type is the typed
array of that type (``[1, 2]`` a long[], ``['a', None]`` a String[]); ``(kind, dict)``
is a Map and ``(kind, items)`` a Collection when ``kind`` is a valid kind.  Where
pyignite raises (an empty or mixed list, a list of objects), the default rule applies (a
Collection, ARR_LIST), and where it guesses wrong too: ``[1, 'ab']`` is the
Collection ``[1, 'ab']`` (pyignite: the Collection of kind 1 ``['a', 'b']``).  A tuple
that matches no rule is an EncodeError (pyignite: a TypeError).

Naive datetimes are UTC both ways, as in the default mode (pyignite takes them as local
time: the two agree on a machine whose local time is UTC); aware ones are converted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Final
from uuid import UUID

from ..exceptions import EncodeError
from . import buffer as _b
from .binary_object import ABSENT_ATTR, RAW_ATTR
from .context import MAX_DEPTH, CodecContext
from .readers import READERS, read_any
from .type_codes import CollectionKind, MapKind, TypeCode
from .writers import hint_writer, is_hint, write_hinted

__all__ = ["PYIGNITE_READERS", "PYIGNITE_WRITERS"]

Reader = Callable[[Any, int, CodecContext], tuple[Any, int]]
Writer = Callable[[bytearray, Any, CodecContext], None]

_i8 = _b.unpack_i8
_i32 = _b.unpack_i32
_i64 = _b.unpack_i64
_NAIVE_EPOCH: Final = datetime(1970, 1, 1)


def _fail(msg: str, pos: int) -> Exception:
    from ..exceptions import ParseError

    return ParseError(msg, offset=pos)


def _count(buf: Any, pos: int) -> int:
    n: int = _i32(buf, pos)[0]
    if n < 0 or pos + 4 + n > len(buf):  # every element takes at least one byte
        raise _fail(f"length {n} exceeds the {len(buf) - pos - 4} bytes that remain", pos)
    return n


def _enter(ctx: CodecContext, pos: int) -> None:
    if ctx.depth >= MAX_DEPTH:
        raise _fail(f"values nested deeper than {MAX_DEPTH}", pos)
    ctx.depth += 1


def _items(buf: Any, pos: int, n: int, ctx: CodecContext, out: list[Any]) -> int:
    append = out.append
    for _ in range(n):
        v, pos = read_any(buf, pos, ctx)
        append(v)
    return pos


# -- readers -------------------------------------------------------------------------------


def _naive(ms: int) -> datetime:
    return _NAIVE_EPOCH + timedelta(milliseconds=ms)


def _r_date(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    return _naive(_i64(buf, pos)[0]), pos + 8


def _r_timestamp(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    ms: int = _i64(buf, pos)[0]
    nanos: int = _i32(buf, pos + 8)[0]
    return (_naive(ms), nanos), pos + 12


def _r_time(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    return timedelta(milliseconds=_i64(buf, pos)[0]), pos + 8


def _r_enum(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    tid: int = _i32(buf, pos)[0]
    ordinal: int = _i32(buf, pos + 4)[0]
    cls = ctx.registry.enum_class(tid)  # registered through ignite_wire's own API
    if cls is not None:
        members = list(cls)
        if 0 <= ordinal < len(members):
            return members[ordinal], pos + 8
    return (tid, ordinal), pos + 8


def _typed_array(code: int, elem: Reader) -> Reader:
    def read(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
        n = _count(buf, pos)
        pos += 4
        out: list[Any] = []
        for _ in range(n):
            c = buf[pos]
            if c == code:
                v, pos = elem(buf, pos + 1, ctx)
            elif c == TypeCode.NULL:
                v, pos = None, pos + 1
            else:
                raise _fail(f"array of type {code} holds a value of type {c}", pos)
            out.append(v)
        return out, pos

    return read


def _tagged(code: int, at: Callable[[Any, int], int]) -> Reader:
    """The default reader of ``code``, its value paired with the i32 or i8 the header
    holds at ``at(buf, pos)``: Object[] and enum arrays with their component type id,
    maps with their kind.  A handle to the value then finds the pair too."""
    default = READERS[code]

    def read(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
        items, end = default(buf, pos, ctx)
        ctx.refs[pos - 1] = value = (at(buf, pos), items)
        return value, end

    return read


def _component(buf: Any, pos: int) -> int:
    component: int = _i32(buf, pos)[0]
    return component


def _map_kind(buf: Any, pos: int) -> int:
    kind: int = _i8(buf, pos + 4)[0]
    return kind


def _r_collection(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    start = pos - 1
    n = _count(buf, pos)
    kind: int = _i8(buf, pos + 4)[0]
    _enter(ctx, start)
    items: list[Any] = []
    ctx.refs[start] = value = (kind, items)
    pos = _items(buf, pos + 5, n, ctx, items)
    ctx.depth -= 1
    return value, pos


_default_object_reader: Final = READERS[TypeCode.COMPLEX_OBJ]
_NOT_FIELDS: Final = frozenset({RAW_ATTR, ABSENT_ATTR})


def _r_object(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    """The default reader's object, less the fields the schema it was written with lacks
    (pyignite builds a class per schema: ``hasattr(obj, name)`` is False for them)."""
    obj, end = _default_object_reader(buf, pos, ctx)
    info = getattr(type(obj), "__ignite_info__", None)
    tid: int = _i32(buf, pos + 3)[0]
    sid: int = _i32(buf, pos + 15)[0]
    if info is None or info.schema_id == sid:
        return obj, end
    bt = ctx.registry.get_type(tid)
    ids = bt.schemas.get(sid) if bt is not None else None
    if ids is None:
        return obj, end  # the schema is not known by name: keep what was read
    names = bt.field_names() if bt is not None else {}
    written = {info.ids_to_names.get(i) or names.get(i) for i in ids}
    d = obj.__dict__
    for name in [n for n in d if n not in written and n not in _NOT_FIELDS]:
        del d[name]
    d.pop(ABSENT_ATTR, None)
    return obj, end


PYIGNITE_READERS: Final[list[Reader]] = list(READERS)
PYIGNITE_READERS[TypeCode.DATE] = _r_date
PYIGNITE_READERS[TypeCode.TIMESTAMP] = _r_timestamp
PYIGNITE_READERS[TypeCode.TIME] = _r_time
PYIGNITE_READERS[TypeCode.DATE_ARR] = _typed_array(TypeCode.DATE, _r_date)
PYIGNITE_READERS[TypeCode.TIMESTAMP_ARR] = _typed_array(TypeCode.TIMESTAMP, _r_timestamp)
PYIGNITE_READERS[TypeCode.TIME_ARR] = _typed_array(TypeCode.TIME, _r_time)
PYIGNITE_READERS[TypeCode.ENUM] = _r_enum
PYIGNITE_READERS[TypeCode.BINARY_ENUM] = _r_enum
PYIGNITE_READERS[TypeCode.ENUM_ARR] = _tagged(TypeCode.ENUM_ARR, _component)
PYIGNITE_READERS[TypeCode.OBJ_ARR] = _tagged(TypeCode.OBJ_ARR, _component)
PYIGNITE_READERS[TypeCode.COLLECTION] = _r_collection
PYIGNITE_READERS[TypeCode.MAP] = _tagged(TypeCode.MAP, _map_kind)
PYIGNITE_READERS[TypeCode.COMPLEX_OBJ] = _r_object


# -- writers -------------------------------------------------------------------------------

#: pyignite's ``AnyDataObject._python_array_map``: the item type -> the typed array.
_ARRAY_OF: Final[dict[type, int]] = {
    int: TypeCode.LONG_ARR,
    float: TypeCode.DOUBLE_ARR,
    str: TypeCode.STRING_ARR,
    bool: TypeCode.BOOL_ARR,
    UUID: TypeCode.UUID_ARR,
    datetime: TypeCode.DATE_ARR,
    date: TypeCode.DATE_ARR,
    timedelta: TypeCode.TIME_ARR,
    Decimal: TypeCode.DECIMAL_ARR,
}
#: Item types whose arrays may hold nulls (pyignite's ``object_array_python_types``).
_NULLABLE: Final = (str, datetime, timedelta, Decimal, UUID)
_COLLECTION_KINDS: Final = frozenset(int(k) for k in CollectionKind)
_MAP_KINDS: Final = frozenset(int(k) for k in MapKind)


def _item_type(items: Any) -> type | None:
    """pyignite's ``get_subtype``: the type every non-null item has, else ``None``."""
    first: type | None = None
    for x in items:
        if x is not None:
            first = type(x)
            break
    if first is None:
        return None
    nullable = first in _NULLABLE
    if all(isinstance(x, first) or (x is None and nullable) for x in items):
        return first
    return None


def _w_sequence(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if type(v) is tuple and len(v) == 2 and is_hint(v[1]):
        write_hinted(out, v[0], v[1], ctx)
        return
    code = _ARRAY_OF.get(_item_type(v))  # type: ignore[arg-type]
    if code is not None:
        hint_writer(code)(out, v if isinstance(v, (list, tuple)) else list(v), ctx)
        return
    if len(v) == 2 and isinstance(v[0], int) and not isinstance(v[0], bool):
        kind, payload = v
        if isinstance(payload, Mapping) and kind in _MAP_KINDS:
            hint_writer(TypeCode.MAP)(out, (int(kind), payload), ctx)
            return
        if isinstance(payload, (list, tuple, set, frozenset)) and kind in _COLLECTION_KINDS:
            hint_writer(TypeCode.COLLECTION)(out, (int(kind), payload), ctx)
            return
    if isinstance(v, tuple):
        raise EncodeError(
            "a tuple that is neither (value, Hint), (kind, items), (kind, dict) nor a "
            "sequence of one item type has no Ignite form; pass a list"
        )
    hint_writer(TypeCode.COLLECTION)(out, v, ctx)  # the default rule: ARR_LIST / HASH_SET


def _build_writers() -> dict[type, Writer]:
    from .context import _default_tables

    table = dict(_default_tables()[1])
    table[datetime] = hint_writer(TypeCode.DATE)  # milliseconds, as pyignite writes it
    for kind in (list, tuple, set, frozenset):
        table[kind] = _w_sequence
    return table


PYIGNITE_WRITERS: Final[dict[type, Writer]] = _build_writers()
