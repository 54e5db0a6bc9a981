"""The compiled object decoder gives exactly what the pure-Python one gives (issue 12).

``_objects_accel.c`` reads objects laid out the usual way (the expected-layout path of the
generated decoders) and returns ``None`` on anything else, after which the pure paths
decide.  These tests compile each class's decoder twice -- with and without the compiled
call -- and run both on the same bytes: random classes and instances (every scalar type the
path takes, Decimal and Timestamp values included), objects alone and in pages of entries
as a cache answers (wrapped, mixed keys), damaged and truncated bytes, both value modes.
Values must be identical (class, field names and order, field values with their types);
errors the same type, message and offset.
"""

from __future__ import annotations

import contextlib
import os
import struct
import subprocess
import sys
from collections import OrderedDict
from collections.abc import Iterator
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_codec_generated import outcome
from test_read_pages import classes, encoded, instance, pages, registry_of

from ignite_wire import datatypes as dt
from ignite_wire._protocol import object_decoder, read_pages
from ignite_wire._protocol.binary_types import NeedBinaryType
from ignite_wire._protocol.codec import CodecContext, decode_value, encode_value
from ignite_wire._protocol.pyignite_values import PYIGNITE_READERS
from ignite_wire.binary import GenericObjectMeta, type_id_of


def exact(value: Any) -> Any:
    """Everything that must be the same, types included (a UUID's is_safe too)."""
    if hasattr(value, "__ignite_info__"):
        fields = [(k, exact(v)) for k, v in value.__dict__.items()]
        return type_id_of(value), type(value).__name__, fields
    if isinstance(value, list):
        return [exact(v) for v in value]
    safe = value.is_safe if isinstance(value, UUID) else None
    return type(value), repr(value), safe


@contextlib.contextmanager
def decoders(kinds: list[Any], accelerated: bool) -> Iterator[None]:
    """The classes' decoders, compiled with or without the compiled call."""
    saved = [k.__ignite_info__.decoder for k in kinds]
    for k in kinds:
        info = k.__ignite_info__
        info.decoder = object_decoder.compile_decoder(k, info, accelerated=accelerated)
    try:
        yield
    finally:
        for k, decoder in zip(kinds, saved, strict=True):
            k.__ignite_info__.decoder = decoder


def both(run: Any, kinds: list[Any]) -> tuple[Any, Any]:
    results = []
    for accelerated in (True, False):
        with decoders(kinds, accelerated):
            results.append(outcome(run))
    return results[0], results[1]


def decode_object(data: bytes, kinds: list[Any], pos: int = 0, readers: Any = None) -> Any:
    def run() -> Any:
        kw = {} if readers is None else {"readers": readers}
        ctx = CodecContext(registry_of(*kinds), **kw)
        try:
            value, end = decode_value(data, pos, ctx)
        except NeedBinaryType as exc:
            return NeedBinaryType, exc.type_id
        return exact(value), end

    return both(run, kinds)


def decode_page(body: bytes, count: int, kinds: list[Any], readers: Any = None) -> Any:
    def run() -> Any:
        kw = {} if readers is None else {"readers": readers}
        ctx = CodecContext(registry_of(*kinds), **kw)
        try:
            items, end = read_pages.decode_pairs(b"head" + body, 4, count, ctx)
        except NeedBinaryType as exc:
            return NeedBinaryType, exc.type_id
        return [(exact(k), exact(v)) for k, v in items], end

    return both(run, kinds)


def damage(data: bytes, draw: Any) -> bytes:
    bad = bytearray(data)
    for _ in range(draw(st.integers(0, 3))):
        bad[draw(st.integers(0, len(bad) - 1))] = draw(st.integers(0, 255))
    return bytes(bad[: draw(st.integers(0, len(bad)))]) if draw(st.booleans()) else bytes(bad)


def test_the_accelerator_is_built() -> None:
    """The test environment has a C compiler: the compiled path is the one under test."""
    assert object_decoder.ACCELERATED


