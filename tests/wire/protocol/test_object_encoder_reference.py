"""The object encoder's bytes against a reference written straight from the format.

The generated encoders take shortcuts (a ``struct`` packer cached per string length, a
footer cached per length, a table of String prefixes, a constant footer for fixed-size
classes, a hash code evaluated by ``int(digits, 31)``).  :func:`reference` below takes
none: it writes each field with its own ``struct`` call, the footer offset by offset,
and folds the hash code byte by byte, as the protocol reference (section 3) describes a
compact-footer or full-footer binary object.  Every drawn object must encode to the same
bytes both ways, including lengths past the caches' and the prefix table's limits.
"""

from __future__ import annotations

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
from ignite_wire._protocol import encoder_accel, generated_encoder, object_encoder
from ignite_wire._protocol.codec import CodecContext, encode_value
from ignite_wire._protocol.hashing import bytes_hash_reference
from ignite_wire.binary import GenericObjectMeta

#: hint -> (type code, how its payload is written, values)
SHAPES: dict[Any, tuple[int, Any, st.SearchStrategy[Any]]] = {
    dt.ByteObject: (1, lambda v: struct.pack("<b", v), I8),
    dt.ShortObject: (2, lambda v: struct.pack("<h", v), I16),
    dt.IntObject: (3, lambda v: struct.pack("<i", v), I32),
    dt.LongObject: (4, lambda v: struct.pack("<q", v), I64),
    dt.FloatObject: (5, lambda v: struct.pack("<f", v), F32),
    dt.DoubleObject: (6, lambda v: struct.pack("<d", v), F64),
    dt.BoolObject: (8, lambda v: bytes([v]), st.booleans()),
    dt.String: (
        9,
        lambda v: struct.pack("<i", len(v.encode())) + v.encode(),
        st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
        | st.integers(0, 1500).map(lambda n: "é" * (n // 2) + "x" * (n % 2)),
    ),
    dt.UUIDObject: (10, lambda v: _uuid(v), st.uuids()),
    dt.ByteArrayObject: (
        12,
        lambda v: struct.pack("<i", len(v)) + v,
        st.binary(max_size=40) | st.integers(0, 1500).map(bytes),
    ),
}


def _uuid(v: UUID) -> bytes:
    """msb then lsb, each a little-endian long (Java's ``UUID`` halves)."""
    return (v.int >> 64).to_bytes(8, "little") + (v.int & ((1 << 64) - 1)).to_bytes(8, "little")


def reference(obj: Any, compact: bool) -> bytes:
    """``obj`` (every field non-null) as a binary object, written the plain way."""
    cls = type(obj)
    info = cls.__ignite_info__
    fields = bytearray()
    offsets = []
    for name, hint in zip(info.names, info.hints, strict=True):
        code, payload, _ = SHAPES[hint]
        offsets.append(24 + len(fields))
        fields.append(code)
        fields += payload(getattr(obj, name))
    last = offsets[-1]
    width, width_flag = (1, 0x08) if last < 0x100 else (2, 0x10) if last < 0x10000 else (4, 0)
    fmt = {1: "<B", 2: "<H", 4: "<i"}[width]
    footer = bytearray()
    for fid, offset in zip(info.field_ids, offsets, strict=True):
        if not compact:
            footer += struct.pack("<i", fid)
        footer += struct.pack(fmt, offset)
    flags = 0x01 | 0x02 | width_flag | (0x20 if compact else 0)  # user type, has schema
    end = 24 + len(fields)
    header = struct.pack(
        "<bbhiiiii",
        103,
        1,
        flags,
        info.type_id,
        bytes_hash_reference(fields),
        end + len(footer),
        info.schema_id,
        end,
    )
    return header + bytes(fields) + bytes(footer)


_names = iter(range(1 << 30))


@pytest.fixture(scope="module", autouse=True, params=["compiled", "pure"])
def encoders(request: pytest.FixtureRequest) -> Iterator[str]:
    """Every test runs with the compiled encoder (when built) and with the generated
    pure-Python one (what IGNITE_WIRE_PURE=1 runs): both must write the reference."""
    saved = encoder_accel.accel_writer
    if request.param == "pure":
        encoder_accel.accel_writer = None
    try:
        yield request.param
    finally:
        encoder_accel.accel_writer = saved


def make_class(hints: list[Any]) -> Any:
    n = next(_names)
    return GenericObjectMeta(
        f"Ref{n}",
        (),
        {},
        type_name=f"ref.Ref{n}",
        schema=OrderedDict((f"f{i}", h) for i, h in enumerate(hints)),
    )


def encode(obj: Any, compact: bool) -> bytes:
    ctx = CodecContext(compact_footer=compact)
    ctx.registry.add_type(type(obj).binary_type)
    return encode_value(obj, ctx=ctx)


@st.composite
def objects(draw: st.DrawFn) -> Any:
    hints = draw(st.lists(st.sampled_from(list(SHAPES)), min_size=1, max_size=8))
    cls = make_class(hints)
    return cls(*(draw(SHAPES[h][2]) for h in hints))


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(objects(), st.booleans())
def test_encoder_writes_the_reference_bytes(obj: Any, compact: bool) -> None:
    assert encode(obj, compact) == reference(obj, compact)


def test_one_string_class_past_its_caches(encoders: str) -> None:
    """More distinct lengths than the per-class caches hold: the uncached path (and the
    cached one) still write the reference bytes."""
    cls = make_class([dt.IntObject, dt.String, dt.LongObject])
    generated = hasattr(object_encoder.object_writer(cls), "__ignite_source__")
    assert generated == (encoders == "pure" or not encoder_accel.ENCODE_ACCELERATED)
    limit = generated_encoder._CACHE_LIMIT
    for n in [*range(limit + 50), 70_000, 3, 300]:
        obj = cls(n, "s" * n, -n)
        for compact in (True, False):
            assert encode(obj, compact) == reference(obj, compact), n


def test_strings_after_strings_past_the_prefix_table() -> None:
    cls = make_class([dt.String, dt.String, dt.ByteArrayObject, dt.String])
    limit = generated_encoder._PREFIX_LIMIT
    for n in (0, 1, limit - 1, limit, limit + 1, 5000):
        obj = cls("a" * n, "b" * n, b"c" * n, "d" * (n // 3))
        for compact in (True, False):
            assert encode(obj, compact) == reference(obj, compact), n


def test_fixed_size_classes_of_every_offset_width() -> None:
    for hints in ([dt.IntObject], [dt.LongObject] * 40, [dt.UUIDObject] * 4000):
        cls = make_class(hints)
        values = [UUID(int=9) if h is dt.UUIDObject else 7 for h in hints]
        obj = cls(*values)
        for compact in (True, False):
            assert encode(obj, compact) == reference(obj, compact)


def test_a_missing_field_of_a_wide_class_is_written_as_null() -> None:
    """Classes of more than six fields read their fields with one ``itemgetter`` call; a
    field missing from the instance still sends the object to the general encoder."""
    cls = make_class([dt.IntObject] * 9)
    obj = cls(*range(9))
    assert encode(obj, True) == reference(obj, True)
    del obj.__dict__["f4"]
    general = object_encoder._compile(cls, cls.__ignite_info__, generate=False)
    ctx = CodecContext()
    ctx.registry.add_type(cls.binary_type)
    expected = bytearray()
    general(expected, obj, ctx)
    assert encode(obj, True) == bytes(expected)
    assert expected[24 + 4 * 5] == 101  # the null type code where f4 was
