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
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from .binary_object import compile_generated
from .binary_types import NeedBinaryType
from .buffer import Buffer
from .context import CodecContext
from .field_table import FIELDS, MAX_INLINE_FIELDS, generated_env, inline_string
from .type_codes import TypeCode

__all__ = ["decode_rows_fast"]

RowDecoder = Callable[[Buffer, int, CodecContext], tuple[list[Any], int]]
GeneralDecoder = Callable[[Buffer, int, int, CodecContext], tuple[list[Any], int]]


@lru_cache(maxsize=256)
def row_decoder(codes: tuple[int, ...]) -> RowDecoder:
    """The generated decoder of one row whose columns have these type codes."""
    lines = ["def decode(buf, p, ctx):"]
    for i, code in enumerate(codes):
        lines.append("    c = buf[p]")
        if code == TypeCode.STRING:
            lines += [*inline_string(f"v{i}", "    "), "        p = q", "    else:"]
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
        "\n".join(lines), f"decode SQL row ({signature})", generated_env()
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