def test_ignite_wire_pure_forces_the_pure_path() -> None:
    code = "from ignite_wire._protocol import object_decoder as o; print(o.ACCELERATED)"
    for pure, expected in (("1", "False"), ("", "True")):
        env = {**os.environ, "IGNITE_WIRE_PURE": pure}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
        )
        assert out.stdout.strip() == expected, out.stderr


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(classes(), st.data())
def test_objects_decode_alike(cls: Any, data: st.DataObject) -> None:
    good = encoded(instance(data.draw, cls))
    if good is None:
        return
    fast, pure = decode_object(b"pre" + good, [cls], 3)
    assert fast == pure
    assert isinstance(fast, tuple)
    assert fast[1] == len(good) + 3
    fast, pure = decode_object(good, [cls], 0, PYIGNITE_READERS)
    assert fast == pure


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(classes(), st.data())
def test_damaged_objects_fail_or_decode_alike(cls: Any, data: st.DataObject) -> None:
    good = encoded(instance(data.draw, cls))
    if not good:
        return
    bad = damage(good, data.draw)
    fast, pure = decode_object(bad, [cls])
    assert fast == pure


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_pages_decode_alike(page: tuple[bytes, int, list[Any]]) -> None:
    body, count, kinds = page
    fast, pure = decode_page(body, count, kinds)
    assert fast == pure
    assert isinstance(fast, tuple)
    assert fast[1] == len(body) + 4
    fast, pure = decode_page(body, count, kinds, PYIGNITE_READERS)
    assert fast == pure


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(pages(), st.data())
def test_damaged_pages_fail_or_decode_alike(
    page: tuple[bytes, int, list[Any]], data: st.DataObject
) -> None:
    body, count, kinds = page
    if not body:
        return
    fast, pure = decode_page(damage(body, data.draw), count, kinds)
    assert fast == pure


HINTS = [
    dt.ByteObject, dt.ShortObject, dt.IntObject, dt.LongObject, dt.FloatObject,
    dt.DoubleObject, dt.BoolObject, dt.UUIDObject, dt.TimestampObject, dt.String,
    dt.ByteArrayObject, dt.DecimalObject,
]  # fmt: skip
VALUES = [
    -5, -300, 70_000, -(2**40), 1.5, -2.25, True, UUID(int=2**127 + 5),
    datetime(2024, 2, 29, 12, 30, 1, 999_000, tzinfo=timezone.utc), "zß€😀", b"\x00\xff",
    Decimal("-12.50"),
]  # fmt: skip


def test_every_type_by_the_compiled_path() -> None:
    """One object of every type the compiled path reads: the values, and the compiled
    call returns the object itself (not ``None``, which would hide a dead path)."""
    cls = GenericObjectMeta(
        "Every",
        (),
        {},
        type_name="accel.Every",
        schema=OrderedDict((f"f{i}", h) for i, h in enumerate(HINTS)),
    )
    obj = cls(*VALUES)
    data = encode_value(obj, ctx=CodecContext())
    assert object_decoder.accel_object is not None
    flags, _tid, _hash, total, _sid, footer = struct.unpack_from("<hiiiii", data, 2)
    spec = object_decoder.compile_decoder(cls, cls.__ignite_info__).__globals__["_spec"]
    got, end = object_decoder.accel_object(data, 0, flags, total, footer, spec)  # type: ignore[misc]
    assert end == len(data) == total
    assert exact(got) == exact(obj)
    assert got == obj
    fast, pure = decode_object(data, [cls])
    assert fast == pure
    assert fast[0] == exact(obj)


def test_null_fields_by_the_compiled_path() -> None:
    """Nulls (a one-byte field) are read by the compiled call too: rows with a null used
    to drop the whole object to the pure per-field path, about twice the cost."""
    cls = GenericObjectMeta(
        "WithNulls",
        (),
        {},
        type_name="accel.WithNulls",
        schema=OrderedDict((f"f{i}", h) for i, h in enumerate(HINTS)),
    )
    for nulls in ({0}, {len(HINTS) - 1}, set(range(0, len(HINTS), 2)), set(range(len(HINTS)))):
        obj = cls(*(None if i in nulls else v for i, v in enumerate(VALUES)))
        data = encode_value(obj, ctx=CodecContext())
        flags, _tid, _hash, total, _sid, footer = struct.unpack_from("<hiiiii", data, 2)
        spec = object_decoder.compile_decoder(cls, cls.__ignite_info__).__globals__["_spec"]
        got, end = object_decoder.accel_object(data, 0, flags, total, footer, spec)  # type: ignore[misc]
        assert end == len(data) == total
        assert exact(got) == exact(obj)
        fast, pure = decode_object(data, [cls])
        assert fast == pure


