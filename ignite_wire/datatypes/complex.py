"""Hints for containers, binary objects, wrapped objects, null and "any"."""

from __future__ import annotations

from typing import Any, ClassVar

from .._protocol.binary_object import BinaryObjectBase
from .._protocol.binary_types import BinaryTypeRegistry
from .._protocol.context import CodecContext
from .._protocol.type_codes import CollectionKind, MapKind, TypeCode
from .._protocol.writers import write_any
from .base import IgniteDataType

__all__ = [
    "AnyDataObject",
    "BinaryObject",
    "CollectionObject",
    "MapObject",
    "Null",
    "ObjectArrayObject",
    "WrappedDataObject",
]


class ObjectArrayObject(IgniteDataType):
    """``Object[]``: a list/tuple/set, or pyignite's ``(component_type_id, items)``."""

    type_code: ClassVar[int | None] = TypeCode.OBJ_ARR
    #: Component type id of ``java.lang.Object``.
    OBJECT: ClassVar[int] = -1


class CollectionObject(IgniteDataType):
    """A Java collection: a list (ARR_LIST), a set (HASH_SET), or ``(kind, items)``."""

    type_code: ClassVar[int | None] = TypeCode.COLLECTION
    USER_SET: ClassVar[int] = CollectionKind.USER_SET
    USER_COL: ClassVar[int] = CollectionKind.USER_COL
    ARR_LIST: ClassVar[int] = CollectionKind.ARR_LIST
    LINKED_LIST: ClassVar[int] = CollectionKind.LINKED_LIST
    HASH_SET: ClassVar[int] = CollectionKind.HASH_SET
    LINKED_HASH_SET: ClassVar[int] = CollectionKind.LINKED_HASH_SET
    SINGLETON_LIST: ClassVar[int] = CollectionKind.SINGLETON_LIST


class MapObject(IgniteDataType):
    """A Java map: a dict (HASH_MAP), an OrderedDict (LINKED_HASH_MAP), or ``(kind, dict)``."""

    type_code: ClassVar[int | None] = TypeCode.MAP
    HASH_MAP: ClassVar[int] = MapKind.HASH_MAP
    LINKED_HASH_MAP: ClassVar[int] = MapKind.LINKED_HASH_MAP


class BinaryObject(IgniteDataType):
    """A complex object (code 103): an instance of a ``GenericObjectMeta`` class."""

    type_code: ClassVar[int | None] = TypeCode.COMPLEX_OBJ

    @classmethod
    def hashcode(cls, value: BinaryObjectBase, client: Any = None) -> int:
        """The Java ``hashCode()`` of the binary object ``value`` (pyignite's method).

        Ignite hashes a binary object's field data, so the number depends on the values
        and the schema only: no server is asked, and ``client`` is accepted for
        pyignite's signature and not needed.
        """
        if not isinstance(value, BinaryObjectBase):
            raise TypeError(f"hashcode() takes a binary object, got {type(value).__name__}")
        out = bytearray()
        write_any(out, value, CodecContext(BinaryTypeRegistry()))
        # Header: type code, version, flags (2), type id (4), then the hash code (4).
        return int.from_bytes(out[8:12], "little", signed=True)

    @classmethod
    async def hashcode_async(cls, value: BinaryObjectBase, client: Any = None) -> int:
        """:meth:`hashcode` for asyncio code (pyignite's name); it does no I/O."""
        return cls.hashcode(value, client)


class WrappedDataObject(IgniteDataType):
    """A wrapped binary object (code 27): a binary object, or ``(bytes, offset)``."""

    type_code: ClassVar[int | None] = TypeCode.BINARY_OBJ


class Null(IgniteDataType):
    """Null (code 101); the only value is ``None``."""

    type_code: ClassVar[int | None] = TypeCode.NULL


class AnyDataObject(IgniteDataType):
    """No particular type: the value's Python type decides (the default rules)."""

    type_code: ClassVar[int | None] = None
