"""Binary type metadata: layout round trip, golden bytes, registry behaviour."""

from __future__ import annotations

import struct
from collections import OrderedDict

from hypothesis import given, settings
from hypothesis import strategies as st

from ignite_wire import datatypes as dt
from ignite_wire._protocol import hashing as h
from ignite_wire._protocol.binary_types import (
    BinaryField,
    BinaryType,
    BinaryTypeRegistry,
    decode_binary_type,
    decode_get_binary_type_response,
    encode_binary_type,
    encode_get_binary_type_request,
)
from ignite_wire.binary import GenericObjectMeta

NAMES = st.text(max_size=12)


@st.composite
def binary_types(draw: st.DrawFn) -> BinaryType:
    fields = tuple(
        BinaryField(n, draw(st.integers(1, 103)), h.field_id(n))
        for n in draw(st.lists(NAMES, max_size=5, unique=True))
    )
    ids = tuple(f.field_id for f in fields)
    is_enum = draw(st.booleans())
    return BinaryType(
        draw(st.integers(-(1 << 31), (1 << 31) - 1)),
        draw(NAMES),
        fields,
        {h.schema_id(ids): ids} if ids else {},
        draw(st.none() | NAMES),
        is_enum,
        tuple((n, i) for i, n in enumerate(draw(st.lists(NAMES, max_size=3)))) if is_enum else (),
    )


@settings(max_examples=200)
@given(binary_types())
def test_layout_roundtrip(bt: BinaryType) -> None:
    data = encode_binary_type(bt)
    assert decode_binary_type(data, 0) == (bt, len(data))
    assert decode_get_binary_type_response(b"\x01" + data, 0) == (bt, len(data) + 1)


def test_golden_layout() -> None:
    bt = BinaryType.from_fields("T", [("a", 3)])
    fid = h.field_id("a")
    expected = (
        struct.pack("<i", h.type_id("T"))
        + b"\x09\x01\x00\x00\x00T"
        + b"\x65"
        + struct.pack("<i", 1)
        + b"\x09\x01\x00\x00\x00a"
        + struct.pack("<ii", 3, fid)
        + b"\x00"
        + struct.pack("<iiii", 1, h.schema_id([fid]), 1, fid)
    )
    assert encode_binary_type(bt) == expected
    assert encode_get_binary_type_request(5) == b"\x05\x00\x00\x00"
    assert decode_get_binary_type_response(b"\x00", 0) == (None, 1)


def test_class_metadata() -> None:
    class K(
        metaclass=GenericObjectMeta,
        type_name="K",
        schema=OrderedDict([("a", dt.IntObject), ("b", dt.String), ("c", dt.MapObject)]),
        affinity_key_field="a",
    ):
        pass

    bt = K.binary_type
    assert [(f.name, f.type_code) for f in bt.fields] == [("a", 3), ("b", 9), ("c", 25)]
    assert bt.affinity_key_field == "a"
    assert bt.schemas == {K.schema_id: tuple(h.field_id(n) for n in "abc")}


def test_registry_merges_versions() -> None:
    reg = BinaryTypeRegistry()
    one = BinaryType.from_fields("T", [("a", 3)])
    two = BinaryType.from_fields("T", [("a", 3), ("b", 9)])
    reg.add_type(one)
    merged = reg.add_type(two)
    assert [f.name for f in merged.fields] == ["a", "b"]
    assert len(merged.schemas) == 2
    for sid in merged.schemas:
        assert reg.is_schema_known(one.type_id, sid)
    reg.mark_unavailable(123)
    assert reg.is_unavailable(123)
