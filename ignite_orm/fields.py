"""Field markers for ``Annotated[...]``: what a field is to Ignite beyond its Python type.

::

    class Person(IgniteModel, cache="people"):
        id: Annotated[int, Key]
        company_id: Annotated[int, Key, AffinityKey]
        name: Annotated[str, Indexed(descending=True)]
        age: Annotated[int, Int32] | None = None
        salary: Annotated[Decimal, Precision(12, 2)] = Decimal("0")

Markers are plain frozen objects; the model reads them once, when the class is defined.
The limits they imply are also pydantic constraints (``Int8`` is -128..127, ``Char`` one
UTF-16 character, ``Precision`` the SQL precision and scale), so an instance that the
server would refuse fails at construction or assignment, not at ``put`` or at commit.
``NotNull`` is checked by the model (:class:`~ignite_orm.IgniteModel`): a union member's
marker cannot see ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

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

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return _precision_schema(self, source, handler)


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

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return _ignite_type_schema(self, source, handler)


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


# -- what pydantic checks: the markers' limits, at construction and at assignment ------------

_INT_RANGES = {"Int8": 8, "Int16": 16, "Int32": 32}
_FLOAT32_MAX = 3.4028234663852886e38


def _int_check(name: str) -> Callable[[Any], Any]:
    bits = _INT_RANGES[name]
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1

    def check(value: Any) -> Any:
        if isinstance(value, int) and not low <= value <= high:
            raise ValueError(f"{name} holds {low}..{high}, not {value}")
        return value

    return check


def _char_check(value: Any) -> Any:
    if isinstance(value, str) and (len(value) != 1 or ord(value) > 0xFFFF):
        raise ValueError(f"Char holds one UTF-16 character (U+0000..U+FFFF), not {value!r}")
    return value


def _float32_check(value: Any) -> Any:
    if isinstance(value, float) and math.isfinite(value) and abs(value) > _FLOAT32_MAX:
        raise ValueError(f"Float32 holds at most {_FLOAT32_MAX:g} in magnitude, not {value!r}")
    return value


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "Int8": _int_check("Int8"),
    "Int16": _int_check("Int16"),
    "Int32": _int_check("Int32"),
    "Char": _char_check,
    "Float32": _float32_check,
}


def _ignite_type_schema(self: _IgniteType, source: Any, handler: GetCoreSchemaHandler) -> Any:
    check = _CHECKS.get(self.name)
    schema = handler(source)
    if check is None:
        return schema
    return core_schema.no_info_after_validator_function(check, schema)


def utf16_length(text: str) -> int:
    """The length Java (and so Ignite's VARCHAR(n) check) gives ``text``."""
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def decimal_problem(value: Decimal, precision: int, scale: int) -> str | None:
    """Why ``value`` does not fit ``DECIMAL(precision, scale)``, or ``None``.

    As SQL reads the type: at most ``scale`` digits after the point and ``precision -
    scale`` before it (``DECIMAL(5, 2)`` holds -999.99..999.99); with no scale, at most
    ``precision`` digits in all.
    """
    if not value.is_finite():
        return f"{value} is not a number DECIMAL can hold"
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    places = max(-exponent, 0)
    whole = max(len(digits) + exponent, 0)
    if scale >= 0:
        if places > scale:
            return (
                f"DECIMAL({precision}, {scale}) keeps {scale} decimal places, {value} has {places}"
            )
        if whole > precision - scale:
            return (
                f"DECIMAL({precision}, {scale}) keeps {precision - scale} digits before the "
                f"point, {value} has {whole}"
            )
    elif max(len(digits), whole + places) > precision:
        return f"DECIMAL({precision}) keeps {precision} digits, {value} has more"
    return None


def _precision_schema(self: Precision, source: Any, handler: GetCoreSchemaHandler) -> Any:
    precision, scale = self.precision, self.scale

    def check(value: Any) -> Any:
        if isinstance(value, Decimal):
            problem = decimal_problem(value, precision, scale)
            if problem is not None:
                raise ValueError(problem)
        elif isinstance(value, str) and utf16_length(value) > precision:
            raise ValueError(f"VARCHAR({precision}) holds {precision} characters, not {len(value)}")
        return value

    return core_schema.no_info_after_validator_function(check, handler(source))
