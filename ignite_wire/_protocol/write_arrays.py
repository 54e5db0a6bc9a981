"""Writers of arrays: primitive arrays (packed with ``array``/``struct``), arrays of typed
values (String[], UUID[], Timestamp[]...), enum arrays, and the pyignite ``(kind,
items)`` pair test the container writers share.  Nothing here recurses into
:func:`.writers.write_any`: Object[] and collections live in :mod:`.writers`.
"""

from __future__ import annotations

import struct
from array import array
from typing import Any, Final

from ..exceptions import EncodeError
from .context import CodecContext
from .type_codes import TypeCode
from .write_scalars import (
    _BIG_ENDIAN,
    _CODE_I32,
    _I32X2,
    _LOW_LEVEL,
    _NULL,
    Writer,
    _char_unit,
    _enum_ids,
    _err,
    _kind,
    _rewrap,
)

__all__ = ["prim_array_writer", "typed_array_writer"]


def _is_sequence(v: Any) -> bool:
    return isinstance(v, (list, tuple, array, range))


def _w_byte_arr(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if isinstance(v, (bytes, bytearray, memoryview)):
        data = bytes(v)
    elif _is_sequence(v):
        try:
            data = array("b", v).tobytes()
        except (OverflowError, TypeError):
            # Unsigned values too (0..255, Python's bytes; pyignite takes them): each int
            # in -128..255 names exactly one byte.
            if not all(type(x) is int and -128 <= x <= 255 for x in v):
                raise _err("byte array elements must be ints in -128..255") from None
            data = bytes(x & 0xFF for x in v)
    else:
        raise _err(f"{_kind(v)} is not bytes or a sequence of ints")
    out += _CODE_I32.pack(TypeCode.BYTE_ARR, len(data))
    out += data


def prim_array_writer(code: int, typecode: str) -> Writer:
    def w(out: bytearray, v: Any, ctx: CodecContext) -> None:
        if not _is_sequence(v):
            raise _err(f"{_kind(v)} is not a sequence ({TypeCode(code).name} expected)")
        try:
            if typecode == "f":
                data = struct.pack(f"<{len(v)}f", *v)
            else:
                a = array(typecode, v)
                if _BIG_ENDIAN:
                    a.byteswap()
                data = a.tobytes()
        except (OverflowError, TypeError, struct.error) as exc:
            raise _err(f"element does not fit in {TypeCode(code).name}: {exc}") from None
        out += _CODE_I32.pack(code, len(v))
        out += data

    return w


def _w_char_arr(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if not (isinstance(v, str) or _is_sequence(v)):
        raise _err(f"{_kind(v)} is not a str or a sequence of chars")
    a = array("H", [_char_unit(c) for c in v])
    if _BIG_ENDIAN:
        a.byteswap()
    out += _CODE_I32.pack(TypeCode.CHAR_ARR, len(a))
    out += a.tobytes()


def _w_bool_arr(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if not _is_sequence(v) or not all(isinstance(x, bool) for x in v):
        raise _err("bool array elements must be bools")
    out += _CODE_I32.pack(TypeCode.BOOL_ARR, len(v))
    out += bytes(1 if x else 0 for x in v)


def typed_array_writer(code: int, elem: Writer) -> Writer:
    def w(out: bytearray, v: Any, ctx: CodecContext) -> None:
        if not _is_sequence(v):
            raise _err(f"{_kind(v)} is not a sequence ({TypeCode(code).name} expected)")
        out += _CODE_I32.pack(code, len(v))
        i = 0
        try:
            for i, x in enumerate(v):  # noqa: B007 - i is read by the handler
                if x is None:
                    out.append(_NULL)
                else:
                    elem(out, x, ctx)
        except (EncodeError, *_LOW_LEVEL) as exc:
            raise _rewrap(exc, f"[{i}]") from None

    return w


def _pyignite_pair(v: Any, kinds: Any, payload: tuple[type, ...]) -> bool:
    return (
        type(v) is tuple
        and len(v) == 2
        and isinstance(v[0], int)
        and not isinstance(v[0], bool)
        and (kinds is None or v[0] in kinds)
        and isinstance(v[1], payload)
    )


_ITEMS: Final = (list, tuple, set, frozenset)


def _w_enum_arr(out: bytearray, v: Any, ctx: CodecContext) -> None:
    component = None
    if _pyignite_pair(v, None, _ITEMS):
        component, v = v
    if not isinstance(v, _ITEMS):
        raise _err(f"{_kind(v)} is not a sequence (enum array expected)")
    items = list(v)
    pairs = []
    for i, x in enumerate(items):
        try:
            pairs.append(None if x is None else _enum_ids(x, ctx))
        except EncodeError as exc:
            raise _rewrap(exc, f"[{i}]") from None
    if component is None:
        component = next((p[0] for p in pairs if p is not None), -1)
    out += _I32X2.pack(TypeCode.ENUM_ARR, component, len(items))
    for p in pairs:
        if p is None:
            out.append(_NULL)
        else:
            out += _I32X2.pack(TypeCode.BINARY_ENUM, p[0], p[1])
