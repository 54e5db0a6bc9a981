"""Pages of key/value pairs and the expected-layout path of the generated decoders give
the values and errors of the plain, value-by-value decoding.

``read_pages.decode_pairs`` (scan and SQL-entry pages, ``get_all`` answers) reads the
common entry -- a long key and an object of a class already seen in the page -- with a
class's generated decoder directly, and the generated decoders read objects laid out the
usual way with a few ``struct`` calls (``_expected_layout``).  These tests draw random
classes (Decimal and Timestamp fields with values included), random pages of mixed keys
and values, damage the bytes, and demand the same outcome from the fast and the plain
path: the same values (type, field order, field values), the same end offset, or the same
error at the same offset.
"""

from __future__ import annotations

import struct
from collections import OrderedDict
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import DECIMALS, I32, I64, TEXT
from test_codec_generated import FIELDS as GENERATED_FIELDS
from test_codec_generated import decode_both, describe, make_class, outcome

from ignite_wire import datatypes as dt
from ignite_wire._protocol import read_pages
from ignite_wire._protocol.binary_types import BinaryTypeRegistry, NeedBinaryType
from ignite_wire._protocol.codec import CodecContext, encode_value
from ignite_wire._protocol.pyignite_values import PYIGNITE_READERS

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
#: Timestamps with sub-millisecond parts (NanoDatetime past the microsecond), around the
#: epoch and far from it.
TIMESTAMPS = st.builds(
    lambda ms, us: EPOCH + timedelta(milliseconds=ms, microseconds=us),
    st.integers(-(10**13), 10**13) | st.integers(-(10**10), 10**10).map(lambda s: s * 1000),
    st.sampled_from([0, 0, 0, 1, 999]),
) | st.sampled_from(  # whole seconds at the edges of the fromtimestamp path
    [EPOCH, EPOCH - timedelta(seconds=1), datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc)]
)
FIELDS: dict[Any, st.SearchStrategy[Any]] = {
    **GENERATED_FIELDS,
    dt.TimestampObject: TIMESTAMPS,
    dt.DecimalObject: DECIMALS | st.just(Decimal("1.25")) | st.just(Decimal(-7)),
}
HINTS = st.sampled_from(list(FIELDS))


@st.composite
def classes(draw: st.DrawFn) -> Any:
    return make_class(draw(st.lists(HINTS, min_size=1, max_size=7)))


def instance(draw: st.DrawFn, cls: Any) -> Any:
    hints = list(cls.__ignite_info__.hints)
    return cls(
        *(draw(st.none()) if draw(st.integers(0, 5)) == 0 else draw(FIELDS[h]) for h in hints)
    )


def encoded(value: Any) -> bytes | None:
    data = outcome(lambda: encode_value(value, ctx=CodecContext()))
    return data if isinstance(data, bytes) else None


def registry_of(*classes: Any) -> BinaryTypeRegistry:
    registry = BinaryTypeRegistry()
    for cls in classes:
        registry.add_type(cls.binary_type)
        registry.register_class(cls, cls.type_id)
    return registry


@st.composite
def pages(draw: st.DrawFn) -> tuple[bytes, int, list[Any]]:
    """A page body (count, then key/value pairs) of one or two classes and other values."""
    kinds = draw(st.lists(classes(), min_size=1, max_size=2))
    keys = st.one_of(
        I64.map(lambda v: (v, None)),
        I64.map(lambda v: (v, None)),
        I32.map(lambda v: (v, dt.IntObject)),
        TEXT.map(lambda v: (v, None)),
        st.just((None, None)),
        st.sampled_from(kinds).map(lambda c: (c, None)),
    )
    body = bytearray()
    count = draw(st.integers(0, 12))
    for _ in range(count):
        key = draw(keys)
        if isinstance(key[0], type):  # an object as the key
            key = (instance(draw, key[0]), None)
        value: Any = (
            instance(draw, draw(st.sampled_from(kinds)))
            if draw(st.integers(0, 4))
            else draw(st.none() | TEXT | I64)
        )
        wrap = draw(st.sampled_from([None, None, 0, 1]))  # as a cache answers: wrapped
        for item, hint in (key, (value, None)):
            data = outcome(lambda: encode_value(item, hint, ctx=CodecContext()))  # noqa: B023
            # a value its class cannot hold: a null instead
            data = data if isinstance(data, bytes) else b"\x65"
            if item is value and wrap is not None and data[0] == 103:
                # 27, byte count, bytes, offset of the object in them (0, or after a pad)
                data = b"\x00" * wrap + data
                data = struct.pack("<bi", 27, len(data)) + data + struct.pack("<i", wrap)
            body += data
    return bytes(body), count, kinds


