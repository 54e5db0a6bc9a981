"""Statements -> Ignite SQL: a pure pass, cached by the statement's shape.

The shape of a statement is its tree with every bound value left out (an ``IN`` list
keeps its length).  :func:`compile_statement` walks the tree once to get the shape and
the values, in the order the SQL's ``?`` markers take them; only a shape not seen before
is turned into SQL (:func:`_render`), so running one query with other values costs the
walk, not a compilation.  Every identifier goes through :mod:`ignite_orm._sql_names`;
every value is a parameter, never text.

What is decided here besides the SQL, also pure and cached: how result rows become
Python values (:class:`Slot`), and whether the joins are collocated (:mod:`.routing`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._sql_names import qualified_name, quote_identifier
from .expressions import (
    Between,
    Binary,
    Column,
    Func,
    InList,
    IsNull,
    Like,
    Ordering,
    Param,
    QueryError,
    Unary,
    _identity,
)
from .routing import join_plan
from .statements import Delete, Select, Update

__all__ = ["Compiled", "Slot", "cache_info", "clear_cache", "compile_statement"]


@dataclass(frozen=True, slots=True)
class Slot:
    """One item of a result row: a model (two columns, key and value) or a value."""

    model: Any = None
    decode: Callable[[Any], Any] | None = None


@dataclass(frozen=True, slots=True)
class Compiled:
    """A statement's SQL and bound values, and what running it needs to know."""

    sql: str
    params: tuple[Any, ...]
    slots: tuple[Slot, ...] = ()
    collocated: bool = False
    #: Why the joins need distributed joins (None: they do not).
    not_collocated: str | None = None

    @property
    def scalar_row(self) -> bool:
        """Rows are one model, not tuples (``select(Order)``)."""
        return len(self.slots) == 1 and self.slots[0].model is not None


#: shape -> (sql, slots, collocated, not_collocated); bounded, oldest dropped first.
_CACHE: dict[Any, tuple[str, tuple[Slot, ...], bool, str | None]] = {}
_CACHE_SIZE = 1024
_stats = {"hits": 0, "misses": 0}


def cache_info() -> dict[str, int]:
    """Hits, misses and size of the translation cache."""
    return {**_stats, "size": len(_CACHE)}


def clear_cache() -> None:
    _CACHE.clear()
    _stats.update(hits=0, misses=0)


def compile_statement(stmt: Select[Any] | Update[Any] | Delete[Any]) -> Compiled:
    """The SQL and parameters of ``stmt`` (from the cache when its shape was seen)."""
    params: list[Any] = []
    shape = _statement_shape(stmt, params)
    cached = _CACHE.get(shape)
    if cached is None:
        _stats["misses"] += 1
        rendered: list[Any] = []
        sql, slots, collocated, problem = _render(stmt, rendered)
        if len(rendered) != len(params):  # pragma: no cover - a compiler bug
            raise AssertionError("parameter order of the shape walk and the SQL differ")
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE), None), None)  # (threads may race here: harmless)
        cached = _CACHE[shape] = (sql, slots, collocated, problem)
    else:
        _stats["hits"] += 1
    return Compiled(cached[0], tuple(params), *cached[1:])


# -- shape: the tree without its values --------------------------------------------------------


def _shape(node: Any, params: list[Any]) -> Any:
    if isinstance(node, Param):
        params.append(node.value)
        return "?"
    if isinstance(node, Column):
        return (node.model, node.field.name)
    if isinstance(node, Binary):
        return ("b", node.op, _shape(node.left, params), _shape(node.right, params))
    if isinstance(node, Unary):
        return ("u", node.op, _shape(node.operand, params))
    if isinstance(node, InList):
        return (
            "in",
            node.negate,
            _shape(node.operand, params),
            tuple(_shape(i, params) for i in node.items),
        )
    if isinstance(node, Between):
        return (
            "between",
            _shape(node.operand, params),
            _shape(node.low, params),
            _shape(node.high, params),
        )
    if isinstance(node, IsNull):
        return ("null", node.negate, _shape(node.operand, params))
    if isinstance(node, Like):
        return ("like", _shape(node.operand, params), _shape(node.pattern, params))
    if isinstance(node, Func):
        return ("f", node.name, None if node.arg is None else _shape(node.arg, params))
    if isinstance(node, Ordering):
        return ("o", _shape(node.expr, params), node.descending, node.nulls)
    if isinstance(node, type):
        return node
    if node is None:
        return None
    raise QueryError(f"not part of a query: {node!r}")  # pragma: no cover


