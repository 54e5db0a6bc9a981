"""The public hint classes: pyignite's names, star-import, type codes."""

from __future__ import annotations

import pytest

import ignite_wire.datatypes as datatypes
from ignite_wire._protocol.type_codes import TypeCode

PYIGNITE_NAMES = [
    "ByteObject",
    "ShortObject",
    "IntObject",
    "LongObject",
    "FloatObject",
    "DoubleObject",
    "CharObject",
    "BoolObject",
    "String",
    "UUIDObject",
    "DateObject",
    "TimestampObject",
    "TimeObject",
    "DecimalObject",
    "EnumObject",
    "BinaryEnumObject",
    "ByteArrayObject",
    "ShortArrayObject",
    "IntArrayObject",
    "LongArrayObject",
    "FloatArrayObject",
    "DoubleArrayObject",
    "CharArrayObject",
    "BoolArrayObject",
    "StringArrayObject",
    "UUIDArrayObject",
    "DateArrayObject",
    "TimestampArrayObject",
    "TimeArrayObject",
    "DecimalArrayObject",
    "EnumArrayObject",
    "ObjectArrayObject",
    "CollectionObject",
    "MapObject",
    "BinaryObject",
    "WrappedDataObject",
    "Null",
]


def test_star_import_gives_every_name() -> None:
    namespace: dict[str, object] = {}
    exec("from ignite_wire.datatypes import *", namespace)
    for name in PYIGNITE_NAMES:
        assert name in namespace, name
    assert sorted(datatypes.__all__) == datatypes.__all__


def test_type_codes() -> None:
    assert datatypes.IntObject.type_code == TypeCode.INT
    assert datatypes.ShortArrayObject.type_code == 13
    assert datatypes.MapObject.type_code == 25
    assert datatypes.MapObject.LINKED_HASH_MAP == 2
    assert datatypes.CollectionObject.USER_SET == -1
    assert datatypes.ObjectArrayObject.OBJECT == -1
    assert datatypes.BinaryObject.type_code == 103
    assert datatypes.AnyDataObject.type_code is None


def test_hints_are_not_instantiated() -> None:
    with pytest.raises(TypeError):
        datatypes.IntObject()
