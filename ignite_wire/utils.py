"""The id helpers of pyignite's ``pyignite.utils`` that user code calls.

Ignite names caches, binary types, fields and schemas by 32-bit ids derived from their
names; code that reads metadata or builds requests by hand needs the same numbers
(pyignite's tests compare ``entity_id(type_name)`` with an object's ``type_id``).  Each
helper takes a name, or an id, which it returns unchanged, as pyignite's do.  Names are
lower-cased the way Java does (``Character.toLowerCase`` per UTF-16 unit), so non-ASCII
names get the ids the server computes.
"""

from __future__ import annotations

import ctypes
from collections.abc import Mapping
from typing import Any

from ._protocol import hashing

__all__ = ["cache_id", "entity_id", "hashcode", "schema_id", "unsigned"]


def hashcode(data: str | bytes | bytearray | memoryview) -> int:
    """Java's ``hashCode()`` of a string, or of a byte array (``Arrays.hashCode``)."""
    if isinstance(data, str):
        return hashing.string_hash(data)
    if isinstance(data, (bytes, bytearray, memoryview)):
        return hashing.bytes_hash(data)
    raise TypeError(f"hashcode() takes str or bytes, got {type(data).__name__}")


def cache_id(cache: str | int) -> int:
    """The id of a cache: the Java hash of its name (case kept); an int is returned as is."""
    return cache if isinstance(cache, int) else hashing.cache_id(cache)


def entity_id(entity: str | int) -> int:
    """The id of a binary type or field: the Java hash of its lower-cased name."""
    return entity if isinstance(entity, int) else hashing.type_id(entity)


def schema_id(schema: int | Mapping[str, Any]) -> int:
    """The id of a schema given its fields (a mapping, in write order), or an id."""
    if isinstance(schema, int):
        return schema
    return hashing.schema_id(hashing.field_id(name) for name in schema)


def unsigned(value: int, c_type: type[Any] = ctypes.c_uint) -> int:
    """``value`` read as the unsigned C type ``c_type`` (two's complement wrap-around)."""
    return int(c_type(value).value)
