"""The compiled object encoder writes the pure encoders' bytes and raises their errors.

``_rows_accel.c``'s ``object_writer`` writes a whole binary object of scalar fields
(header, hash, fields, footer) in one call, for the classes the generated encoder
inlines; on any value it does not take as is it writes nothing and the pure general
encoder runs.  These tests draw random classes (every inlined field type, odd field
names) and random values (in range, out of range, of a neighbouring type or a subclass,
``None``, missing, strings with lone surrogates) and compare, byte for byte and error for
error, the compiled encoder with the pure generated one (what ``IGNITE_WIRE_PURE=1``
runs) and with the general one; and, in a subprocess, with ``IGNITE_WIRE_PURE=1`` itself.
"""

from __future__ import annotations

import enum
import os
import subprocess
import sys
from collections import OrderedDict
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import F32, F64, I8, I16, I32, I64

from ignite_wire import datatypes as dt
from ignite_wire._protocol import encoder_accel, object_encoder
from ignite_wire._protocol.codec import CodecContext, encode_value
from ignite_wire.binary import GenericObjectMeta


class Str(str):
    pass


class Int(int):
    pass


class Color(enum.IntEnum):
    RED = 1


class Uuid(UUID):
    pass


def odd_uuid(value: int) -> UUID:
    """A UUID whose ``int`` is out of its range (set behind UUID's back)."""
    u = UUID(int=0)
    object.__setattr__(u, "int", value)
    return u


TEXT = st.text(max_size=30)  # lone surrogates included: they have no UTF-8 form
WRONG = st.sampled_from([None, True, 1, 2.5, "1", b"1", Int(3), Color.RED, Str("s")])

#: hint -> values of its type, at and beyond its bounds, and of other types
VALUES: dict[Any, st.SearchStrategy[Any]] = {
    dt.ByteObject: I8 | st.sampled_from([128, -129]),
    dt.ShortObject: I16 | st.sampled_from([1 << 15, -(1 << 15) - 1]),
    dt.IntObject: I32 | st.sampled_from([1 << 31, -(1 << 31) - 1, 1 << 80]),
    dt.LongObject: I64 | st.sampled_from([1 << 63, -(1 << 63) - 1, -(1 << 200)]),
    dt.FloatObject: F32 | st.floats() | st.sampled_from([1e300, -1e39, float("nan")]),
    dt.DoubleObject: F64 | st.floats(),
    dt.BoolObject: st.booleans(),
    dt.UUIDObject: st.uuids()
    | st.sampled_from([UUID(int=(1 << 128) - 1), Uuid(int=5), odd_uuid(-1), odd_uuid(1 << 128)]),
    dt.String: TEXT | st.sampled_from(["x" * 300, "é" * 40_000, "\U0001f600", "\udfff"]),
    dt.ByteArrayObject: st.binary(max_size=40) | st.just(bytearray(b"ab")),
}
NAMES = st.sampled_from(["a", "class", "é", "名前", "x y", "None", "_", "A1", "__dict"])

_counter = iter(range(1 << 30))


def make_class(schema: list[tuple[str, Any]]) -> Any:
    n = next(_counter)
    return GenericObjectMeta(f"Acc{n}", (), {}, type_name=f"acc.Acc{n}", schema=OrderedDict(schema))


@st.composite
def objects(draw: st.DrawFn) -> Any:
    hints = draw(st.lists(st.sampled_from(list(VALUES)), min_size=1, max_size=8))
    names = draw(st.lists(NAMES, min_size=len(hints), max_size=len(hints), unique=True))
    cls = make_class(list(zip(names, hints, strict=True)))
    obj = cls()
    for name, hint in zip(names, hints, strict=True):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            del obj.__dict__[name]  # missing: written as null by the general encoder
        else:
            obj.__dict__[name] = draw(WRONG) if kind == 1 else draw(VALUES[hint])
    return obj


