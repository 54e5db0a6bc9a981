"""Related models: a field that refers to another model's key, and its inverse.

::

    class Order(IgniteModel, cache="orders"):
        id: Annotated[int, Key]
        customer_id: Annotated[int, Key, AffinityKey, References(Customer)]

``db.load_references(orders, Customer)`` gives each order's customer (many-to-one) with
one partition-aware ``get_all``; ``db.load_referrers(customers, Order)`` gives each
customer's orders (one-to-many) with one SQL query, ``customer_id IN (...)``, which runs
collocated when the field is the affinity key (every customer's orders on its node).
Never one request per object.  This module is the pure part: finding the relation and
building the statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .expressions import Column, QueryError
from .routing import affinity_column
from .statements import Select, select

__all__ = ["References", "referrers_statement", "relation_field"]


@dataclass(frozen=True, slots=True)
class References:
    """Marks a field as holding the key of ``model`` (a one-field key)."""

    model: type


def relation_field(source: Any, target: Any, via: str | None = None) -> str:
    """The field of ``source`` that refers to ``target`` (``via`` picks one of several)."""
    found = [
        name
        for name, f in source.model_fields.items()
        if any(isinstance(m, References) and m.model is target for m in f.metadata)
    ]
    if via is not None:
        if via not in found:
            raise QueryError(
                f"{source.__name__}.{via} is not declared References({target.__name__})"
            )
        return via
    if len(found) != 1:
        what = "no field" if not found else f"several fields ({', '.join(found)})"
        raise QueryError(
            f"{source.__name__} has {what} marked References({target.__name__})"
            + ("; pass via=..." if found else "")
        )
    if target.__ignite__.composite:
        raise QueryError(f"{target.__name__} has a composite key: References needs a one-field key")
    return str(found[0])


def referrers_statement(source: Any, field: str, keys: Sequence[Any]) -> Select[Any]:
    """``select(source).where(field IN keys)``; collocated when ``field`` is the affinity."""
    column: Column[Any] = getattr(source, field)
    stmt: Select[Any] = select(source).where(column.in_(list(dict.fromkeys(keys))))
    return stmt


def follows_affinity(source: Any, field: str) -> bool:
    """Whether ``source`` rows are placed by ``field`` (so they live with their target)."""
    return affinity_column(source) == field