def _statement_shape(stmt: Any, params: list[Any]) -> Any:
    """The shape, walking in the order :func:`_render` writes ``?`` markers."""
    if isinstance(stmt, Select):
        return (
            "select",
            stmt.distinct_,
            tuple(_shape(e, params) for e in stmt.entities),
            stmt.from_model,
            tuple((j.model, j.outer, _shape(j.on, params)) for j in stmt.joins),
            _shape(stmt.where_, params),
            tuple(_shape(g, params) for g in stmt.group),
            _shape(stmt.having_, params),
            tuple(_shape(o, params) for o in stmt.order),
            _shape(stmt.limit_, params),
            _shape(stmt.offset_, params),
        )
    if isinstance(stmt, Update):
        return (
            "update",
            stmt.model,
            tuple((name, _shape(v, params)) for name, v in stmt.values_),
            _shape(stmt.where_, params),
        )
    if isinstance(stmt, Delete):
        return ("delete", stmt.model, _shape(stmt.where_, params))
    raise QueryError(f"not a statement: {stmt!r}")


# -- rendering ----------------------------------------------------------------------------------


class _Writer:
    """Renders expressions; ``aliases`` maps models to table aliases (None: unqualified)."""

    def __init__(self, aliases: dict[type, str] | None, params: list[Any]) -> None:
        self.aliases = aliases
        self.params = params

    def column(self, node: Column[Any]) -> str:
        name = quote_identifier(node.field.column)
        if self.aliases is None:
            return name
        alias = self.aliases.get(node.model)
        if alias is None:
            raise QueryError(
                f"{node!r} is used, but {node.model.__name__} is not in the query: "
                f"select it or join it (.join({node.model.__name__}, ...))"
            )
        return f"{alias}.{name}"

    def expr(self, node: Any) -> str:
        if isinstance(node, Param):
            self.params.append(node.value)
            return "?"
        if isinstance(node, Column):
            return self.column(node)
        if isinstance(node, Binary):
            left, right = self.expr(node.left), self.expr(node.right)
            if node.op == "%":
                return f"MOD({left}, {right})"
            return f"({left} {node.op} {right})"
        if isinstance(node, Unary):
            return f"({node.op} {self.expr(node.operand)})"
        if isinstance(node, InList):
            operand = self.expr(node.operand)
            if not node.items:
                return "(1=1)" if node.negate else "(1=0)"
            items = ", ".join(self.expr(i) for i in node.items)
            return f"({operand} {'NOT IN' if node.negate else 'IN'} ({items}))"
        if isinstance(node, Between):
            operand = self.expr(node.operand)
            return f"({operand} BETWEEN {self.expr(node.low)} AND {self.expr(node.high)})"
        if isinstance(node, IsNull):
            return f"({self.expr(node.operand)} IS {'NOT NULL' if node.negate else 'NULL'})"
        if isinstance(node, Like):
            operand = self.expr(node.operand)
            # Ignite's SQL refuses an ESCAPE clause; its default escape is the backslash
            # (H2's), which escape_like() uses.
            return f"({operand} LIKE {self.expr(node.pattern)})"
        if isinstance(node, Func):
            if node.arg is None:
                return f"{node.name}(*)"
            arg = self.expr(node.arg)
            if node.name == "AVG":
                arg = f"CAST({arg} AS DOUBLE)"
            return f"{node.name}({arg})"
        raise QueryError(f"not an expression: {node!r}")

    def ordering(self, node: Ordering) -> str:
        text = f"{self.expr(node.expr)} {'DESC' if node.descending else 'ASC'}"
        if node.nulls is not None:
            text += f" NULLS {node.nulls.upper()}"
        return text