def both(body: bytes, count: int, kinds: list[Any], readers: Any = None) -> tuple[Any, Any]:
    def run(decode: Any) -> Any:
        kw = {} if readers is None else {"readers": readers}
        ctx = CodecContext(registry_of(*kinds), **kw)
        try:
            items, end = decode(b"head" + body, 4, count, ctx)
        except NeedBinaryType as exc:
            return NeedBinaryType, exc.type_id
        return [(describe(k), describe(v)) for k, v in items], end

    return (
        outcome(lambda: run(read_pages.decode_pairs)),
        outcome(lambda: run(read_pages.decode_pairs_plain)),
    )


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_pages_decode_as_value_by_value(page: tuple[bytes, int, list[Any]]) -> None:
    body, count, kinds = page
    fast, plain = both(body, count, kinds)
    assert fast == plain
    assert isinstance(fast, tuple)
    assert fast[1] == len(body) + 4


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(pages(), st.data())
def test_damaged_pages_fail_or_decode_as_value_by_value(
    page: tuple[bytes, int, list[Any]], data: st.DataObject
) -> None:
    body, count, kinds = page
    if not body:
        return
    bad = bytearray(body)
    for _ in range(data.draw(st.integers(1, 3))):
        bad[data.draw(st.integers(0, len(bad) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(bad)))
    damaged = bytes(bad[:cut]) if data.draw(st.booleans()) else bytes(bad)
    fast, plain = both(damaged, count, kinds)
    assert fast == plain


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_pages_in_pyignite_value_mode(page: tuple[bytes, int, list[Any]]) -> None:
    body, count, kinds = page
    fast, plain = both(body, count, kinds, PYIGNITE_READERS)
    assert fast == plain


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(classes(), st.data())
def test_expected_layout_reads_what_the_general_reader_reads(cls: Any, data: st.DataObject) -> None:
    """Decimal and Timestamp values included (the expected-layout path reads them)."""
    obj = instance(data.draw, cls)
    good = encoded(obj)
    if good is None:
        return
    fast, slow = decode_both(b"pre" + good, cls, 3)
    assert fast == slow
    bad = bytearray(good)
    for _ in range(data.draw(st.integers(0, 2))):
        bad[data.draw(st.integers(0, len(bad) - 1))] = data.draw(st.integers(0, 255))
    fast, slow = decode_both(bytes(bad[: data.draw(st.integers(0, len(bad)))]), cls)
    assert fast == slow


def test_scan_row_shape_takes_the_expected_layout() -> None:
    """The shape of a SQL table's value (String, int, Decimal, Timestamp): decoded
    right, and by the expected-layout path (not the per-field one)."""
    cls = make_class([dt.String, dt.IntObject, dt.DecimalObject, dt.TimestampObject])
    ts = datetime(2024, 1, 1, tzinfo=timezone.utc)
    objs = [cls(f"name-{i}", i, Decimal(i) + Decimal("0.25"), ts) for i in range(300)]
    body = b"".join(encode_value(i, ctx=CodecContext()) + encoded(o) for i, o in enumerate(objs))  # type: ignore[operator]
    ctx = CodecContext(registry_of(cls))
    items, end = read_pages.decode_pairs(body, 0, len(objs), ctx)
    assert end == len(body)
    assert items == list(enumerate(objs))
    assert [describe(v) for _, v in items] == [describe(o) for o in objs]
    source = cls.__ignite_info__.decoder.__ignite_source__
    assert "_run2(buf, q2)" in source  # three runs: String | int, Decimal | Timestamp


def test_a_handle_back_to_the_object_from_its_own_field() -> None:
    """A field dispatched through READERS that points back at its object (the decoder
    records the object for handles only in that branch)."""
    cls = make_class([dt.IntObject, dt.IntObject])
    data = bytearray(encoded(cls(1, 5)) or b"")
    footer = struct.unpack_from("<i", data, 20)[0]
    field = data[footer + 1]
    assert data[field] == 3  # int 5: five bytes, the size of a handle
    data[field : field + 5] = struct.pack("<bi", 102, field)
    for decode in (read_pages.decode_pairs, read_pages.decode_pairs_plain):
        page = encode_value(7, ctx=CodecContext()) + bytes(data)
        ((key, obj),) = decode(page, 0, 1, CodecContext(registry_of(cls)))[0]
        assert key == 7
        assert obj.f0 == 1
        assert obj.f1 is obj


def test_handle_to_an_object_read_by_its_generated_decoder() -> None:
    """An object read by the generated decoder inside a collection, then a handle to it."""
    cls = make_class([dt.IntObject, dt.String])
    inner = encoded(cls(3, "x")) or b""
    body = struct.pack("<bib", 24, 2, 1) + inner  # ARR_LIST of two: the object, a handle
    body += struct.pack("<bi", 102, len(body) - 6)
    for decode in (read_pages.decode_pairs, read_pages.decode_pairs_plain):
        page = encode_value(1, ctx=CodecContext()) + body
        ((_, value),) = decode(page, 0, 1, CodecContext(registry_of(cls)))[0]
        assert value[0] == cls(3, "x")
        assert value[1] is value[0]


def test_class_made_from_metadata_in_the_page() -> None:
    """The first object of a type known only by its metadata makes the class; the rest
    of the page is read by that class's decoder."""
    cls = make_class([dt.LongObject, dt.String])
    body = b"".join(
        encode_value(i, ctx=CodecContext()) + (encoded(cls(i, "v")) or b"") for i in range(5)
    )
    registry = BinaryTypeRegistry()
    registry.add_type(cls.binary_type)
    items, _ = read_pages.decode_pairs(body, 0, 5, CodecContext(registry))
    made = registry.get_class(cls.type_id)
    assert made is not None
    assert made is not cls
    assert all(type(v) is made and (v.f0, v.f1) == (k, "v") for k, v in items)
    assert hasattr(made.__ignite_info__.decoder, "__ignite_source__")


def test_unknown_type_asks_for_it() -> None:
    cls = make_class([dt.IntObject])
    body = encode_value(1, ctx=CodecContext()) + (encoded(cls(1)) or b"")
    for decode in (read_pages.decode_pairs, read_pages.decode_pairs_plain):
        with pytest.raises(NeedBinaryType) as info:
            decode(body, 0, 1, CodecContext())
        assert info.value.type_id == cls.type_id


def test_field_names_that_are_not_identifiers() -> None:
    """Names stored by key (not by attribute) keep their order and values."""
    cls = type(make_class([dt.IntObject]))(
        "Odd",
        (),
        {},
        type_name="odd.Odd",
        schema=OrderedDict(
            [("class", dt.IntObject), ("a b", dt.String), ("__dict__", dt.LongObject)]
        ),
    )
    obj = cls(**{"class": 1, "a b": "x", "__dict__": 5})
    data = encoded(obj) or b""
    fast, slow = decode_both(data, cls)
    assert fast == slow
    assert fast[0] == describe(obj)
