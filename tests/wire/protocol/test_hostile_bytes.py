"""Random, truncated and garbled input raises ParseError and nothing else."""

from __future__ import annotations

import contextlib
import struct
from collections import OrderedDict
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import NESTED, typed_values

from ignite_wire import datatypes as dt
from ignite_wire._protocol.binary_types import decode_binary_type, decode_get_binary_type_response
from ignite_wire._protocol.buffer import read_byte_array, read_str, read_uuid
from ignite_wire._protocol.codec import (
    CodecContext,
    NeedBinaryType,
    decode_rows,
    decode_value,
    encode_value,
)
from ignite_wire.binary import GenericObjectMeta
from ignite_wire.exceptions import ParseError


class Item(
    metaclass=GenericObjectMeta,
    type_name="Item",
    schema=OrderedDict([("id", dt.IntObject), ("name", dt.String), ("tags", dt.MapObject)]),
):
    pass


def _ctx() -> CodecContext:
    ctx = CodecContext()
    ctx.registry.add_type(Item.binary_type)
    return ctx


def try_decode(data: bytes | memoryview, pos: int = 0) -> None:
    with contextlib.suppress(ParseError, NeedBinaryType):
        decode_value(data, pos, _ctx())


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(typed_values() | NESTED.map(lambda v: (v, None, v)))
def test_every_strict_prefix_is_a_parse_error(case: tuple[Any, Any, Any]) -> None:
    value, hint, _ = case
    data = encode_value(value, hint, ctx=CodecContext())
    for cut in range(len(data)):
        with pytest.raises(ParseError) as info:
            decode_value(memoryview(data)[:cut], 0, CodecContext())
        assert info.value.offset is not None


def test_object_prefixes() -> None:
    data = encode_value(Item(id=1, name="x", tags={"a": [1, 2]}), ctx=_ctx())
    for cut in range(len(data)):
        with pytest.raises(ParseError):
            decode_value(data[:cut], 0, _ctx())


@settings(max_examples=200)
@given(st.binary(max_size=200))
def test_random_bytes(data: bytes) -> None:
    try_decode(data)


@settings(max_examples=200)
@given(st.data())
def test_mutated_objects(data: st.DataObject) -> None:
    good = bytearray(encode_value(Item(id=1, name="xyz", tags={"a": [1.5, None]}), ctx=_ctx()))
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(good) - 1))
        good[i] = data.draw(st.integers(0, 255))
    try_decode(bytes(good))


@pytest.mark.parametrize(
    "data",
    [
        struct.pack("<bi", 9, 1 << 30),  # string longer than the buffer
        struct.pack("<bi", 9, -1),
        struct.pack("<bi", 12, 0x7FFFFFFF),  # byte array
        struct.pack("<bi", 15, 1 << 28),  # long array
        struct.pack("<bib", 24, 0x7FFFFFFF, 1),  # collection count
        struct.pack("<bib", 25, 0x7FFFFFFF, 1),  # map count
        struct.pack("<bii", 23, -1, 0x7FFFFFFF),  # Object[]
        struct.pack("<bii", 30, 0, 0x7FFFFFFF),  # decimal magnitude
        struct.pack("<bi", 102, 0),  # handle to itself
        struct.pack("<bi", 102, 100),  # handle before the value
        struct.pack("<bi", 102, -5),  # handle forwards
        struct.pack("<bi", 27, 4) + b"\x65\x65\x65\x65" + struct.pack("<i", 9),  # wrapped offset
        bytes([103, 1, 0, 0]) + struct.pack("<iiiii", 1, 1, 10, 0, 0),  # object length < 24
        bytes([103, 1, 2, 0]) + struct.pack("<iiiii", 1, 1, 30, 0, 100) + b"\0" * 6,
        struct.pack("<bqi", 33, 0, 5_000_000),  # nanos out of range
        struct.pack("<bq", 11, 1 << 62),  # date out of Python's range
        bytes([200]),  # unknown type code
        bytes([32]),  # Java class: unsupported
        b"",
    ],
)
def test_specific_hostile_values(data: bytes) -> None:
    with pytest.raises(ParseError):
        decode_value(data, 0, CodecContext())


def test_deep_nesting_is_bounded() -> None:
    depth = 5000
    data = struct.pack("<bib", 24, 1, 1) * depth + b"\x65"
    with pytest.raises(ParseError):
        decode_value(data, 0, CodecContext())


def test_handle_loop_is_bounded() -> None:
    # A collection whose element is a handle to a position inside itself that decodes
    # back to the same handle.
    data = struct.pack("<bib", 24, 2, 1) + struct.pack("<bi", 102, 6) * 2
    try_decode(data)


def test_rows_count_checked_first() -> None:
    with pytest.raises(ParseError):
        decode_rows(b"\x65" * 10, 0, 1 << 20, 5, CodecContext())


def test_helper_readers() -> None:
    for fn in (read_str, read_byte_array, read_uuid):
        with pytest.raises(ParseError):
            fn(b"\x09\xff\xff\xff\x7f", 0)
        with pytest.raises(ParseError):
            fn(b"", 0)
        assert fn(b"\x65", 0) == (None, 1)


@settings(max_examples=200)
@given(st.binary(max_size=120))
def test_metadata_random_bytes(data: bytes) -> None:
    for fn in (decode_binary_type, decode_get_binary_type_response):
        with contextlib.suppress(ParseError):
            fn(data, 0)
