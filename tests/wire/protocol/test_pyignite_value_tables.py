"""The pyignite value mode's codec tables (ignite_wire/_protocol/pyignite_values.py).

Property tests: pyignite's forms round-trip through the mode's tables; the mode writes
the same bytes as the default codec for the same Ignite value (only the Python side
differs), so the two modes read each other's entries.  (No server: plain bytes.)
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import I64, NAIVE, TEXT

from ignite_wire._protocol.codec import CodecContext, decode_value, encode_value
from ignite_wire._protocol.pyignite_values import PYIGNITE_READERS, PYIGNITE_WRITERS
from ignite_wire._protocol.type_codes import TypeCode
from ignite_wire.datatypes import (
    BinaryEnumArrayObject,
    CollectionObject,
    MapObject,
    ObjectArrayObject,
    TimestampArrayObject,
    TimestampObject,
)
from ignite_wire.exceptions import EncodeError


def _py() -> CodecContext:
    return CodecContext(readers=PYIGNITE_READERS, writers=PYIGNITE_WRITERS)


def _roundtrip(value: Any, hint: Any = None) -> tuple[int, Any]:
    data = encode_value(value, hint, ctx=_py())
    return data[0], decode_value(data, 0, _py())[0]


MS_NAIVE = NAIVE.map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000))
NANOS = st.integers(0, 999_999)
SCALARS = st.one_of(I64, TEXT, st.booleans(), st.floats(allow_nan=False))
KINDS = st.sampled_from([CollectionObject.ARR_LIST, CollectionObject.LINKED_LIST])
MAP_KINDS = st.sampled_from([MapObject.HASH_MAP, MapObject.LINKED_HASH_MAP])


@given(MS_NAIVE)
def test_a_datetime_is_a_date_and_reads_back_naive(value: datetime) -> None:
    assert _roundtrip(value) == (TypeCode.DATE, value)


@given(NAIVE)
def test_a_datetime_keeps_its_milliseconds_as_pyignite_writes_it(value: datetime) -> None:
    assert _roundtrip(value)[1] == value.replace(microsecond=value.microsecond // 1000 * 1000)


@given(MS_NAIVE, NANOS)
def test_timestamps_are_datetime_nanos_pairs(value: datetime, nanos: int) -> None:
    assert _roundtrip((value, nanos), TimestampObject) == (TypeCode.TIMESTAMP, (value, nanos))
    pairs = [(value, nanos), None]
    assert _roundtrip(pairs, TimestampArrayObject) == (TypeCode.TIMESTAMP_ARR, pairs)


@given(st.integers(-(10**12), 10**12))
def test_time_is_a_timedelta(ms: int) -> None:
    value = timedelta(milliseconds=ms)
    assert _roundtrip(value) == (TypeCode.TIME, value)


@given(KINDS, st.lists(SCALARS, max_size=8))
def test_collections_are_kind_items_pairs(kind: int, items: list[Any]) -> None:
    assert _roundtrip((kind, items)) == (TypeCode.COLLECTION, (kind, items))
    assert _roundtrip((int(kind), items)) == (TypeCode.COLLECTION, (kind, items))


@given(MAP_KINDS, st.dictionaries(TEXT, SCALARS, max_size=8))
def test_maps_are_kind_dict_pairs(kind: int, entries: dict[str, Any]) -> None:
    payload = OrderedDict(entries) if kind == MapObject.LINKED_HASH_MAP else entries
    code, read = _roundtrip((kind, payload))
    assert (code, read) == (TypeCode.MAP, (kind, payload))
    assert type(read[1]) is type(payload)


@given(st.lists(SCALARS, max_size=8), st.lists(st.tuples(st.integers(), st.integers(0, 9))))
def test_object_and_enum_arrays_keep_their_component_type(
    items: list[Any], enums: list[tuple[int, int]]
) -> None:
    enums = [(t & 0x7FFFFFFF, o) for t, o in enums]
    assert _roundtrip((-1, items), ObjectArrayObject) == (TypeCode.OBJ_ARR, (-1, items))
    assert _roundtrip((-1, enums), BinaryEnumArrayObject) == (TypeCode.ENUM_ARR, (-1, enums))


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ([1, 2], TypeCode.LONG_ARR),
        ((1, 2), TypeCode.LONG_ARR),
        ([1.5], TypeCode.DOUBLE_ARR),
        (["a", None], TypeCode.STRING_ARR),
        ([True, False], TypeCode.BOOL_ARR),
        ([datetime(2000, 1, 1)], TypeCode.DATE_ARR),
        ([timedelta(1)], TypeCode.TIME_ARR),
        ({3}, TypeCode.LONG_ARR),
        ([1, "a"], TypeCode.COLLECTION),  # pyignite: the Collection of kind 1 ['a']
        ([], TypeCode.COLLECTION),  # pyignite: TypeError
        ([[1], [2]], TypeCode.COLLECTION),  # pyignite: TypeError
    ],
)
def test_unhinted_sequences_follow_pyignite_inference(value: Any, code: int) -> None:
    assert encode_value(value, ctx=_py())[0] == code


def test_a_tuple_of_no_form_is_refused() -> None:
    with pytest.raises(EncodeError, match="tuple"):
        encode_value((1, "a", 2.5), ctx=_py())


@given(KINDS, st.lists(SCALARS, max_size=8))
def test_the_modes_write_the_same_bytes_and_read_each_other(kind: int, items: list[Any]) -> None:
    plain = CodecContext()
    data = encode_value((kind, items), CollectionObject, ctx=plain)
    assert encode_value((kind, items), CollectionObject, ctx=_py()) == data
    assert decode_value(data, 0, _py())[0] == (kind, items)
    assert decode_value(data, 0, CodecContext())[0] == items


def test_the_default_reads_a_date_the_mode_wrote_as_an_aware_datetime() -> None:
    data = encode_value(datetime(2020, 5, 6, 7, 8, 9), ctx=_py())
    read = decode_value(data, 0, CodecContext())[0]
    assert read == datetime(2020, 5, 6, 7, 8, 9, tzinfo=timezone.utc)
