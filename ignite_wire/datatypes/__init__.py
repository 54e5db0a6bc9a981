"""Type hints compatible with pyignite's ``pyignite.datatypes``.

``from ignite_wire.datatypes import *`` gives every hint class.  A hint forces the Ignite
type of a value: ``cache.put(k, 42, value_hint=ShortObject)``, ``(42, ShortObject)``
inside a structure, or a field type in a ``GenericObjectMeta`` schema.  The Python ->
Ignite rules without hints are in :mod:`ignite_wire._protocol.codec`.
"""

from __future__ import annotations

from .base import IgniteDataType
from .complex import (
    AnyDataObject,
    BinaryObject,
    CollectionObject,
    MapObject,
    Null,
    ObjectArrayObject,
    WrappedDataObject,
)
from .expiry_policy import ExpiryPolicy
from .primitives import (
    BoolArrayObject,
    BoolObject,
    ByteArrayObject,
    ByteObject,
    CharArrayObject,
    CharObject,
    DoubleArrayObject,
    DoubleObject,
    FloatArrayObject,
    FloatObject,
    IntArrayObject,
    IntObject,
    LongArrayObject,
    LongObject,
    ShortArrayObject,
    ShortObject,
)
from .standard import (
    BinaryEnumArrayObject,
    BinaryEnumObject,
    DateArrayObject,
    DateObject,
    DecimalArrayObject,
    DecimalObject,
    EnumArrayObject,
    EnumObject,
    String,
    StringArrayObject,
    TimeArrayObject,
    TimeObject,
    TimestampArrayObject,
    TimestampObject,
    UUIDArrayObject,
    UUIDObject,
)
from .transactions import TransactionConcurrency, TransactionIsolation

__all__ = [
    "AnyDataObject",
    "BinaryEnumArrayObject",
    "BinaryEnumObject",
    "BinaryObject",
    "BoolArrayObject",
    "BoolObject",
    "ByteArrayObject",
    "ByteObject",
    "CharArrayObject",
    "CharObject",
    "CollectionObject",
    "DateArrayObject",
    "DateObject",
    "DecimalArrayObject",
    "DecimalObject",
    "DoubleArrayObject",
    "DoubleObject",
    "EnumArrayObject",
    "EnumObject",
    "ExpiryPolicy",
    "FloatArrayObject",
    "FloatObject",
    "IgniteDataType",
    "IntArrayObject",
    "IntObject",
    "LongArrayObject",
    "LongObject",
    "MapObject",
    "Null",
    "ObjectArrayObject",
    "ShortArrayObject",
    "ShortObject",
    "String",
    "StringArrayObject",
    "TimeArrayObject",
    "TimeObject",
    "TimestampArrayObject",
    "TimestampObject",
    "TransactionConcurrency",
    "TransactionIsolation",
    "UUIDArrayObject",
    "UUIDObject",
    "WrappedDataObject",
]
