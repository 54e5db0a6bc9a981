"""Statements: ``select``, ``update``, ``delete``; immutable and generative.

Every method returns a new statement (``where()`` adds to a copy), so a statement can be
kept, shared and extended, as in SQLAlchemy 2.  ``str(stmt)`` is its SQL; compilation is
the separate, pure pass in :mod:`.compiler`.  The result type is carried statically:
``select(Order)`` is a ``Select[Order]``, ``select(Order, Customer)`` a
``Select[tuple[Order, Customer]]``, ``select(col(Order.id), func.count())`` a
``Select[tuple[int, int]]``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, overload

from ..model import IgniteModel
from .expressions import Binary, Column, Expr, Ordering, Param, QueryError, as_condition

__all__ = ["Delete", "Join", "Options", "Select", "Update", "delete", "select", "update"]

R = TypeVar("R")
M = TypeVar("M", bound=IgniteModel)
T1 = TypeVar("T1")
T2 = TypeVar("T2")
T3 = TypeVar("T3")
T4 = TypeVar("T4")
T5 = TypeVar("T5")


@dataclass(frozen=True, slots=True)
class Options:
    """Per-query options for Ignite (none of them changes the SQL text).

    ``timeout`` is in milliseconds (0: none); ``partitions`` limits the query to those
    partitions; ``distributed_joins`` allows a join that is not collocated.
    """

    lazy: bool = False
    timeout: int = 0
    page_size: int = 1024
    partitions: tuple[int, ...] | None = None
    distributed_joins: bool = False
    validate: bool = False


@dataclass(frozen=True, slots=True)
class Join:
    model: type[IgniteModel]
    on: Expr[bool]
    outer: bool = False


S = TypeVar("S")


#: Per statement class and changed fields, the function making a changed copy.
_EVOLVERS: dict[tuple[Any, ...], Callable[[Any, dict[str, Any]], Any]] = {}


def _evolver(key: tuple[Any, ...]) -> Callable[[Any, dict[str, Any]], Any]:
    """``(obj, changes) -> copy`` for ``key`` = (class, changed field names...), written
    once: each slot set through its own descriptor, from ``changes`` or straight from
    ``obj`` (a loop over names with ``getattr`` and ``object.__setattr__`` cost about
    three times as much, at every step of every chain)."""
    cls, *changed = key
    env: dict[str, Any] = {"_new": object.__new__, "_C": cls}
    lines = ["def evolve(obj, changes):", "    new = _new(_C)"]
    for i, name in enumerate(cls.__slots__):
        env[f"_s{i}"] = cls.__dict__[name].__set__
        value = f"changes[{name!r}]" if name in changed else f"obj.{name}"
        lines.append(f"    _s{i}(new, {value})")
    lines.append("    return new")
    exec("\n".join(lines), env)  # slot names are the dataclass's own identifiers
    evolve: Callable[[Any, dict[str, Any]], Any] = env["evolve"]
    _EVOLVERS[key] = evolve
    return evolve


def _evolve(obj: S, **changes: Any) -> S:
    """A copy of the frozen statement ``obj`` with ``changes`` (``dataclasses.replace``
    without re-running ``__init__``: statements are rebuilt at every step of a chain)."""
    key = (type(obj), *changes)
    evolve = _EVOLVERS.get(key) or _evolver(key)
    return evolve(obj, changes)  # type: ignore[no-any-return]


def _model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, IgniteModel) and value.__ignite__.is_table


def _check_entity(value: Any) -> Any:
    if _model(value) or (isinstance(value, Expr) and not isinstance(value, Param)):
        return value
    raise QueryError(f"select() takes table models and columns or expressions, got {value!r}")


def _ordering(value: Any) -> Ordering:
    if isinstance(value, Ordering):
        return value
    if isinstance(value, Expr) and not isinstance(value, Param):
        return Ordering(value, False, None)
    raise QueryError(f"order_by() takes columns or col(...).desc(), got {value!r}")


def _count(value: Any, what: str) -> Param:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise QueryError(f"{what}() takes an int >= 0, got {value!r}")
    return Param(value)


def _conditions(existing: Expr[bool] | None, conditions: tuple[Any, ...], where: str) -> Any:
    """``existing AND conditions...``, as ``and_`` chains them (each checked once here)."""
    checked = [as_condition(c, where) for c in conditions]
    if existing is not None:
        checked.insert(0, existing)
    if not checked:
        return None
    result = checked[0]
    for c in checked[1:]:
        result = Binary("AND", result, c)
    return result


@dataclass(frozen=True, slots=True)
class Select(Generic[R]):
    """A ``SELECT``; build it with :func:`select`.  Fields are in SQL clause order."""

    entities: tuple[Any, ...]
    from_model: type[IgniteModel] | None = None
    joins: tuple[Join, ...] = ()
    where_: Expr[bool] | None = None
    group: tuple[Expr[Any], ...] = ()
    having_: Expr[bool] | None = None
    order: tuple[Ordering, ...] = ()
    limit_: Param | None = None
    offset_: Param | None = None
    distinct_: bool = False
    options_: Options = field(default_factory=Options)

    def where(self, *conditions: Expr[bool] | bool) -> Select[R]:
        """Only rows meeting every condition (``Order.total > 5``, ``and_``, ``|``, ...)."""
        return _evolve(self, where_=_conditions(self.where_, conditions, "where()"))

    def filter_by(self, **values: Any) -> Select[R]:
        """Equality on fields of the first model: ``filter_by(status=Status.OPEN)``."""
        model = self.from_model
        if model is None:
            raise QueryError("filter_by() needs a model to select from")
        info = model.__ignite__
        conditions = []
        for name, value in values.items():
            if name not in info.by_name:
                raise QueryError(f"{model.__name__} has no field {name!r}")
            column: Column[Any] = Column(model, info.by_name[name])
            conditions.append(column.is_null() if value is None else column == value)
        return self.where(*conditions)

    def join(
        self, model: type[IgniteModel], on: Expr[bool] | bool, *, outer: bool = False
    ) -> Select[R]:
        """Join ``model`` on a condition (``Order.customer_id == Customer.id``)."""
        if not _model(model):
            raise QueryError(f"join() takes a table model, got {model!r}")
        return dataclasses.replace(
            self, joins=(*self.joins, Join(model, as_condition(on, "join()"), outer))
        )

    def outerjoin(self, model: type[IgniteModel], on: Expr[bool] | bool) -> Select[R]:
        return self.join(model, on, outer=True)

    def select_from(self, model: type[IgniteModel]) -> Select[R]:
        """The model to select from when the columns do not say (``select(func.count())``)."""
        if not _model(model):
            raise QueryError(f"select_from() takes a table model, got {model!r}")
        return _evolve(self, from_model=model)

    def group_by(self, *exprs: Expr[Any] | Any) -> Select[R]:
        for e in exprs:
            if not isinstance(e, Expr) or isinstance(e, Param):
                raise QueryError(f"group_by() takes columns or expressions, got {e!r}")
        return _evolve(self, group=(*self.group, *exprs))

    def having(self, *conditions: Expr[bool] | bool) -> Select[R]:
        return _evolve(self, having_=_conditions(self.having_, conditions, "having()"))

    def order_by(self, *terms: Ordering | Expr[Any] | Any) -> Select[R]:
        """Sort by columns; ``col(Order.total).desc(nulls="last")`` for the other ways."""
        return _evolve(self, order=(*self.order, *map(_ordering, terms)))

    def limit(self, count: int) -> Select[R]:
        return _evolve(self, limit_=_count(count, "limit"))

    def offset(self, count: int) -> Select[R]:
        return _evolve(self, offset_=_count(count, "offset"))

    def distinct(self) -> Select[R]:
        return _evolve(self, distinct_=True)

    def options(
        self,
        *,
        lazy: bool | None = None,
        timeout: int | None = None,
        page_size: int | None = None,
        partitions: list[int] | tuple[int, ...] | None = None,
        distributed_joins: bool | None = None,
        validate: bool | None = None,
    ) -> Select[R]:
        """Ignite's per-query options (see :class:`Options`); unset ones are kept."""
        changes: dict[str, Any] = {}
        for name, value in (
            ("lazy", lazy),
            ("distributed_joins", distributed_joins),
            ("validate", validate),
        ):
            if value is not None:
                changes[name] = bool(value)
        if timeout is not None:
            changes["timeout"] = _count(timeout, "timeout").value
        if page_size is not None:
            if _count(page_size, "page_size").value < 1:
                raise QueryError("page_size must be >= 1")
            changes["page_size"] = page_size
        if partitions is not None:
            changes["partitions"] = tuple(_count(p, "partitions").value for p in partitions)
        return _evolve(self, options_=dataclasses.replace(self.options_, **changes))

    def __str__(self) -> str:
        from .compiler import compile_statement

        return compile_statement(self).sql


