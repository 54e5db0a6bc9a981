"""Typed index queries: conditions over ``Indexed`` fields -> ``ignite_wire`` criteria.

``repository.index_query(Person.org_id == 7, col(Person.age).between(20, 30))`` reads
through the index on those fields instead of running SQL.  The conditions an index can
answer are the ones translated here: ``==``, ``<``, ``<=``, ``>``, ``>=``, ``between``,
``in_`` and ``is_null`` on one model's columns, combined with ``&`` / ``and_``; anything
else (``or``, ``like``, functions, two columns) raises :class:`QueryError` before any
request.  All the fields must be in one index (the server picks it, or ``index=`` names
it); the order of an index query's result is the index's.

One rule differs from SQL: an index sorts NULL first, so ``<`` and ``<=`` also return
rows whose field is NULL.

Routing: an ``==`` on the model's affinity field fixes the partition, so the query is
sent to that partition's primary node and searches only there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ignite_wire.index_query import Criterion, between, eq, gt, gte, in_, lt, lte

from .mapping import ModelInfo
from .query.expressions import Between, Binary, Column, InList, IsNull, Param, QueryError

__all__ = ["IndexPlan", "plan_index_query"]

_COMPARE = {"=": eq, "<": lt, "<=": lte, ">": gt, ">=": gte}


@dataclass(frozen=True, slots=True)
class IndexPlan:
    """The criteria to send, and the affinity value that fixes the partition (if any)."""

    criteria: tuple[Criterion, ...]
    affinity: tuple[Any, object] | None


def _flatten(condition: Any) -> list[Any]:
    if isinstance(condition, Binary) and condition.op == "AND":
        return _flatten(condition.left) + _flatten(condition.right)
    return [condition]


def plan_index_query(info: ModelInfo[BaseModel], conditions: tuple[Any, ...]) -> IndexPlan:
    """Translate ``conditions`` (ANDed) on ``info``'s model; ``QueryError`` if impossible."""
    criteria: list[Criterion] = []
    affinity: tuple[Any, object] | None = None
    for condition in (c for cond in conditions for c in _flatten(cond)):
        column, crit = _criterion(info, condition)
        criteria.append(crit)
        if (
            column.field.affinity
            and isinstance(condition, Binary)
            and condition.op == "="
            and isinstance(condition.right, Param)
        ):
            affinity = (condition.right.value, column.field.type.hint)
    return IndexPlan(tuple(criteria), affinity)


def _column(info: ModelInfo[BaseModel], expr: Any, where: Any) -> Column[Any]:
    if not isinstance(expr, Column) or expr.model is not info.model:
        raise QueryError(
            f"index_query(): {where!r} must compare a field of {info.model.__name__} with values"
        )
    if expr.field.index is None and not expr.field.key:
        raise QueryError(f"index_query(): {info.model.__name__}.{expr.field.name} is not Indexed")
    return expr


def _value(expr: Any, where: Any) -> Any:
    if not isinstance(expr, Param):
        raise QueryError(f"index_query(): {where!r} must compare a field with a value")
    return expr.value


def _criterion(info: ModelInfo[BaseModel], cond: Any) -> tuple[Column[Any], Criterion]:
    if isinstance(cond, Binary) and cond.op in _COMPARE:
        column = _column(info, cond.left, cond)
        return column, _COMPARE[cond.op](column.field.column, _value(cond.right, cond))
    if isinstance(cond, Between):
        column = _column(info, cond.operand, cond)
        low, high = _value(cond.low, cond), _value(cond.high, cond)
        return column, between(column.field.column, low, high)
    if isinstance(cond, InList) and not cond.negate:
        column = _column(info, cond.operand, cond)
        return column, in_(column.field.column, [_value(i, cond) for i in cond.items])
    if isinstance(cond, IsNull) and not cond.negate:
        column = _column(info, cond.operand, cond)
        return column, eq(column.field.column, None)
    raise QueryError(
        f"index_query(): {cond!r} is not an index condition (use ==, <, <=, >, >=, "
        "between, in_ or is_null on Indexed fields, combined with &)"
    )
