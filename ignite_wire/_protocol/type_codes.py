"""Ignite binary type codes, collection/map kinds and complex-object flags.

Source: protocol reference section 3 (``GridBinaryMarshaller`` constants).  Every value
on the wire starts with one of these one-byte codes; the decoder dispatches on it through
a 256-entry table (see :mod:`.readers`).
"""

from __future__ import annotations

from enum import IntEnum

__all__ = [
    "COMPACT_FOOTER",
    "HAS_RAW_DATA",
    "HAS_SCHEMA",
    "OFFSET_ONE_BYTE",
    "OFFSET_TWO_BYTES",
    "USER_TYPE",
    "CollectionKind",
    "MapKind",
    "TypeCode",
]


class TypeCode(IntEnum):
    """The one-byte type code that starts every typed value."""

    BYTE = 1
    SHORT = 2
    INT = 3
    LONG = 4
    FLOAT = 5
    DOUBLE = 6
    CHAR = 7
    BOOL = 8
    STRING = 9
    UUID = 10
    DATE = 11
    BYTE_ARR = 12
    SHORT_ARR = 13
    INT_ARR = 14
    LONG_ARR = 15
    FLOAT_ARR = 16
    DOUBLE_ARR = 17
    CHAR_ARR = 18
    BOOL_ARR = 19
    STRING_ARR = 20
    UUID_ARR = 21
    DATE_ARR = 22
    OBJ_ARR = 23
    COLLECTION = 24
    MAP = 25
    BINARY_OBJ = 27  # wrapped binary: i32 len, bytes, i32 offset of the root object
    ENUM = 28
    ENUM_ARR = 29
    DECIMAL = 30
    DECIMAL_ARR = 31
    TIMESTAMP = 33
    TIMESTAMP_ARR = 34
    TIME = 36
    TIME_ARR = 37
    BINARY_ENUM = 38
    NULL = 101
    HANDLE = 102
    COMPLEX_OBJ = 103


class CollectionKind(IntEnum):
    """The i8 that follows a collection's element count (Java collection class)."""

    USER_SET = -1
    USER_COL = 0
    ARR_LIST = 1
    LINKED_LIST = 2
    HASH_SET = 3
    LINKED_HASH_SET = 4
    SINGLETON_LIST = 5


class MapKind(IntEnum):
    """The i8 that follows a map's entry count (Java map class)."""

    HASH_MAP = 1
    LINKED_HASH_MAP = 2


# Complex-object header flags (i16 at offset 2).
USER_TYPE = 0x01
HAS_SCHEMA = 0x02
HAS_RAW_DATA = 0x04
OFFSET_ONE_BYTE = 0x08
OFFSET_TWO_BYTES = 0x10
COMPACT_FOOTER = 0x20