def outcome(writer: Any, obj: Any, compact: bool, known: bool) -> Any:
    """The bytes ``writer`` appends after a prefix and the types left to register, or
    the error it raises (type, message, path)."""
    ctx = CodecContext(compact_footer=compact)
    if known:
        ctx.registry.add_type(type(obj).binary_type)
    out = bytearray(b"prefix")
    try:
        writer(out, obj, ctx)
    except Exception as exc:  # every error must be the same, whatever its type
        return type(exc), str(exc), getattr(exc, "path", None)
    return bytes(out), [bt.type_id for bt in ctx.pending], ctx.depth


def pure_writer(cls: Any) -> Any:
    """The encoder IGNITE_WIRE_PURE=1 generates for ``cls`` (no compiled packer)."""
    saved, encoder_accel.accel_writer = encoder_accel.accel_writer, None
    try:
        return object_encoder._compile(cls, cls.__ignite_info__)
    finally:
        encoder_accel.accel_writer = saved


def test_the_compiled_encoder_is_used() -> None:
    """Built wherever the suite runs: a broken build fails here."""
    assert encoder_accel.ENCODE_ACCELERATED
    cls = make_class([("a", dt.IntObject), ("b", dt.String)])
    writer = object_encoder.object_writer(cls)
    assert type(writer).__name__ == "ObjectWriter"
    assert hasattr(pure_writer(cls), "__ignite_source__")  # the generated pure encoder
    # a class with a field the compiled encoder does not write keeps the pure ones
    other = make_class([("a", dt.IntObject), ("t", dt.TimestampObject)])
    assert type(object_encoder.object_writer(other)).__name__ == "function"


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(objects(), st.booleans(), st.booleans())
def test_compiled_bytes_and_errors_are_the_pure_ones(obj: Any, compact: bool, known: bool) -> None:
    cls = type(obj)
    info = cls.__ignite_info__
    compiled = outcome(object_encoder.object_writer(cls), obj, compact, known)
    assert compiled == outcome(pure_writer(cls), obj, compact, known)
    general = object_encoder._compile(cls, info, generate=False)
    assert compiled == outcome(general, obj, compact, known)


@pytest.mark.parametrize("compact", [True, False])
@pytest.mark.parametrize("size", [0, 230, 231, 300, 65_600])
def test_every_offset_width(size: int, compact: bool) -> None:
    cls = make_class([("s", dt.String), ("i", dt.IntObject), ("b", dt.ByteArrayObject)])
    obj = cls("a" * size, 5, b"\xff" * 3)
    expected = outcome(pure_writer(cls), obj, compact, True)
    assert outcome(object_encoder.object_writer(cls), obj, compact, True) == expected


def test_raw_data_takes_the_general_path() -> None:
    cls = make_class([("a", dt.IntObject), ("b", dt.String)])
    obj = cls(1, "x")
    obj.__ignite_raw__ = b"RAW"
    compiled = outcome(object_encoder.object_writer(cls), obj, True, True)
    assert compiled == outcome(pure_writer(cls), obj, True, True)
    data = compiled[0][len(b"prefix") :]
    assert data[2] & 0x04  # HAS_RAW_DATA
    assert b"xRAW" in data  # the raw bytes after the fields


def test_a_bytearray_with_an_export_is_refused_alike() -> None:
    """Growing a bytearray that a memoryview holds fails: with the pure path's error."""
    cls = make_class([("a", dt.IntObject)])
    out = bytearray()
    view = memoryview(out)
    errors = []
    for writer in (object_encoder.object_writer(cls), pure_writer(cls)):
        with pytest.raises(BufferError) as info:
            writer(out, cls(1), CodecContext())
        errors.append(str(info.value))
    view.release()
    assert errors[0] == errors[1]


