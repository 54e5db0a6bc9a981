"""SQL pages with object columns: the compiled page decoder reads the objects of the
classes the page has met with the compiled object decoder (as scan pages do), and gives
exactly what the pure-Python path gives (issue 12, W7).

Pages are drawn with columns of objects (one or two random classes, plain or wrapped as
a cache stores them, sometimes another class, a nested object or NULL in the cell) and
columns of every scalar type.  The compiled side is ``rows.decode_rows_fast`` with the
classes' decoders compiled with their C call; the pure side is
``rows.decode_rows_pure`` with decoders compiled without it, and ``decode_values`` row
by row.  Values must be identical (class, field names and order, field values with their
types), the end too; damaged pages fail with the same error at the same offset.
"""

from __future__ import annotations

import struct
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import I64, SCALARS, TEXT
from test_codec_generated import describe, make_class, outcome
from test_objects_accel import damage, decoders
from test_read_pages import classes, instance, registry_of

from ignite_wire import datatypes as dt
from ignite_wire._protocol import rows
from ignite_wire._protocol.binary_types import NeedBinaryType
from ignite_wire._protocol.codec import CodecContext, decode_values, encode_value


def _cell(value: Any, hint: Any = None, wrap: int | None = None) -> bytes:
    data = outcome(lambda: encode_value(value, hint, ctx=CodecContext()))
    if not isinstance(data, bytes):
        return b"\x65"  # a value its class cannot hold: a null instead
    if wrap is not None and data[0] == 103:
        # as a cache stores it: 27, byte count, bytes, offset of the object (0, or a pad)
        data = b"\x00" * wrap + data
        data = struct.pack("<bi", 27, len(data)) + data + struct.pack("<i", wrap)
    return data


@st.composite
def object_pages(draw: st.DrawFn) -> tuple[bytes, int, int, list[Any]]:
    """rows x columns cells, columns of objects and of scalars, and the classes."""
    kinds = draw(st.lists(classes(), min_size=1, max_size=2))
    nested = make_class([dt.LongObject, None])  # a field holding another object
    everything = [*kinds, nested]
    columns = draw(st.integers(1, 4))
    count = draw(st.integers(0, 8))
    plans = [
        ("object", draw(st.sampled_from(kinds)), draw(st.sampled_from([None, None, 0, 1])))
        if draw(st.booleans())
        else ("scalar", draw(st.sampled_from(SCALARS)), None)
        for _ in range(columns)
    ]
    body = bytearray()
    for _ in range(count):
        for kind, what, wrap in plans:
            odd = draw(st.integers(0, 7))
            if odd == 0:
                body += b"\x65"
            elif kind == "scalar":
                strategy, hint, _norm = what
                body += _cell(draw(strategy), hint)
            elif odd == 1:  # another class, or a nested object, in the column
                other = draw(st.sampled_from(everything))
                value = (
                    nested(draw(I64), instance(draw, kinds[0]))
                    if other is nested
                    else instance(draw, other)
                )
                body += _cell(value, wrap=wrap)
            elif odd == 2:
                body += _cell(draw(TEXT))
            else:
                body += _cell(instance(draw, what), wrap=wrap)
    return bytes(body), count, columns, everything


def decode(body: bytes, count: int, columns: int, kinds: list[Any], compiled: bool) -> Any:
    """One side's outcome: rows described value by value and the end, or the error."""

    def run(how: str) -> Any:
        ctx = CodecContext(registry_of(*kinds))
        try:
            if how == "fast":
                result, end = rows.decode_rows_fast(body, 0, count, columns, ctx, decode_values)
            elif how == "pure":
                result, end = rows.decode_rows_pure(body, 0, count, columns, ctx, decode_values)
            else:  # decode_values row by row: the reference
                result, pos = [], 0
                for _ in range(count):
                    row, pos = decode_values(body, pos, columns, ctx)
                    result.append(row)
                end = pos
        except NeedBinaryType as exc:
            return NeedBinaryType, exc.type_id
        return [[describe(v) for v in row] for row in result], end

    with decoders(kinds, accelerated=compiled):
        if compiled:
            return outcome(lambda: run("fast"))
        return outcome(lambda: run("pure")), outcome(lambda: run("values"))


def assert_alike(body: bytes, count: int, columns: int, kinds: list[Any]) -> Any:
    if count * columns > len(body):  # decode_rows checks this first, for both paths
        return None
    fast = decode(body, count, columns, kinds, compiled=True)
    pure, values = decode(body, count, columns, kinds, compiled=False)
    assert fast == pure == values
    return fast


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(object_pages())
def test_pages_of_objects_decode_alike(page: tuple[bytes, int, int, list[Any]]) -> None:
    body, count, columns, kinds = page
    fast = assert_alike(body, count, columns, kinds)
    assert fast is None or fast[1] == len(body)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(object_pages(), st.data())
def test_damaged_pages_of_objects_fail_or_decode_alike(
    page: tuple[bytes, int, int, list[Any]], data: st.DataObject
) -> None:
    body, count, columns, kinds = page
    if not body:
        return
    damaged = damage(body, data.draw)
    assert_alike(damaged, count, columns, kinds)


def test_objects_after_the_first_of_their_class_skip_the_general_path() -> None:
    """W7's rows (a long key, an object; plain and wrapped): the general path reads the
    first object of the class only, the compiled object decoder all the others."""
    cls = make_class([dt.String, dt.IntObject, dt.DoubleObject, dt.String])
    objs = [cls(f"n{i}", i, i / 3, None) for i in range(50)]
    calls: list[int] = []

    def general(b: Any, p: int, n: int, ctx: CodecContext) -> Any:
        calls.append(b[p])
        return decode_values(b, p, n, ctx)

    for wrap in (None, 0):
        body = b"".join(_cell(i) + _cell(o, wrap=wrap) for i, o in enumerate(objs))
        calls.clear()

        ctx = CodecContext(registry_of(cls))
        result, end = rows.decode_rows_fast(body, 0, len(objs), 2, ctx, general)
        assert end == len(body)
        assert result == [[i, o] for i, o in enumerate(objs)]
        assert [describe(row[1]) for row in result] == [describe(o) for o in objs]
        assert calls == [103 if wrap is None else 27]
