"""The generated per-class encoders and decoders agree with the general ones, byte for byte.

Classes whose fields all have an inline form get a straight-line encoder (and every
class a straight-line decoder for its own schema's common layout).  These tests draw
random schemas and values and check that the generated code and the general code give
the same bytes, the same objects and the same errors, including for values and bytes
that make the generated code hand over to the general code.
"""

from __future__ import annotations

import contextlib
import struct
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import F32, F64, I8, I16, I32, I64

from ignite_wire import datatypes as dt
from ignite_wire._protocol import encoder_accel, object_decoder, object_encoder
from ignite_wire._protocol import hashing as h
from ignite_wire._protocol.binary_types import BinaryTypeRegistry, NeedBinaryType
from ignite_wire._protocol.codec import CodecContext, decode_value, encode_value
from ignite_wire.binary import BinaryObjectBase, GenericObjectMeta, fields_of, type_id_of
from ignite_wire.exceptions import EncodeError, ParseError

TEXT = st.text(max_size=40)  # lone surrogates included: they have no UTF-8 form

#: hint -> values of its type (and a few that are not, to exercise the hand-over)
FIELDS: dict[Any, st.SearchStrategy[Any]] = {
    dt.ByteObject: I8 | st.just(1000) | st.just(True),
    dt.ShortObject: I16 | st.just(1 << 20),
    dt.IntObject: I32 | st.just(1 << 40) | st.just(False) | st.just(2.5),
    dt.LongObject: I64 | st.just(1 << 70),
    dt.FloatObject: F32 | st.just(1e300) | st.just(3),
    dt.DoubleObject: F64 | st.just(7),
    dt.BoolObject: st.booleans() | st.just(1),
    dt.UUIDObject: st.uuids(),
    dt.String: TEXT | st.just("x" * 300),
    dt.ByteArrayObject: st.binary(max_size=40) | st.just(bytearray(b"ab")),
    dt.TimestampObject: st.none(),  # no inline form: the whole class takes the general path
    None: st.none() | st.integers(0, 9) | TEXT,
}
INLINE = [hint for hint in FIELDS if hint not in (dt.TimestampObject, None)]

_counter = iter(range(1 << 30))


@pytest.fixture(scope="module", autouse=True)
def generated_pure_encoders() -> Iterator[None]:
    """The generated pure-Python encoders, as IGNITE_WIRE_PURE=1 runs them (the compiled
    one, used when built, is compared with them in test_encode_accel.py)."""
    saved, encoder_accel.accel_writer = encoder_accel.accel_writer, None
    try:
        yield
    finally:
        encoder_accel.accel_writer = saved


def make_class(hints: list[Any], type_name: str | None = None) -> Any:
    n = next(_counter)
    return GenericObjectMeta(
        f"Gen{n}",
        (),
        {},
        type_name=type_name or f"gen.Gen{n}",
        schema=OrderedDict((f"f{i}", hint) for i, hint in enumerate(hints)),
    )


@contextlib.contextmanager
def general_decoder(cls: Any) -> Iterator[None]:
    """Decode ``cls`` objects with the general reader only."""
    info = cls.__ignite_info__
    saved, info.decoder = info.decoder, object_decoder.no_decoder
    try:
        yield
    finally:
        info.decoder = saved


def outcome(fn: Any) -> Any:
    """``fn()``'s result, or its error as (type, message, offset/path)."""
    try:
        return fn()
    except (EncodeError, ParseError) as exc:
        return type(exc), str(exc), getattr(exc, "offset", None), getattr(exc, "path", None)


def encode_both(obj: Any, compact: bool) -> tuple[Any, Any]:
    cls = type(obj)
    ctx = CodecContext(compact_footer=compact)
    ctx.registry.add_type(cls.binary_type)
    general = object_encoder._compile(cls, cls.__ignite_info__, generate=False)

    def slow() -> bytes:
        out = bytearray(b"head")  # the object need not start the buffer
        general(out, obj, ctx)
        return bytes(out[4:])

    return outcome(lambda: encode_value(obj, ctx=ctx)), outcome(slow)