def test_names_that_are_not_identifiers() -> None:
    """Fields named like keywords or with odd characters go to the instance dict."""
    names = ["class", "a b", "x-y", "__dict__", "é"]
    cls = GenericObjectMeta(
        "Odd",
        (),
        {},
        type_name="accel.Odd",
        schema=OrderedDict((n, dt.IntObject) for n in names),
    )
    obj = cls()
    for i, n in enumerate(names):
        obj.__dict__[n] = i
    data = encode_value(obj, ctx=CodecContext())
    fast, pure = decode_object(data, [cls])
    assert fast == pure
    assert fast[0][2] == [(n, (int, repr(i), None)) for i, n in enumerate(names)]


def every_class() -> Any:
    return GenericObjectMeta(
        "Every2",
        (),
        {},
        type_name="accel.Every2",
        schema=OrderedDict((f"f{i}", h) for i, h in enumerate(HINTS)),
    )


def test_decode_entries_reads_runs_of_usual_entries() -> None:
    """``decode_entries`` takes long and int keys with plain and wrapped objects, and stops
    at the first entry of another shape (a String key), leaving it to the caller."""
    cls = every_class()
    obj = cls(*VALUES)
    data = encode_value(obj, ctx=CodecContext())
    wrapped = struct.pack("<bi", 27, len(data)) + data + struct.pack("<i", 0)
    body = (
        encode_value(7, dt.LongObject, ctx=CodecContext())
        + wrapped
        + encode_value(-3, dt.IntObject, ctx=CodecContext())
        + data
    )
    odd = encode_value("k", ctx=CodecContext()) + data
    decode = object_decoder.compile_decoder(cls, cls.__ignite_info__)
    specs = {
        cls.type_id: (cls.__ignite_info__.schema_id, getattr(decode, object_decoder.ACCEL_SPEC))
    }
    assert object_decoder.accel_entries is not None
    items: list[Any] = []
    end = object_decoder.accel_entries(body + odd + body, 0, 10, specs, items)
    assert end == len(body)
    assert [(k, exact(v)) for k, v in items] == [(7, exact(obj)), (-3, exact(obj))]
    items = []
    assert object_decoder.accel_entries(body, 0, 1, specs, items) == len(body) - 5 - len(data)
    assert len(items) == 1
    # another schema id: not taken
    other = {cls.type_id: (cls.__ignite_info__.schema_id + 1, specs[cls.type_id][1])}
    assert object_decoder.accel_entries(body, 0, 10, other, []) == 0


@settings(max_examples=200)
@given(st.data())
def test_decode_entries_on_hostile_bytes(data: st.DataObject) -> None:
    """Random damage to a page of usual entries: no crash, only whole entries appended,
    and whatever it returns is what the pure decoder reads (via read_pages above)."""
    cls = every_class()
    obj = cls(*VALUES)
    one = encode_value(5, dt.LongObject, ctx=CodecContext()) + encode_value(obj, ctx=CodecContext())
    bad = bytearray(one * 3)
    for _ in range(data.draw(st.integers(1, 4))):
        bad[data.draw(st.integers(0, len(bad) - 1))] = data.draw(st.integers(0, 255))
    cut = bytes(bad[: data.draw(st.integers(0, len(bad)))])
    decode = object_decoder.compile_decoder(cls, cls.__ignite_info__)
    specs = {
        cls.type_id: (cls.__ignite_info__.schema_id, getattr(decode, object_decoder.ACCEL_SPEC))
    }
    items: list[Any] = []
    assert object_decoder.accel_entries is not None
    end = object_decoder.accel_entries(cut, 0, 3, specs, items)
    assert 0 <= end <= len(cut)
    assert len(items) <= 3
    assert end == 0 or len(items) > 0
    fast, pure = decode_page(cut, 3, [cls])
    assert fast == pure
