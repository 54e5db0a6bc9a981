"""Criteria of index queries (``cache.index_query``): Ignite's ``IndexQueryCriteriaBuilder``.

::

    from ignite_wire.index_query import between, eq, in_

    cursor = cache.index_query("Person", [eq("ORG_ID", 7), between("AGE", 20, 30)])

Field names are the index's columns as the server knows them (upper case for fields
declared without quotes).  ``None`` as a bound means SQL NULL, not "no bound".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ._protocol.ops.index_query import Criterion, InCriterion, RangeCriterion

__all__ = [
    "Criterion",
    "InCriterion",
    "RangeCriterion",
    "between",
    "eq",
    "gt",
    "gte",
    "in_",
    "lt",
    "lte",
]


def eq(field: str, value: Any) -> RangeCriterion:
    return RangeCriterion(field, value, value)


def lt(field: str, value: Any) -> RangeCriterion:
    return RangeCriterion(field, upper=value, upper_inclusive=False)


def lte(field: str, value: Any) -> RangeCriterion:
    return RangeCriterion(field, upper=value)


def gt(field: str, value: Any) -> RangeCriterion:
    return RangeCriterion(field, lower=value, lower_inclusive=False)


def gte(field: str, value: Any) -> RangeCriterion:
    return RangeCriterion(field, lower=value)


def between(field: str, lower: Any, upper: Any) -> RangeCriterion:
    """``lower <= field <= upper`` (both inclusive, as in Java)."""
    return RangeCriterion(field, lower, upper)


def in_(field: str, values: Iterable[Any]) -> InCriterion:
    return InCriterion(field, tuple(values))
