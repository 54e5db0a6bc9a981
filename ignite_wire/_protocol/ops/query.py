"""Scan, SQL and SQL-fields queries and their cursor pages (ops 2000-2005, 0).

A query answers with its first page and a cursor id; :func:`next_sql_page` and
:func:`next_scan_page` fetch the following pages *on the same connection* (the cursor
lives on the node that opened it: the cursor drives these flows on that connection).
The server frees a cursor after its last page, so only a cursor abandoned before its
last page is closed with RESOURCE_CLOSE (op 0); closing an exhausted one is an error
(status 1011) we never provoke.

Page bodies are decoded in one pass by the codec's row decoder; a binary type missing
from the registry makes the whole page decode again after the type is fetched, which is
correct because decoding has no side effects besides the registry.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any, NamedTuple

from ...exceptions import ParseError, SQLError
from ..buffer import Buffer, read_str, write_str
from ..codec import decode_rows, write_value
from ..context import CodecContext
from ..flow import Flow, Request
from ..opcodes import OpCode
from ..read_pages import decode_pairs
from .common import decode_with_types, register_pending

__all__ = [
    "ScanPage",
    "SqlPage",
    "close_cursor",
    "next_entries_page",
    "next_scan_page",
    "next_sql_page",
    "read_scan_page",
    "scan",
    "sql_entries",
    "sql_fields",
]

_I32 = struct.Struct("<i")
_I64 = struct.Struct("<q")
_SCAN_TAIL = struct.Struct("<ii?")
_SQL_FLAGS = struct.Struct("<b??????q?")
_SQL_ENTRIES_TAIL = struct.Struct("<???iq")


class SqlPage(NamedTuple):
    """One page of a SQL-fields cursor."""

    cursor_id: int
    field_names: list[str] | None
    columns: int
    rows: list[list[Any]]
    has_more: bool


class ScanPage(NamedTuple):
    """One page of a scan cursor: ``(key, value)`` pairs, read through
    :func:`.object_decoder.hand_out` only (some may be held out of the garbage collector
    until then: :mod:`.read_pages`)."""

    cursor_id: int
    items: list[tuple[Any, Any]]
    has_more: bool


def _need(payload: Buffer, pos: int, size: int, what: str) -> None:
    if pos + size > len(payload):
        raise ParseError(f"the answer ends before its {what}", offset=pos)


def sql_fields(
    header: bytearray,
    ctx: CodecContext,
    *,
    query: str,
    args: Sequence[Any],
    schema: str | None,
    page_size: int,
    max_rows: int,
    statement_type: int,
    distributed_joins: bool,
    local: bool,
    replicated_only: bool,
    enforce_join_order: bool,
    collocated: bool,
    lazy: bool,
    timeout_ms: int,
    include_field_names: bool,
    partitions: Sequence[int] | None = None,
    update_batch_size: int = 1,
    partitions_field: bool = False,
) -> Flow[SqlPage]:
    """QUERY_SQL_FIELDS: run ``query`` and return its first page.

    ``partitions_field``: the connection negotiated bit 7 (QRY_PARTITIONS_BATCH_SIZE),
    which appends ``i32 n (-1: all) | i32 partition * n | i32 updateBatchSize`` (read
    from 2.17's ``ClientCacheSqlFieldsQueryRequest``).  Without it ``partitions`` and a
    batch size other than 1 cannot be sent, and the caller must have refused them.
    """
    out = header
    write_str(out, schema)
    out += _I32.pack(page_size) + _I32.pack(max_rows)
    write_str(out, query)
    out += _I32.pack(len(args))
    for arg in args:
        write_value(out, arg, None, ctx=ctx)
    out += _SQL_FLAGS.pack(
        statement_type,
        distributed_joins,
        local,
        replicated_only,
        enforce_join_order,
        collocated,
        lazy,
        timeout_ms,
        include_field_names,
    )
    if partitions_field:
        if partitions is None:
            out += _I32.pack(-1)
        else:
            out += _I32.pack(len(partitions))
            for partition in partitions:
                out += _I32.pack(partition)
        out += _I32.pack(update_batch_size)
    if ctx.pending:
        yield from register_pending(ctx)
    response = yield Request(OpCode.QUERY_SQL_FIELDS, out, SQLError)
    payload = response.payload

    def decode() -> SqlPage:
        _need(payload, 0, 12, "cursor id and column count")
        (cursor_id,) = _I64.unpack_from(payload, 0)
        (columns,) = _I32.unpack_from(payload, 8)
        if columns < 0 or columns > len(payload):
            raise ParseError(f"implausible column count {columns}", offset=8)
        pos = 12
        names: list[str] | None = None
        if include_field_names:
            names = []
            for _ in range(columns):
                name, pos = read_str(payload, pos)
                names.append(name or "")
        rows, has_more = _read_rows(payload, pos, columns, ctx)
        return SqlPage(cursor_id, names, columns, rows, has_more)

    return (yield from decode_with_types(ctx, decode))


def _read_rows(
    payload: Buffer, pos: int, columns: int, ctx: CodecContext
) -> tuple[list[list[Any]], bool]:
    _need(payload, pos, 4, "row count")
    (count,) = _I32.unpack_from(payload, pos)
    rows, pos = decode_rows(payload, pos + 4, count, columns, ctx)
    _need(payload, pos, 1, "has-more flag")
    return rows, payload[pos] != 0


def next_sql_page(cursor_id: int, columns: int, ctx: CodecContext) -> Flow[SqlPage]:
    """QUERY_SQL_FIELDS_CURSOR_GET_PAGE: the next page of an open SQL cursor."""
    response = yield Request(
        OpCode.QUERY_SQL_FIELDS_CURSOR_GET_PAGE, _I64.pack(cursor_id), SQLError
    )
    payload = response.payload

    def decode() -> SqlPage:
        rows, has_more = _read_rows(payload, 0, columns, ctx)
        return SqlPage(cursor_id, None, columns, rows, has_more)

    return (yield from decode_with_types(ctx, decode))


def _read_pairs(payload: Buffer, pos: int, ctx: CodecContext) -> tuple[list[tuple[Any, Any]], bool]:
    _need(payload, pos, 4, "entry count")
    (count,) = _I32.unpack_from(payload, pos)
    pos += 4
    if count < 0 or 2 * count > len(payload) - pos:
        raise ParseError(f"{count} entries exceed the answer's bytes", offset=pos - 4)
    # held: the cursors read ScanPage.items through CursorState, that is hand_out
    items, pos = decode_pairs(payload, pos, count, ctx, held=True)
    _need(payload, pos, 1, "has-more flag")
    return items, payload[pos] != 0


def scan(
    header: bytearray,
    ctx: CodecContext,
    *,
    page_size: int,
    partition: int,
    local: bool,
) -> Flow[ScanPage]:
    """QUERY_SCAN without a filter (``partition`` -1 means every partition)."""
    header += b"\x65"  # null filter: no platform byte follows
    header += _SCAN_TAIL.pack(page_size, partition, local)
    response = yield Request(OpCode.QUERY_SCAN, header, SQLError)
    return (yield from read_scan_page(response.payload, ctx))


def read_scan_page(payload: Buffer, ctx: CodecContext) -> Flow[ScanPage]:
    """The first page of an entry cursor (scan and index queries answer alike)."""

    def decode() -> ScanPage:
        _need(payload, 0, 8, "cursor id")
        (cursor_id,) = _I64.unpack_from(payload, 0)
        items, has_more = _read_pairs(payload, 8, ctx)
        return ScanPage(cursor_id, items, has_more)

    return (yield from decode_with_types(ctx, decode))


def next_scan_page(cursor_id: int, ctx: CodecContext) -> Flow[ScanPage]:
    """QUERY_SCAN_CURSOR_GET_PAGE: the next page of an open scan cursor."""
    return (yield from next_entries_page(OpCode.QUERY_SCAN_CURSOR_GET_PAGE, cursor_id, ctx))


def sql_entries(
    header: bytearray,
    ctx: CodecContext,
    *,
    type_name: str,
    query: str,
    args: Sequence[Any],
    distributed_joins: bool,
    local: bool,
    replicated_only: bool,
    page_size: int,
    timeout_ms: int,
) -> Flow[ScanPage]:
    """QUERY_SQL: whole ``(key, value)`` entries of ``type_name`` that match ``query``.

    The older SQL query (Java's ``SqlQuery``): ``query`` is the part after ``FROM <table>``
    (a WHERE/ORDER BY clause).  Its pages have the scan layout, and so does the next-page
    answer (QUERY_SQL_CURSOR_GET_PAGE), hence :class:`ScanPage`.
    """
    out = header
    write_str(out, type_name)
    write_str(out, query)
    out += _I32.pack(len(args))
    for arg in args:
        write_value(out, arg, None, ctx=ctx)
    out += _SQL_ENTRIES_TAIL.pack(distributed_joins, local, replicated_only, page_size, timeout_ms)
    if ctx.pending:
        yield from register_pending(ctx)
    response = yield Request(OpCode.QUERY_SQL, out, SQLError)
    payload = response.payload

    def decode() -> ScanPage:
        _need(payload, 0, 8, "cursor id")
        (cursor_id,) = _I64.unpack_from(payload, 0)
        items, has_more = _read_pairs(payload, 8, ctx)
        return ScanPage(cursor_id, items, has_more)

    return (yield from decode_with_types(ctx, decode))


def next_entries_page(op: int, cursor_id: int, ctx: CodecContext) -> Flow[ScanPage]:
    """The next page of a scan (op 2001) or SQL (op 2003) cursor: the same layout."""
    response = yield Request(op, _I64.pack(cursor_id), SQLError)
    payload = response.payload

    def decode() -> ScanPage:
        items, has_more = _read_pairs(payload, 0, ctx)
        return ScanPage(cursor_id, items, has_more)

    return (yield from decode_with_types(ctx, decode))


def next_page_outline(payload: Buffer) -> tuple[int, bool] | None:
    """The item count and the has-more flag of a next-page answer, read without decoding
    it (``None`` if it is too short to hold them): every next-page answer (scan, SQL
    entries, SQL rows) is its count, its items, then the flag, its last byte.  A cursor
    reads them to ask for the page after before it decodes this one."""
    if len(payload) < 5:
        return None
    (count,) = _I32.unpack_from(payload, 0)
    return count, payload[-1] != 0


def close_cursor(cursor_id: int) -> Flow[None]:
    """RESOURCE_CLOSE: free a cursor that was not read to its end."""
    yield Request(OpCode.RESOURCE_CLOSE, _I64.pack(cursor_id), SQLError)
