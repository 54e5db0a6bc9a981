"""Where a query runs: key lookups instead of SQL, and whether joins are collocated.

Pure decisions over statements (no I/O):

* :func:`key_lookup`: ``select(Order).where(Order.id == 5)`` (equality on the whole key,
  or ``col(Order.id).in_([...])`` for a one-field key) needs no SQL at all: it is a
  partition-aware ``get``/``get_all`` to the node owning the key.
* :func:`join_plan`: Ignite joins partitioned tables correctly only when the joined
  rows live on the same node, that is when the join condition equates the *affinity*
  columns of both sides (a one-field key is its own affinity column; a composite key
  names one with ``AffinityKey``), or one side is ``REPLICATED``.  Such a join (and a
  ``GROUP BY`` on the affinity column) sets Ignite's ``collocated`` flag; any other join
  silently misses rows without ``distributed_joins``, so it is refused unless asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ignite_wire.datatypes.cache_config import CacheMode

from .expressions import Binary, Column, Expr, InList, Param

if TYPE_CHECKING:
    from .statements import Join, Select

__all__ = ["affinity_column", "join_plan", "key_lookup"]


def affinity_column(model: Any) -> str | None:
    """The field whose value places ``model``'s rows (None: the whole composite key)."""
    info = model.__ignite__
    if info.affinity_field is not None:
        return str(info.affinity_field)
    if not info.composite:
        return str(info.key_fields[0].name)
    return None


def _replicated(model: Any) -> bool:
    return bool(model.__ignite__.settings.mode == CacheMode.REPLICATED)


def _equalities(condition: Expr[Any] | None) -> list[tuple[Expr[Any], Expr[Any]]]:
    """The ``a = b`` terms of an AND chain."""
    if condition is None:
        return []
    if isinstance(condition, Binary):
        if condition.op == "AND":
            return _equalities(condition.left) + _equalities(condition.right)
        if condition.op == "=":
            return [(condition.left, condition.right)]
    return []


def _on_affinity(a: Expr[Any], b: Expr[Any]) -> bool:
    return (
        isinstance(a, Column)
        and isinstance(b, Column)
        and a.model is not b.model
        and affinity_column(a.model) == a.field.name
        and affinity_column(b.model) == b.field.name
    )


def join_plan(
    base: Any, joins: Sequence[Join], group: Sequence[Expr[Any]]
) -> tuple[bool, str | None]:
    """``(collocated, why_not)``: the collocated flag, and why the joins need
    distributed joins (None when they do not)."""
    joined = {base}
    collocated_joins = True
    for j in joins:
        pairs = _equalities(j.on)
        linked = any(
            _on_affinity(a, b) and {a.model, b.model} <= joined | {j.model}  # type: ignore[attr-defined]
            for a, b in pairs
        )
        if not linked:
            collocated_joins = False
            if not (_replicated(j.model) or all(_replicated(m) for m in joined)):
                return False, (
                    f"the join of {j.model.__name__} is not collocated: its condition does "
                    f"not equate the affinity columns of {j.model.__name__} "
                    f"({affinity_column(j.model) or 'its composite key'}) and of a joined "
                    "model, so matching rows may live on other nodes and Ignite would "
                    "silently miss them. Join on the affinity key (AffinityKey), make one "
                    "cache REPLICATED, or pass options(distributed_joins=True)"
                )
        joined.add(j.model)
    if joins:
        return collocated_joins, None
    affinity = affinity_column(base)
    grouped = any(isinstance(g, Column) and g.field.name == affinity for g in group)
    return grouped, None


def key_lookup(stmt: Select[Any]) -> list[dict[str, Any]] | None:
    """Key-field values to fetch by key, when ``stmt`` is a key lookup; else None.

    A ``limit`` is allowed (``one()`` and ``first()`` add one): the caller applies it.
    """
    if (
        len(stmt.entities) != 1
        or not isinstance(stmt.entities[0], type)
        or stmt.joins
        or stmt.group
        or stmt.having_ is not None
        or stmt.order
        or stmt.offset_ is not None
        or stmt.options_.partitions is not None
        or stmt.where_ is None
    ):
        return None
    model: Any = stmt.entities[0]
    info = model.__ignite__
    where = stmt.where_
    if type(where) is Binary and where.op == "=" and not info.composite:
        # One term on a single-field key (``Item.id == 5``, ``get``'s typed twin): what
        # the general path below finds for it, without collecting terms.
        a, b = where.left, where.right
        if isinstance(b, Column) and isinstance(a, Param):
            a, b = b, a
        if not (isinstance(a, Column) and a.model is model and isinstance(b, Param)):
            return None
        name = a.field.name
        if name != info.key_fields[0].name:
            return None
        term = {name: b.value}
        return [term] if _valid_key(info, term) else None
    keys = {f.name for f in info.key_fields}
    if isinstance(where, InList) and not info.composite:
        operand = where.operand
        if (
            not where.negate
            and isinstance(operand, Column)
            and operand.model is model
            and operand.field.name in keys
            and all(isinstance(i, Param) for i in where.items)
        ):
            name = operand.field.name
            found = [{name: i.value} for i in where.items]  # type: ignore[attr-defined]
            return found if found and all(_valid_key(info, v) for v in found) else None
        return None
    values: dict[str, Any] = {}
    for a, b in _equalities(where):
        if isinstance(b, Column) and isinstance(a, Param):
            a, b = b, a
        if not (isinstance(a, Column) and a.model is model and isinstance(b, Param)):
            return None
        if a.field.name not in keys or a.field.name in values:
            return None
        values[a.field.name] = b.value
    if set(values) != keys or _term_count(where) != len(keys):
        return None
    return [values] if _valid_key(info, values) else None


def _valid_key(info: Any, values: dict[str, Any]) -> bool:
    """Whether the values are keys as stored (else SQL decides, converting as it does)."""
    for name, value in values.items():
        if type(value) is info.plain_key_type:
            continue  # an int/str/UUID of the key's own type validates as itself
        try:
            info.key_adapters[name].validate_python(value)
        except ValueError:
            return False
    return True


def _term_count(condition: Expr[Any]) -> int:
    if isinstance(condition, Binary) and condition.op == "AND":
        return _term_count(condition.left) + _term_count(condition.right)
    return 1