def test_the_fields_are_read_as_obj_dunder_dict_reads_them() -> None:
    """The compiled writer reads an instance's dict through its pointer only when
    ``obj.__dict__`` would reach the same dict (the class's own descriptor, the generic
    lookup); a class of one's own with ``__getattribute__`` is asked, as before."""
    cls = make_class([("a", dt.IntObject), ("b", dt.String)])
    asked: list[str] = []

    class Watched(cls):  # type: ignore[misc,valid-type]
        def __getattribute__(self, name: str) -> Any:
            asked.append(name)
            return super().__getattribute__(name)

    for kind in (cls, Watched):
        obj = kind(3, "x")
        writer = object_encoder.object_writer(kind)
        assert type(writer).__name__ == "ObjectWriter"
        asked.clear()
        compiled = outcome(writer, obj, True, True)
        assert ("__dict__" in asked) == (kind is Watched)  # the compiled writer's reads
        assert compiled == outcome(pure_writer(kind), obj, True, True)
    # an instance whose dict was replaced: the new dict's fields are written
    obj = cls(1, "old")
    obj.__dict__ = {"a": 2, "b": "new"}
    compiled = outcome(object_encoder.object_writer(cls), obj, True, True)
    assert compiled == outcome(pure_writer(cls), cls(2, "new"), True, True)


#: Run here and under IGNITE_WIRE_PURE=1: random objects of every field type, encoded.
SCRIPT = """
import random, sys
from collections import OrderedDict
from uuid import UUID
from ignite_wire import datatypes as dt
from ignite_wire._protocol import encoder_accel, object_encoder
from ignite_wire._protocol.codec import CodecContext, encode_value
from ignite_wire.binary import GenericObjectMeta

rng = random.Random(12)
GOOD = {
    dt.ByteObject: [0, -128, 127], dt.ShortObject: [-(1 << 15), 300],
    dt.IntObject: [-(1 << 31), (1 << 31) - 1, 7], dt.LongObject: [-(1 << 63), (1 << 63) - 1],
    dt.FloatObject: [0.5, -0.0, float("inf"), 3.4e38], dt.DoubleObject: [1e300, -2.5],
    dt.BoolObject: [True, False], dt.UUIDObject: [UUID(int=0), UUID(int=(1 << 128) - 1)],
    dt.String: ["", "abc", "\\u00e9\\u4e2d", "\\U0001f600", "x" * 300],
    dt.ByteArrayObject: [b"", b"\\x00\\xff", b"q" * 260],
}
HINTS = list(GOOD)
POOL = [None, True, 0, 128, -129, 1 << 15, 1 << 31, -(1 << 31) - 1, 1 << 63, 1 << 64,
        3.5e38, 1e300, "a\\ud800", "s", bytearray(b"z"), UUID(int=1 << 64)]
lines = [str(encoder_accel.ENCODE_ACCELERATED)]
for n in range(400):
    hints = [rng.choice(HINTS) for _ in range(rng.randint(1, 6))]
    cls = GenericObjectMeta(f"Sub{n}", (), {}, type_name=f"sub.Sub{n}",
                            schema=OrderedDict((f"f{i}", h) for i, h in enumerate(hints)))
    obj = cls(*(rng.choice(POOL if rng.random() < 0.1 else GOOD[h]) for h in hints))
    try:
        data = encode_value(obj, ctx=CodecContext(compact_footer=n % 2 == 0))
        lines.append(data.hex())
    except Exception as exc:
        lines.append(f"{type(exc).__name__}: {exc} {getattr(exc, 'path', None)}")
print("\\n".join(lines))
"""


def test_the_same_bytes_as_with_ignite_wire_pure() -> None:
    results = []
    for pure in ("", "1"):
        env = {**os.environ, "IGNITE_WIRE_PURE": pure}
        run = subprocess.run(
            [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120
        )
        assert run.returncode == 0, run.stderr
        results.append(run.stdout.splitlines())
    compiled, pure_lines = results
    assert compiled[0] == "True"
    assert pure_lines[0] == "False"
    assert compiled[1:] == pure_lines[1:]
    assert len(compiled) == 401
    assert any(" .f" in line for line in compiled)  # errors with their path were compared
    assert sum(not line.startswith(("Encode", "Type")) for line in compiled[1:]) > 150


def test_encode_value_round_trip_sample() -> None:
    """A sanity anchor the random tests cannot give: known bytes of a known object."""
    cls = make_class([("id", dt.IntObject), ("name", dt.String)])
    data = encode_value(cls(7, "é"), ctx=CodecContext())
    assert data[:2] == b"\x67\x01"
    assert data[24:] == b"\x03\x07\x00\x00\x00\x09\x02\x00\x00\x00\xc3\xa9\x18\x1d"