INLINE_HINTS = st.sampled_from(INLINE)
ANY_HINTS = st.sampled_from(list(FIELDS))


@st.composite
def objects(draw: st.DrawFn, hints: st.SearchStrategy[Any] = INLINE_HINTS) -> Any:
    schema = draw(st.lists(hints, min_size=1, max_size=8))
    cls = make_class(schema)
    values = [
        draw(FIELDS[hint] | st.none()) if draw(st.booleans()) else draw(FIELDS[hint])
        for hint in schema
    ]
    return cls(*values)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(objects(), st.booleans())
def test_generated_encoder_writes_the_general_bytes(obj: Any, compact: bool) -> None:
    assert hasattr(object_encoder.object_writer(type(obj)), "__ignite_source__")  # generated
    fast, slow = encode_both(obj, compact)
    assert fast == slow
    if isinstance(fast, bytes):
        total, footer = (
            struct.unpack_from("<ii", fast, 12)[0],
            struct.unpack_from("<i", fast, 20)[0],
        )
        assert total == len(fast)
        assert struct.unpack_from("<i", fast, 8)[0] == h.bytes_hash_reference(fast[24:footer])


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(objects(ANY_HINTS), st.booleans())
def test_classes_without_inline_form(obj: Any, compact: bool) -> None:
    fast, slow = encode_both(obj, compact)
    assert fast == slow


@pytest.mark.parametrize("compact", [True, False])
@pytest.mark.parametrize("size", [0, 200, 300, 70_000])
def test_every_offset_width(size: int, compact: bool) -> None:
    cls = make_class([dt.String, dt.IntObject, dt.String, dt.UUIDObject])
    obj = cls("a" * size, 5, "é" * (size // 2), UUID(int=(1 << 128) - 1))
    fast, slow = encode_both(obj, compact)
    assert fast == slow
    ctx = CodecContext()
    ctx.registry.add_type(cls.binary_type)
    assert decode_value(fast, 0, ctx) == (obj, len(fast))


def test_fixed_layout_classes() -> None:
    for hints in ([dt.IntObject], [dt.LongObject] * 40, [dt.UUIDObject] * 20):
        cls = make_class(hints)
        obj = cls(*([UUID(int=7)] if hints[0] is dt.UUIDObject else [3]) * len(hints))
        for compact in (True, False):
            fast, slow = encode_both(obj, compact)
            assert fast == slow


def test_raw_data_and_missing_attributes_take_the_general_path() -> None:
    cls = make_class([dt.IntObject, dt.String])
    obj = cls(1, "x")
    obj.__ignite_raw__ = b"RAW"
    assert encode_both(obj, True)[0] == encode_both(obj, True)[1]
    obj = cls(1, "x")
    del obj.__dict__["f1"]  # written as null
    fast, slow = encode_both(obj, True)
    assert fast == slow
    assert isinstance(fast, bytes)


def test_encode_errors_keep_their_path() -> None:
    cls = make_class([dt.IntObject, dt.String])
    with pytest.raises(EncodeError) as info:
        encode_value(cls(1 << 40, "x"), ctx=CodecContext())
    assert info.value.path == ".f0"
    with pytest.raises(EncodeError) as info:
        encode_value(cls(1, "\ud800"), ctx=CodecContext())
    assert info.value.path == ".f1"


# -- decoding ---------------------------------------------------------------------------


def describe(value: Any) -> Any:
    """What must be the same: the class's type and name, the fields in order, their
    values (``repr``: a damaged double may be NaN)."""
    if isinstance(value, BinaryObjectBase):
        return type_id_of(value), type(value).__name__, repr(list(value.__dict__.items()))
    return repr(value)


def decode_both(data: bytes, cls: Any, pos: int = 0) -> tuple[Any, Any]:
    def run() -> Any:
        ctx = CodecContext()
        ctx.registry.add_type(cls.binary_type)
        ctx.registry.register_class(cls, cls.type_id)
        try:
            value, end = decode_value(data, pos, ctx)
        except NeedBinaryType as exc:
            return NeedBinaryType, exc.type_id
        return describe(value), end

    fast = outcome(run)
    with general_decoder(cls):
        slow = outcome(run)
    return fast, slow


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(objects(ANY_HINTS), st.booleans())
def test_generated_decoder_reads_what_the_general_reader_reads(obj: Any, compact: bool) -> None:
    data = outcome(lambda: encode_value(obj, ctx=CodecContext(compact_footer=compact)))
    if not isinstance(data, bytes):
        return
    fast, slow = decode_both(b"pre" + data, type(obj), 3)
    assert fast == slow
    assert hasattr(type(obj).__ignite_info__.decoder, "__ignite_source__")  # generated
    ctx = CodecContext()
    ctx.registry.add_type(type(obj).binary_type)
    assert decode_value(data, 0, ctx) == (obj, len(data))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(objects(ANY_HINTS), st.data())
def test_generated_decoder_on_damaged_bytes(obj: Any, data: st.DataObject) -> None:
    good = outcome(lambda: encode_value(obj, ctx=CodecContext()))
    if not isinstance(good, bytes):
        return
    bad = bytearray(good)
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(bad) - 1))
        bad[i] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(bad)))
    fast, slow = decode_both(
        bytes(bad[:cut]) if data.draw(st.booleans()) else bytes(bad), type(obj)
    )
    assert fast == slow


