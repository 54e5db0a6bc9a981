"""Readers of values that hold other values: typed and object arrays, collections, maps,
enums, handles and wrapped objects.

They recurse through :func:`.reader_table.read_any` (so nesting is bounded by
``MAX_DEPTH`` and low-level errors become ``ParseError`` at the element's offset), check
every count against the bytes that remain (each element takes at least one byte), and
record what a handle (102) may point back to in ``ctx.refs``.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Final

from . import buffer as _b
from .context import CodecContext
from .reader_table import READERS, Reader, enter, fail, read_any
from .type_codes import CollectionKind, MapKind, TypeCode
from .values import BinaryEnumValue

__all__ = ["typed_array"]

_i8 = _b.unpack_i8
_i32 = _b.unpack_i32
_read_count = _b.read_count
_SET_KINDS: Final = frozenset(
    (CollectionKind.USER_SET, CollectionKind.HASH_SET, CollectionKind.LINKED_HASH_SET)
)
_NULL: Final = int(TypeCode.NULL)


def typed_array(code: int) -> Reader:
    """Arrays whose elements are typed values of one code (or null): 20-22, 31, 34, 37."""
    what = f"{TypeCode(code).name.lower()} array element"

    def read(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
        n, pos = _read_count(buf, pos, what)
        out: list[Any] = []
        append = out.append
        elem = READERS[code]
        for _ in range(n):
            c = buf[pos]
            if c == code:
                v, pos = elem(buf, pos + 1, ctx)
            elif c == _NULL:
                v, pos = None, pos + 1
            else:
                raise fail(f"array of type {code} holds a value of type {c}", pos)
            append(v)
        return out, pos

    return read


def _read_elements(buf: Any, pos: int, n: int, ctx: CodecContext, out: list[Any]) -> int:
    append = out.append
    for _ in range(n):
        v, pos = read_any(buf, pos, ctx)
        append(v)
    return pos


def _r_obj_arr(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    start = pos - 1
    component = _i32(buf, pos)[0]
    pos += 4
    if component == 0:  # unregistered class: its name follows
        _, pos = _b.read_str(buf, pos)
    n, pos = _read_count(buf, pos, "Object[] element")
    enter(ctx, start)
    out: list[Any] = []
    ctx.refs[start] = out
    pos = _read_elements(buf, pos, n, ctx, out)
    ctx.depth -= 1
    return out, pos


def _r_enum_arr(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    start = pos - 1
    pos += 4  # component type id; each element carries its own
    n, pos = _read_count(buf, pos, "enum array element")
    enter(ctx, start)
    out: list[Any] = []
    pos = _read_elements(buf, pos, n, ctx, out)
    ctx.depth -= 1
    return out, pos


def _r_collection(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    start = pos - 1
    n, pos = _read_count(buf, pos, "collection element")
    kind = _i8(buf, pos)[0]
    enter(ctx, start)
    out: list[Any] = []
    if kind not in _SET_KINDS:
        ctx.refs[start] = out
    pos = _read_elements(buf, pos + 1, n, ctx, out)
    ctx.depth -= 1
    if kind in _SET_KINDS:
        try:
            return set(out), pos
        except TypeError:
            return out, pos  # unhashable elements: keep them, in order
    return out, pos


def _r_map(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    start = pos - 1
    n, pos = _read_count(buf, pos, "map entry", 2)
    kind = _i8(buf, pos)[0]
    pos += 1
    enter(ctx, start)
    out: dict[Any, Any] = OrderedDict() if kind == MapKind.LINKED_HASH_MAP else {}
    ctx.refs[start] = out
    for _ in range(n):
        kpos = pos
        k, pos = read_any(buf, pos, ctx)
        v, pos = read_any(buf, pos, ctx)
        try:
            out[k] = v
        except TypeError:
            raise fail(f"map key of type {type(k).__name__} is not hashable", kpos) from None
    ctx.depth -= 1
    return out, pos


def _r_enum(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    tid = _i32(buf, pos)[0]
    ordinal = _i32(buf, pos + 4)[0]
    cls = ctx.registry.enum_class(tid)
    if cls is not None:
        members = list(cls)
        if 0 <= ordinal < len(members):
            return members[ordinal], pos + 8
    return BinaryEnumValue(tid, ordinal), pos + 8


def _r_handle(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    back = _i32(buf, pos)[0]
    target = pos - 1 - back
    if back <= 0 or target < ctx.base:
        raise fail(f"handle offset {back} points outside the value", pos - 1)
    refs = ctx.refs
    if target in refs:
        return refs[target], pos + 4
    enter(ctx, pos - 1)
    value, _ = read_any(buf, target, ctx)
    ctx.depth -= 1
    refs[target] = value
    return value, pos + 4


def _r_wrapped(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    n, data = _read_count(buf, pos, "wrapped object byte")
    end = data + n
    offset = _i32(buf, end)[0]
    if not 0 <= offset < n:
        raise fail(f"wrapped object offset {offset} outside its {n} bytes", pos - 1)
    base = ctx.base
    ctx.base = data
    enter(ctx, pos - 1)
    value, _ = read_any(buf, data + offset, ctx)
    ctx.depth -= 1
    ctx.base = base
    return value, end + 4
