"""Small value classes for Ignite values that have no exact Python builtin.

* :class:`BinaryEnumValue` -- an enum value (codes 28 and 38) whose Python enum class is
  not registered: ``(type_id, ordinal)``.  It is a ``NamedTuple``, so code written for
  pyignite's ``(type_id, ordinal)`` tuples keeps working; it encodes as code 38.
* :class:`NanoDatetime` -- a ``datetime`` that also carries the sub-microsecond part of a
  Java ``Timestamp`` (``extra_nanos``, 0..999).  The decoder returns one only when that
  part is non-zero; it compares and hashes like the plain ``datetime`` it extends, and
  encodes back to the exact nanoseconds.
* :class:`WrappedBinary` -- the raw bytes of a wrapped binary object (code 27) when a
  caller asks to keep it undecoded (the ``WrappedDataObject`` hint's payload).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import NamedTuple

__all__ = ["BinaryEnumValue", "NanoDatetime", "WrappedBinary"]


class BinaryEnumValue(NamedTuple):
    """An enum value of a type the client has no Python enum for."""

    type_id: int
    ordinal: int


class WrappedBinary(NamedTuple):
    """The payload of a wrapped binary object: the bytes and the root object's offset."""

    data: bytes
    offset: int


class NanoDatetime(datetime):
    """A ``datetime`` with the nanoseconds below its microsecond (``extra_nanos``).

    Create with :meth:`from_datetime`.  Arithmetic returns plain ``datetime`` objects (the
    extra nanoseconds are dropped), like any ``datetime`` subclass.
    """

    extra_nanos: int

    @classmethod
    def from_datetime(cls, value: datetime, extra_nanos: int) -> NanoDatetime:
        """Return ``value`` plus ``extra_nanos`` (0..999) nanoseconds."""
        if not 0 <= extra_nanos <= 999:
            raise ValueError("extra_nanos must be within 0..999")
        tz: tzinfo | None = value.tzinfo
        obj = cls(
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            tz,
            fold=value.fold,
        )
        obj.extra_nanos = extra_nanos
        return obj

    @property
    def nanosecond(self) -> int:
        """Nanoseconds within the second (0..999 999 999)."""
        return self.microsecond * 1000 + self.extra_nanos

    def to_datetime(self) -> datetime:
        """The plain ``datetime`` (extra nanoseconds dropped)."""
        return datetime(
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            self.microsecond,
            self.tzinfo,
            fold=self.fold,
        )

    def __repr__(self) -> str:
        return f"NanoDatetime.from_datetime({self.to_datetime()!r}, {self.extra_nanos})"

    def __reduce_ex__(self, protocol: object) -> tuple[object, ...]:
        return (NanoDatetime.from_datetime, (self.to_datetime(), self.extra_nanos))