def test_decoder_nulls_other_types_and_two_byte_offsets() -> None:
    cls = make_class([dt.IntObject, dt.String, dt.DoubleObject, None])
    for value in (
        cls(1, "a", 1.5, None),
        cls(None, None, None, [1, "x"]),
        cls(1, "b" * 300, 2.5, {"k": 1}),  # two-byte offsets
    ):
        data = encode_value(value, ctx=CodecContext())
        fast, slow = decode_both(data, cls)
        assert fast == slow
        assert decode_value(data, 0, CodecContext(registered(cls))) == (value, len(data))
    # fields written with other types than the schema's (same type, same field names)
    other = make_class([dt.LongObject, dt.IntObject, dt.String, None], type_name=cls.type_name)
    assert (other.type_id, other.schema_id) == (cls.type_id, cls.schema_id)
    data = encode_value(other(1 << 40, 7, "a", 3), ctx=CodecContext())
    fast, slow = decode_both(data, cls)
    assert fast == slow
    decoded = decode_value(data, 0, CodecContext(registered(cls)))[0]
    assert type(decoded) is cls
    assert fields_of(decoded) == {"f0": 1 << 40, "f1": 7, "f2": "a", "f3": 3}


def registered(cls: Any) -> BinaryTypeRegistry:
    registry = BinaryTypeRegistry()
    registry.add_type(cls.binary_type)
    registry.register_class(cls, cls.type_id)
    return registry


@pytest.mark.parametrize("offset", [0, 23, 24, 28, 29, 33, 200, 255])
@pytest.mark.parametrize("field", [0, 1, 2])
def test_decoder_checks_footer_offsets(field: int, offset: int) -> None:
    cls = make_class([dt.IntObject, dt.String, dt.LongObject])
    data = bytearray(encode_value(cls(1, "abcd", 2), ctx=CodecContext()))
    footer = struct.unpack_from("<i", data, 20)[0]
    data[footer + field] = offset
    fast, slow = decode_both(bytes(data), cls)
    assert fast == slow


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(objects(ANY_HINTS), st.data())
def test_generated_decoder_on_damaged_footers(obj: Any, data: st.DataObject) -> None:
    good = outcome(lambda: encode_value(obj, ctx=CodecContext()))
    if not isinstance(good, bytes):
        return
    bad = bytearray(good)
    footer = struct.unpack_from("<i", bad, 20)[0]
    i = data.draw(st.integers(footer, len(bad) - 1))
    bad[i] = data.draw(st.integers(0, 255))
    fast, slow = decode_both(bytes(bad), type(obj))
    assert fast == slow
