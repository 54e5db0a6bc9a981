"""Hints for Java primitives (boxed, nullable) and their arrays."""

from __future__ import annotations

from typing import ClassVar

from .._protocol.type_codes import TypeCode
from .base import IgniteDataType

__all__ = [
    "BoolArrayObject",
    "BoolObject",
    "ByteArrayObject",
    "ByteObject",
    "CharArrayObject",
    "CharObject",
    "DoubleArrayObject",
    "DoubleObject",
    "FloatArrayObject",
    "FloatObject",
    "IntArrayObject",
    "IntObject",
    "LongArrayObject",
    "LongObject",
    "ShortArrayObject",
    "ShortObject",
]


class ByteObject(IgniteDataType):
    """Java ``byte``: an ``int`` in -128..127."""

    type_code: ClassVar[int | None] = TypeCode.BYTE


class ShortObject(IgniteDataType):
    """Java ``short``: an ``int`` in -32768..32767."""

    type_code: ClassVar[int | None] = TypeCode.SHORT


class IntObject(IgniteDataType):
    """Java ``int``: a 32-bit signed ``int``."""

    type_code: ClassVar[int | None] = TypeCode.INT


class LongObject(IgniteDataType):
    """Java ``long``: a 64-bit signed ``int`` (the default for ``int``)."""

    type_code: ClassVar[int | None] = TypeCode.LONG


class FloatObject(IgniteDataType):
    """Java ``float``: rounded to 32-bit IEEE; out of range is an error."""

    type_code: ClassVar[int | None] = TypeCode.FLOAT


class DoubleObject(IgniteDataType):
    """Java ``double`` (the default for ``float``)."""

    type_code: ClassVar[int | None] = TypeCode.DOUBLE


class CharObject(IgniteDataType):
    """Java ``char``: a one-character BMP ``str`` (or an int code unit)."""

    type_code: ClassVar[int | None] = TypeCode.CHAR


class BoolObject(IgniteDataType):
    """Java ``boolean``."""

    type_code: ClassVar[int | None] = TypeCode.BOOL


class ByteArrayObject(IgniteDataType):
    """``byte[]``: ``bytes``-like, or a sequence of ints in -128..255 (signed or unsigned bytes)."""

    type_code: ClassVar[int | None] = TypeCode.BYTE_ARR


class ShortArrayObject(IgniteDataType):
    """``short[]``: a sequence of ints."""

    type_code: ClassVar[int | None] = TypeCode.SHORT_ARR


class IntArrayObject(IgniteDataType):
    """``int[]``: a sequence of ints."""

    type_code: ClassVar[int | None] = TypeCode.INT_ARR


class LongArrayObject(IgniteDataType):
    """``long[]``: a sequence of ints."""

    type_code: ClassVar[int | None] = TypeCode.LONG_ARR


class FloatArrayObject(IgniteDataType):
    """``float[]``: a sequence of numbers."""

    type_code: ClassVar[int | None] = TypeCode.FLOAT_ARR


class DoubleArrayObject(IgniteDataType):
    """``double[]``: a sequence of numbers."""

    type_code: ClassVar[int | None] = TypeCode.DOUBLE_ARR


class CharArrayObject(IgniteDataType):
    """``char[]``: a ``str`` of BMP characters or a sequence of 1-character strings."""

    type_code: ClassVar[int | None] = TypeCode.CHAR_ARR


class BoolArrayObject(IgniteDataType):
    """``boolean[]``: a sequence of bools."""

    type_code: ClassVar[int | None] = TypeCode.BOOL_ARR