#: What every select() starts from (immutable; its options are the defaults).
_EMPTY_SELECT: Select[Any] = Select(())


@overload
def select(entity: type[M], /) -> Select[M]: ...
@overload
def select(entity: Expr[T1], /) -> Select[tuple[T1]]: ...
@overload
def select(e1: type[T1] | Expr[T1], e2: type[T2] | Expr[T2], /) -> Select[tuple[T1, T2]]: ...
@overload
def select(
    e1: type[T1] | Expr[T1], e2: type[T2] | Expr[T2], e3: type[T3] | Expr[T3], /
) -> Select[tuple[T1, T2, T3]]: ...
@overload
def select(
    e1: type[T1] | Expr[T1],
    e2: type[T2] | Expr[T2],
    e3: type[T3] | Expr[T3],
    e4: type[T4] | Expr[T4],
    /,
) -> Select[tuple[T1, T2, T3, T4]]: ...
@overload
def select(
    e1: type[T1] | Expr[T1],
    e2: type[T2] | Expr[T2],
    e3: type[T3] | Expr[T3],
    e4: type[T4] | Expr[T4],
    e5: type[T5] | Expr[T5],
    /,
) -> Select[tuple[T1, T2, T3, T4, T5]]: ...
@overload
def select(*entities: Any) -> Select[tuple[Any, ...]]: ...
def select(*entities: Any) -> Select[Any]:
    """A typed ``SELECT`` of models (whole objects) and columns or aggregates."""
    if not entities:
        raise QueryError("select() needs at least one model or column")
    checked = tuple(_check_entity(e) for e in entities)
    first: Any = None
    for e in checked:
        if _model(e):
            first = e
            break
        if isinstance(e, Column):
            first = e.model
            break
    # Select(checked, from_model=first), made as the generative steps make their copies
    # (the frozen dataclass __init__ sets eleven fields one object.__setattr__ at a time)
    return _evolve(_EMPTY_SELECT, entities=checked, from_model=first)


