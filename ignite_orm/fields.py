"""Field markers for ``Annotated[...]``: what a field is to Ignite beyond its Python type.

::

    class Person(IgniteModel, cache="people"):
        id: Annotated[int, Key]
        company_id: Annotated[int, Key, AffinityKey]
        name: Annotated[str, Indexed(descending=True)]
        age: Annotated[int, Int32] | None = None
        salary: Annotated[Decimal, Precision(12, 2)] = Decimal("0")

Markers are plain frozen objects; the model reads them once, when the class is defined.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AffinityKey",
    "Alias",
    "Char",
    "Float32",
    "Indexed",
    "Int8",
    "Int16",
    "Int32",
    "Key",
    "NotNull",
    "Precision",
    "QueryGroup",
    "TimestampNs",
    "Version",
]


class _Marker:
    """A marker usable bare (``Key``) in ``Annotated``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return type(self).__name__.lstrip("_")


class _Key(_Marker):
    """Part of the cache key (several ``Key`` fields make a composite key)."""


class _AffinityKey(_Marker):
    """The key field whose value places the entry (collocation with another model)."""


class _NotNull(_Marker):
    """SQL NOT NULL even if the Python type allows ``None``."""


class _Version(_Marker):
    """An int field that sessions bump on each write and compare before replacing."""


#: The field is (part of) the cache key.
Key = _Key()
#: The field is the affinity key: entries with equal values live in the same partition.
AffinityKey = _AffinityKey()
#: The SQL column is NOT NULL.
NotNull = _NotNull()
#: Optimistic concurrency: a session's commit replaces only if this is unchanged.
Version = _Version()


@dataclass(frozen=True, slots=True)
class Indexed:
    """A sorted SQL index on the field (``Indexed`` bare, or with options).

    ``group`` names a composite index shared with other fields, ordered by ``order``.
    """

    descending: bool = False
    inline_size: int = -1
    name: str | None = None
    group: str | None = None
    order: int = 0


@dataclass(frozen=True, slots=True)
class QueryGroup:
    """Options of a composite index named by ``Indexed(group=...)`` (class keyword)."""

    name: str
    inline_size: int = -1


@dataclass(frozen=True, slots=True)
class Precision:
    """SQL precision and scale (DECIMAL(12, 2), VARCHAR(35) with ``Precision(35)``)."""

    precision: int
    scale: int = -1


@dataclass(frozen=True, slots=True)
class Alias:
    """The SQL column name, when it must differ from the field name."""

    name: str


@dataclass(frozen=True, slots=True)
class _IgniteType:
    """Pins the Ignite type where the Python type is ambiguous."""

    name: str

    def __repr__(self) -> str:
        return self.name


#: 8-, 16- and 32-bit integers (Python ints are 64-bit ``long`` otherwise).
Int8 = _IgniteType("Int8")
Int16 = _IgniteType("Int16")
Int32 = _IgniteType("Int32")
#: A 32-bit float (Python floats are ``double`` otherwise).
Float32 = _IgniteType("Float32")
#: A single UTF-16 character (``str`` of length 1).
Char = _IgniteType("Char")
#: A ``datetime`` kept as a Timestamp with nanoseconds (the default for ``datetime``).
TimestampNs = _IgniteType("TimestampNs")

# Bare class use (``Indexed`` without parentheses) is normalized by the model.