def _table(model: Any) -> str:
    info = model.__ignite__
    return qualified_name(info.settings.sql_schema, info.table)


def _render(stmt: Any, params: list[Any]) -> tuple[str, tuple[Slot, ...], bool, str | None]:
    if isinstance(stmt, Update):
        w = _Writer(None, params)
        if not stmt.values_:
            raise QueryError(f"update({stmt.model.__name__}) has no values(): nothing to set")
        info = stmt.model.__ignite__
        sets = ", ".join(
            f"{quote_identifier(info.by_name[name].column)} = {w.expr(v)}"
            for name, v in stmt.values_
        )
        sql = f"UPDATE {_table(stmt.model)} SET {sets}"
        if stmt.where_ is not None:
            sql += f" WHERE {w.expr(stmt.where_)}"
        return sql, (), False, None
    if isinstance(stmt, Delete):
        w = _Writer(None, params)
        sql = f"DELETE FROM {_table(stmt.model)}"
        if stmt.where_ is not None:
            sql += f" WHERE {w.expr(stmt.where_)}"
        return sql, (), False, None
    return _render_select(stmt, params)


def _render_select(
    stmt: Select[Any], params: list[Any]
) -> tuple[str, tuple[Slot, ...], bool, str | None]:
    base = stmt.from_model
    if base is None:
        raise QueryError("nothing to select from: add .select_from(Model)")
    models = [base, *(j.model for j in stmt.joins)]
    if len(set(models)) != len(models):
        raise QueryError("a model appears twice in one query (self-joins are not supported)")
    aliases = {m: f"t{i}" for i, m in enumerate(models)}
    w = _Writer(aliases, params)
    items: list[str] = []
    slots: list[Slot] = []
    for e in stmt.entities:
        if isinstance(e, type):
            if e not in aliases:
                raise QueryError(
                    f"{e.__name__} is selected but not joined: .join({e.__name__}, ...)"
                )
            a = aliases[e]
            items += [f"{a}._KEY", f"{a}._VAL"]
            slots.append(Slot(model=e))
        else:
            items.append(w.expr(e))
            decode = e._decoder()
            # No decoder at all for a value that arrives as its Python type (most columns):
            # the results then pass such rows through without a call per value.
            slots.append(Slot(decode=None if decode is _identity else decode))
    select_list = ", ".join(f"{item} AS c{i}" for i, item in enumerate(items))
    sql = f"SELECT {'DISTINCT ' if stmt.distinct_ else ''}{select_list}"
    sql += f" FROM {_table(base)} AS {aliases[base]}"
    for j in stmt.joins:
        kind = "LEFT JOIN" if j.outer else "INNER JOIN"
        sql += f" {kind} {_table(j.model)} AS {aliases[j.model]} ON {w.expr(j.on)}"
    if stmt.where_ is not None:
        sql += f" WHERE {w.expr(stmt.where_)}"
    if stmt.group:
        sql += " GROUP BY " + ", ".join(w.expr(g) for g in stmt.group)
    if stmt.having_ is not None:
        sql += f" HAVING {w.expr(stmt.having_)}"
    if stmt.order:
        sql += " ORDER BY " + ", ".join(w.ordering(o) for o in stmt.order)
    if stmt.limit_ is not None:
        sql += f" LIMIT {w.expr(stmt.limit_)}"
    elif stmt.offset_ is not None:
        sql += " LIMIT 2147483647"  # SQL needs a LIMIT before OFFSET; this is "all"
    if stmt.offset_ is not None:
        sql += f" OFFSET {w.expr(stmt.offset_)}"
    collocated, problem = join_plan(base, stmt.joins, stmt.group)
    return sql, tuple(slots), collocated, problem
