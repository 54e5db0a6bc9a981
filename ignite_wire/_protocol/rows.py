"""SQL pages decoded by a straight-line function generated per column signature.

A SQL page is rows x columns of typed values, and the columns of one result keep their
types from row to row.  The general path (:func:`.codec.decode_values`) dispatches every
value through the READERS table under its own error handling; this module reads the
first row's type codes, generates once per signature a function that decodes one row
with the common types inline (the shared :data:`.field_table.FIELDS`: integers,
doubles, booleans, UUIDs, timestamps, strings) and everything else through READERS,
and uses it for the other rows.  A value of another type than its column's (a NULL,
say) takes the READERS branch of the generated code; a malformed or truncated row makes
the generated function fail and the row is decoded again by the general path, which
reports the error with its offset.  So the values and the errors are the general
path's, only cheaper (tests/wire/protocol/test_fast_paths.py compares both on generated
pages).

When the optional compiled decoder (``_rows_accel.c``, built at install by
hatch_build.py when a C compiler is present) imports, it decodes the whole page instead:
the common scalars in C, objects of the classes the page has met by the compiled object
decoder (``_objects_accel.c``, as scan pages), every other value by ``decode_values``
again, so values and errors stay the general path's (tests/wire/protocol/
test_rows_accel.py runs both).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from functools import lru_cache
from typing import Any, Final

from .binary_object import compile_generated
from .binary_types import NeedBinaryType
from .buffer import Buffer
from .context import CodecContext
from .field_table import FIELDS, MAX_INLINE_FIELDS, generated_env, inline_string
from .object_decoder import PageDecoders, PageSpecs, accel_entries, learn_class
from .type_codes import TypeCode

__all__ = ["ACCELERATED", "decode_rows_fast", "decode_rows_pure"]

RowDecoder = Callable[[Buffer, int, CodecContext], tuple[list[Any], int]]
GeneralDecoder = Callable[[Buffer, int, int, CodecContext], tuple[list[Any], int]]
PageDecoder = Callable[..., tuple[list[list[Any]], int]]

accel_rows: PageDecoder | None
try:
    from ._rows_accel import decode_rows as accel_rows
except ImportError:  # not built (no C compiler at install), or IGNITE_WIRE_PURE=1
    accel_rows = None

#: The type codes of an object column's values: plain and wrapped objects.
_OBJECTS: Final = frozenset((TypeCode.COMPLEX_OBJ, TypeCode.BINARY_OBJ))

#: Whether SQL pages go through the compiled decoder (``_rows_accel.c``).
ACCELERATED: Final = accel_rows is not None


#: Row-only inline forms (cheaper than the shared FIELDS reads, which call a function per
#: value): anything unusual (nanoseconds below the microsecond, a magnitude over 8 bytes,
#: a bad length) raises, and the row is decoded again by the general path.
_INLINE: Final[dict[int, list[str]]] = {
    TypeCode.TIMESTAMP: [
        "        ms, ns = _TS(buf, p + 1)",
        "        if ns % 1000 or not 0 <= ns <= 999_999:",
        "            raise ValueError",
        # timedelta normalises the microseconds itself: no divmod needed
        "        {v} = _EPOCH + _td(0, 0, ms * 1000 + ns // 1000)",
        "        p += 13",
    ],
    TypeCode.DECIMAL: [
        "        scale = _i32(buf, p + 1)[0]",
        "        n = _i32(buf, p + 5)[0]",
        "        q = p + 9 + n",
        "        if not 0 < n <= 8 or q > len(buf):",
        "            raise ValueError",
        "        u = _from_bytes(buf[p + 9 : q], 'big')",
        "        if buf[p + 9] & 0x80:",
        "            u = -(u ^ (1 << (8 * n - 1)))",
        "        {v} = _Decimal(u).scaleb(-scale, _EXACT)",
        "        p = q",
    ],
}


def _env() -> dict[str, Any]:
    env = generated_env()
    env.update(
        _EPOCH=datetime(1970, 1, 1, tzinfo=timezone.utc),
        _td=timedelta,
        _from_bytes=int.from_bytes,
        _Decimal=Decimal,
        _EXACT=Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN),
    )
    return env


@lru_cache(maxsize=256)
def row_decoder(codes: tuple[int, ...]) -> RowDecoder:
    """The generated decoder of one row whose columns have these type codes."""
    lines = ["def decode(buf, p, ctx):"]
    for i, code in enumerate(codes):
        lines.append("    c = buf[p]")
        if code == TypeCode.STRING:
            lines += [*inline_string(f"v{i}", "    "), "        p = q", "    else:"]
        elif code in _INLINE:
            lines += [
                f"    if c == {code}:",
                *(line.format(v=f"v{i}") for line in _INLINE[code]),
                "    else:",
            ]
        elif (form := FIELDS.get(code)) is not None and form.read is not None:
            lines += [
                f"    if c == {code}:",
                f"        v{i} = {form.read}",
                f"        p += {1 + form.size}",
                "    else:",
            ]
        else:
            lines.append("    if True:")
        # as decode_values does for every value: a fresh top-level context
        lines += [
            "        ctx.depth = 0",
            "        ctx.base = p",
            "        if ctx.refs:",
            "            ctx.refs = {}",
            f"        v{i}, p = _READERS[c](buf, p + 1, ctx)",
        ]
    lines.append(f"    return [{', '.join(f'v{i}' for i in range(len(codes)))}], p")
    signature = ",".join(str(c) for c in codes)
    decode: RowDecoder = compile_generated(
        "\n".join(lines), f"decode SQL row ({signature})", _env()
    )
    return decode


def decode_rows_fast(
    buf: Buffer,
    pos: int,
    rows: int,
    columns: int,
    ctx: CodecContext,
    general: GeneralDecoder,
) -> tuple[list[list[Any]], int]:
    """``rows`` rows of ``columns`` values (the caller has checked them against the
    bytes): by the compiled decoder when it is built, which hands every value it does not
    take to ``general`` (``decode_values``), else by :func:`decode_rows_pure`."""
    if accel_rows is None:
        return decode_rows_pure(buf, pos, rows, columns, ctx, general)
    if accel_entries is None:  # no compiled object decoder: objects by ``general``

        def plain(b: Buffer, p: int, count: int) -> tuple[list[Any], int]:
            return general(b, p, count, ctx)

        return accel_rows(buf, pos, rows, columns, plain)
    # Object columns: the first object of each class is read by ``general`` (which makes
    # its class from the metadata if need be), then its class's compiled spec goes into
    # ``specs`` and the compiled decoder reads the page's other objects of that class
    # itself, as scan pages do (read_pages.py): the same values, without decode_values.
    decoders: PageDecoders = {}
    specs: PageSpecs = {}

    def one(b: Buffer, p: int, count: int) -> tuple[list[Any], int]:
        result = general(b, p, count, ctx)
        if count == 1 and b[p] in _OBJECTS:
            at = p + 5 if b[p] == TypeCode.BINARY_OBJ else p  # a wrapped one's object
            if at + 8 <= len(b) and b[at] == TypeCode.COMPLEX_OBJ:
                learn_class(b, at, ctx, decoders, specs)
        return result

    return accel_rows(buf, pos, rows, columns, one, specs)


def decode_rows_pure(
    buf: Buffer,
    pos: int,
    rows: int,
    columns: int,
    ctx: CodecContext,
    general: GeneralDecoder,
) -> tuple[list[list[Any]], int]:
    """``rows`` rows of ``columns`` values: the first (and any row the generated decoder
    cannot take) by ``general`` (``decode_values``), the others by the generated one."""
    result: list[list[Any]] = []
    if rows == 0:
        return result, pos
    # The first row by the general path (its errors are the general path's), then its
    # type codes by walking it once more: once per page, so cheap.
    first, end = general(buf, pos, columns, ctx)
    result.append(first)
    codes: list[int] = []
    for _ in range(columns):
        codes.append(buf[pos])
        pos = general(buf, pos, 1, ctx)[1]
    if not 0 < columns <= MAX_INLINE_FIELDS:
        for _ in range(rows - 1):
            row, pos = general(buf, pos, columns, ctx)
            result.append(row)
        return result, pos
    decode = row_decoder(tuple(codes))
    append = result.append
    for _ in range(rows - 1):
        try:
            row, end = decode(buf, pos, ctx)
        except NeedBinaryType:
            raise
        except Exception:
            row, end = general(buf, pos, columns, ctx)  # raises the error, with its offset
        append(row)
        pos = end
    return result, pos
