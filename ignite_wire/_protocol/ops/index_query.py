"""Index queries (op 2008, feature bit 14): read entries through a secondary index.

Layout, read from the bytecode of Ignite 2.17's ``ClientCacheIndexQueryRequest``::

    cache header | i32 pageSize | bool local | i32 partition (-1: all)
        | [bit 15 INDEX_QUERY_LIMIT: i32 limit (0: none)]
        | Str valueType | Str indexName (null: the server picks one from the criteria)
        | i8 1, i32 n, criterion * n   (or i8 0: no criteria)
        | filter object (65 = null)
    criterion: i8 0 (range) | Str field | bool lowerIncl | bool upperIncl
                   | bool lowerNull | bool upperNull | lower object | upper object
               i8 1 (in)    | Str field | i32 n | object * n

The answer is a scan-style cursor (``i64 cursorId``, ``i32 n``, pairs, ``bool hasMore``),
paged by ``ClientCacheQueryNextPageRequest`` -- the class behind both op 2001 and op
2009, so :func:`~.query.next_scan_page` serves it.

Range bounds follow ``IndexQueryCriteriaBuilder``: an absent bound is a null object with
``*Null`` false; a bound whose *value* is SQL NULL sets ``*Null`` true.  ``eq(f, v)`` is
``between(f, v, v)``.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ...exceptions import ParameterError, SQLError
from ..buffer import write_str
from ..codec import write_value
from ..context import CodecContext
from ..flow import Flow, Request
from ..opcodes import OpCode
from .common import register_pending
from .query import ScanPage, read_scan_page

__all__ = ["Criterion", "InCriterion", "RangeCriterion", "index_query"]

_HEAD = struct.Struct("<i?i")
_I32 = struct.Struct("<i")
_FLAGS = struct.Struct("<????")
_NULL = 0x65

#: Marks an open end of a range (distinct from ``None``, which is SQL NULL as a bound).
OPEN: Any = object()


@dataclass(frozen=True, slots=True)
class RangeCriterion:
    """``lower <= field <= upper`` (or ``<``), either end open."""

    field: str
    lower: Any = OPEN
    upper: Any = OPEN
    lower_inclusive: bool = True
    upper_inclusive: bool = True


@dataclass(frozen=True, slots=True)
class InCriterion:
    """``field IN (values)``."""

    field: str
    values: tuple[Any, ...]


Criterion = RangeCriterion | InCriterion


def _write_criterion(out: bytearray, crit: Criterion, ctx: CodecContext) -> None:
    if not isinstance(crit, (RangeCriterion, InCriterion)) or not crit.field:
        raise ParameterError(f"index query: not a criterion on a named field: {crit!r}")
    if isinstance(crit, InCriterion):
        out.append(1)
        write_str(out, crit.field)
        out += _I32.pack(len(crit.values))
        for value in crit.values:
            write_value(out, value, None, ctx=ctx)
        return
    lower_open, upper_open = crit.lower is OPEN, crit.upper is OPEN
    out.append(0)
    write_str(out, crit.field)
    out += _FLAGS.pack(
        # an open end is inclusive in Java's builder (lt: lowerIncl=true, lower=null)
        crit.lower_inclusive or lower_open,
        crit.upper_inclusive or upper_open,
        not lower_open and crit.lower is None,
        not upper_open and crit.upper is None,
    )
    for bound, is_open in ((crit.lower, lower_open), (crit.upper, upper_open)):
        if is_open or bound is None:
            out.append(_NULL)
        else:
            write_value(out, bound, None, ctx=ctx)


def index_query(
    header: bytearray,
    ctx: CodecContext,
    *,
    value_type: str,
    criteria: Sequence[Criterion],
    index_name: str | None,
    page_size: int,
    partition: int,
    local: bool,
    limit: int,
    send_limit: bool,
) -> Flow[ScanPage]:
    """QUERY_INDEX: the first page of entries matching ``criteria`` through the index.

    ``send_limit`` says whether the connection negotiated bit 15 (the limit field exists
    only then); a ``limit`` without it is refused rather than silently ignored.
    """
    out = header
    out += _HEAD.pack(page_size, local, partition)
    if send_limit:
        out += _I32.pack(limit)
    elif limit:
        raise ParameterError("index query: this server does not support limit (bit 15)")
    write_str(out, value_type)
    write_str(out, index_name)
    if criteria:
        out.append(1)
        out += _I32.pack(len(criteria))
        for crit in criteria:
            _write_criterion(out, crit, ctx)
    else:
        out.append(0)
    out.append(_NULL)  # no filter (a Java predicate the server would need)
    if ctx.pending:
        yield from register_pending(ctx)
    response = yield Request(OpCode.QUERY_INDEX, out, SQLError)
    return (yield from read_scan_page(response.payload, ctx))