@dataclass(frozen=True, slots=True)
class Update(Generic[M]):
    """``UPDATE``; ``update(Order).where(...).values(status=Status.PAID)``."""

    model: type[M]
    where_: Expr[bool] | None = None
    values_: tuple[tuple[str, Expr[Any]], ...] = ()
    options_: Options = field(default_factory=Options)

    def where(self, *conditions: Expr[bool] | bool) -> Update[M]:
        return _evolve(self, where_=_conditions(self.where_, conditions, "where()"))

    def values(self, **values: Any) -> Update[M]:
        """New field values: plain values (bound) or expressions (``Order.qty + 1``)."""
        info = self.model.__ignite__
        items = dict(self.values_)
        for name, value in values.items():
            f = info.by_name.get(name)
            if f is None:
                raise QueryError(f"{self.model.__name__} has no field {name!r}")
            if f.key:
                raise QueryError(
                    f"{self.model.__name__}.{name} is part of the key: Ignite cannot update "
                    "a key column (delete and insert instead)"
                )
            column: Column[Any] = Column(self.model, f)
            items[name] = value if isinstance(value, Expr) else Param(column._wire(value))
        return _evolve(self, values_=tuple(items.items()))

    def options(self, *, timeout: int | None = None) -> Update[M]:
        if timeout is None:
            return self
        return _evolve(self, options_=Options(timeout=_count(timeout, "timeout").value))

    def __str__(self) -> str:
        from .compiler import compile_statement

        return compile_statement(self).sql


@dataclass(frozen=True, slots=True)
class Delete(Generic[M]):
    """``DELETE``; ``delete(Order).where(Order.status == Status.CANCELLED)``."""

    model: type[M]
    where_: Expr[bool] | None = None
    options_: Options = field(default_factory=Options)

    def where(self, *conditions: Expr[bool] | bool) -> Delete[M]:
        return _evolve(self, where_=_conditions(self.where_, conditions, "where()"))

    def options(self, *, timeout: int | None = None) -> Delete[M]:
        if timeout is None:
            return self
        return _evolve(self, options_=Options(timeout=_count(timeout, "timeout").value))

    def __str__(self) -> str:
        from .compiler import compile_statement

        return compile_statement(self).sql


def update(model: type[M]) -> Update[M]:
    """An ``UPDATE`` of ``model``'s table (give ``values()``; ``where()`` narrows it)."""
    if not _model(model):
        raise QueryError(f"update() takes a table model, got {model!r}")
    return Update(model)


def delete(model: type[M]) -> Delete[M]:
    """A ``DELETE`` from ``model``'s table (every row unless ``where()`` narrows it)."""
    if not _model(model):
        raise QueryError(f"delete() takes a table model, got {model!r}")
    return Delete(model)
