"""The 256-entry reader table and :func:`read_any`, the one entry point of decoding.

A reader is ``reader(buf, pos, ctx) -> (value, next_pos)`` where ``pos`` is just past the
type code.  :data:`READERS` maps every type code (as an unsigned byte) to its reader; the
readers themselves live by family (:mod:`.read_scalars`, :mod:`.read_containers`,
:mod:`.object_decoder`) and :mod:`.readers` fills the table from them.  The table is a
plain list on purpose: one index per value, and a single place to swap the reader of a
type code (a different Python representation of a value, say) for every decoder,
generated ones included (they index this same list).

This module sits below the families so that the recursive readers (collections,
objects, handles) can call :func:`read_any` without an import cycle.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any, Final

from ..exceptions import ParseError
from .context import MAX_DEPTH, CodecContext

__all__ = ["LOW_LEVEL", "READERS", "Reader", "enter", "fail", "read_any"]

Reader = Callable[[Any, int, CodecContext], tuple[Any, int]]

#: What a truncated or garbled buffer makes the readers raise; :func:`read_any` turns it
#: into ``ParseError`` with the offset of the value being read.
LOW_LEVEL: Final = (
    struct.error,
    IndexError,
    OverflowError,
    ValueError,
    TypeError,
    KeyError,
    RecursionError,
)


def fail(msg: str, pos: int) -> ParseError:
    """The error of a malformed value at ``pos``."""
    return ParseError(msg, offset=pos)


def enter(ctx: CodecContext, pos: int) -> None:
    """Go one level deeper (containers, objects, handles), or fail past MAX_DEPTH."""
    if ctx.depth >= MAX_DEPTH:
        raise fail(f"values nested deeper than {MAX_DEPTH}", pos)
    ctx.depth += 1


def read_any(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    """Decode the typed value at ``pos``; return ``(value, next_pos)``."""
    try:
        # ctx.readers is READERS, or the pyignite value mode's table (pyignite_values.py)
        result: tuple[Any, int] = ctx.readers[buf[pos]](buf, pos + 1, ctx)
        return result
    except LOW_LEVEL as exc:
        raise fail(f"cannot decode value: {exc.__class__.__name__}: {exc}", pos) from None


def _unsupported(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    raise fail(f"unsupported type code {buf[pos - 1]}", pos - 1)


#: type code (as an unsigned byte) -> reader; filled by :mod:`.readers`.
READERS: list[Reader] = [_unsupported] * 256
