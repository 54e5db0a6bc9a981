"""Hints for Java standard types (String, UUID, dates, Decimal, enums) and their arrays."""

from __future__ import annotations

from typing import ClassVar

from .._protocol.type_codes import TypeCode
from .base import IgniteDataType

__all__ = [
    "BinaryEnumArrayObject",
    "BinaryEnumObject",
    "DateArrayObject",
    "DateObject",
    "DecimalArrayObject",
    "DecimalObject",
    "EnumArrayObject",
    "EnumObject",
    "String",
    "StringArrayObject",
    "TimeArrayObject",
    "TimeObject",
    "TimestampArrayObject",
    "TimestampObject",
    "UUIDArrayObject",
    "UUIDObject",
]


class String(IgniteDataType):
    """``java.lang.String`` (the default for ``str``)."""

    type_code: ClassVar[int | None] = TypeCode.STRING


class UUIDObject(IgniteDataType):
    """``java.util.UUID``."""

    type_code: ClassVar[int | None] = TypeCode.UUID


class DateObject(IgniteDataType):
    """``java.util.Date``: a ``datetime`` (naive = UTC) or ``date``, ms precision."""

    type_code: ClassVar[int | None] = TypeCode.DATE


class TimestampObject(IgniteDataType):
    """``java.sql.Timestamp``: a ``datetime``, or pyignite's ``(datetime, nanos_in_ms)``."""

    type_code: ClassVar[int | None] = TypeCode.TIMESTAMP


class TimeObject(IgniteDataType):
    """``java.sql.Time``: a naive ``time`` or a ``timedelta`` since midnight."""

    type_code: ClassVar[int | None] = TypeCode.TIME


class DecimalObject(IgniteDataType):
    """``java.math.BigDecimal``: a ``Decimal`` (or ``int``), exact."""

    type_code: ClassVar[int | None] = TypeCode.DECIMAL


class EnumObject(IgniteDataType):
    """A Java enum (code 28): ``(type_id, ordinal)`` or a registered enum member."""

    type_code: ClassVar[int | None] = TypeCode.ENUM


class BinaryEnumObject(IgniteDataType):
    """A binary enum (code 38): ``(type_id, ordinal)`` or a registered enum member."""

    type_code: ClassVar[int | None] = TypeCode.BINARY_ENUM


class StringArrayObject(IgniteDataType):
    """``String[]``: a sequence of ``str`` or ``None``."""

    type_code: ClassVar[int | None] = TypeCode.STRING_ARR


class UUIDArrayObject(IgniteDataType):
    """``UUID[]``."""

    type_code: ClassVar[int | None] = TypeCode.UUID_ARR


class DateArrayObject(IgniteDataType):
    """``Date[]``."""

    type_code: ClassVar[int | None] = TypeCode.DATE_ARR


class TimestampArrayObject(IgniteDataType):
    """``Timestamp[]``."""

    type_code: ClassVar[int | None] = TypeCode.TIMESTAMP_ARR


class TimeArrayObject(IgniteDataType):
    """``Time[]``."""

    type_code: ClassVar[int | None] = TypeCode.TIME_ARR


class DecimalArrayObject(IgniteDataType):
    """``BigDecimal[]``."""

    type_code: ClassVar[int | None] = TypeCode.DECIMAL_ARR


class EnumArrayObject(IgniteDataType):
    """An enum array (code 29): enum values, or pyignite's ``(type_id, [values])``."""

    type_code: ClassVar[int | None] = TypeCode.ENUM_ARR


class BinaryEnumArrayObject(EnumArrayObject):
    """pyignite's name for an enum array of binary enums: the same type as
    :class:`EnumArrayObject` here, whose elements are always written as binary enums
    (code 38), the form Java's binary marshaller writes."""
