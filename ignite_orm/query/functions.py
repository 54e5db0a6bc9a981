"""Aggregates: ``func.count()``, ``func.sum(col(Order.total))``, ``avg``, ``min``, ``max``.

Their results come back in the Python type the expression promises: Ignite's SQL sums
integers as ``BIGINT`` or ``DECIMAL`` and averages integers as integers (truncating), so
``avg`` averages ``CAST(x AS DOUBLE)`` and ``sum`` of an integer field is an ``int``.  An
aggregate over no rows is ``None`` (``count`` is 0), as in SQL.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from .expressions import Column, Expr, Func, QueryError

__all__ = ["func"]

T = TypeVar("T")
N = TypeVar("N", int, float, Decimal)

_INTEGRAL = {"java.lang.Long", "java.lang.Integer", "java.lang.Short", "java.lang.Byte"}


def _int_or_none(value: Any) -> Any:
    return None if value is None else int(value)


def _float_or_none(value: Any) -> Any:
    return None if value is None else float(value)


def _arg(expr: Any, name: str) -> Expr[Any]:
    if not isinstance(expr, Expr):
        raise QueryError(f"func.{name}() takes a column or expression, got {expr!r}")
    return expr


class _Functions:
    """The aggregate functions (one instance: :data:`func`)."""

    def count(self, expr: Expr[Any] | None = None) -> Expr[int]:
        """``COUNT(*)``, or the number of non-null values of ``expr``."""
        arg = None if expr is None else _arg(expr, "count")
        return Func("COUNT", arg, _int_or_none)

    def sum(self, expr: Expr[N] | Expr[N | None]) -> Expr[N | None]:
        arg = _arg(expr, "sum")
        decode = arg._decoder()
        if isinstance(arg, Column) and arg.field.type.java_type in _INTEGRAL:
            decode = _int_or_none
        return Func("SUM", arg, decode)

    def avg(self, expr: Expr[N] | Expr[N | None]) -> Expr[float | None]:
        return Func("AVG", _arg(expr, "avg"), _float_or_none)

    def min(self, expr: Expr[T]) -> Expr[T | None]:
        arg = _arg(expr, "min")
        return Func("MIN", arg, arg._decoder())

    def max(self, expr: Expr[T]) -> Expr[T | None]:
        arg = _arg(expr, "max")
        return Func("MAX", arg, arg._decoder())


#: ``func.count()``, ``func.sum(...)``, ``func.avg(...)``, ``func.min(...)``, ``func.max(...)``.
func = _Functions()
