"""Expression trees over model fields: what ``Order.total > 5`` builds.

How a user reaches a field: ``Order.total``, the class attribute, is a :class:`Column`
at run time (the model installs one per field once the class is built; instances keep
their values, so ``order.total`` is still the number).  mypy sees the declared type
(``int``) there, so a comparison type-checks as ``bool`` and ``where()`` accepts it; for
the operations a plain ``int`` or ``str`` lacks (``in_``, ``between``, ``like``,
``desc``, ``is_null``) and for typed projections, ``col(Order.total)`` gives a
``Column[int]`` to mypy as well (SQLModel's ``col()``, the one design that keeps mypy's
inference without a plugin: a namespace such as ``Order.q.total`` cannot be typed per
model without one).  A real ``bool`` where an expression belongs (a comparison Python
evaluated itself) is refused with :class:`QueryError`, and an expression has no truth
value, so ``and``/``or``/``not``/``in`` and chained comparisons fail loudly instead of
silently dropping a term.

Nodes are frozen: combining expressions builds new trees.  Every value from the user is
a :class:`Param` (a bound ``?`` parameter) converted as the field stores it (an enum as
its value), never SQL text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

if TYPE_CHECKING:
    from ..mapping import FieldInfo

__all__ = [
    "Between",
    "Binary",
    "Column",
    "Expr",
    "Func",
    "InList",
    "IsNull",
    "Like",
    "MultipleResultsError",
    "NoResultError",
    "Ordering",
    "Param",
    "QueryError",
    "Unary",
    "and_",
    "as_condition",
    "col",
    "escape_like",
    "not_",
    "or_",
]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
Convert = Callable[[Any], Any]


class QueryError(TypeError):
    """A query that cannot mean what it says (raised before anything is sent)."""


class NoResultError(LookupError):
    """``one()`` found no row."""


class MultipleResultsError(LookupError):
    """``one()`` or ``one_or_none()`` found more than one row."""


def _identity(value: Any) -> Any:
    return value


class Expr(Generic[T_co]):
    """A SQL expression whose value is a ``T_co``; operators build new expressions."""

    __slots__ = ()

    #: Converts a result value of this expression to its Python form.
    def _decoder(self) -> Convert:
        return _identity

    def _wire(self, value: Any) -> Any:
        """``value`` as a parameter compared with this expression (as it is stored)."""
        return value

    def _value(self, other: Any) -> Expr[Any]:
        if isinstance(other, Expr):
            return other
        if isinstance(other, bool) and not isinstance(self, Column):
            raise QueryError(f"a bool ({other!r}) cannot be compared with {self!r}")
        return Param(self._wire(other))

    def __bool__(self) -> bool:
        raise QueryError(
            "an expression has no truth value: combine conditions with & | ~ "
            "(or and_, or_, not_), test membership with col(...).in_(...), "
            "and split chained comparisons (a < x < b) into two"
        )

    # Comparisons build conditions; mypy sees them on Expr only (plain attributes of a
    # model class are typed as their values, whose comparisons are bool).
    def __eq__(self, other: Any) -> Expr[bool]:  # type: ignore[override]
        if other is None:
            raise QueryError("compare with None through col(...).is_null()")
        return Binary("=", self, self._value(other))

    def __ne__(self, other: Any) -> Expr[bool]:  # type: ignore[override]
        if other is None:
            raise QueryError("compare with None through col(...).is_not_null()")
        return Binary("<>", self, self._value(other))

    def __lt__(self, other: Any) -> Expr[bool]:
        return Binary("<", self, self._value(other))

    def __le__(self, other: Any) -> Expr[bool]:
        return Binary("<=", self, self._value(other))

    def __gt__(self, other: Any) -> Expr[bool]:
        return Binary(">", self, self._value(other))

    def __ge__(self, other: Any) -> Expr[bool]:
        return Binary(">=", self, self._value(other))

    __hash__ = object.__hash__

    def __and__(self, other: Expr[bool] | bool) -> Expr[bool]:
        return and_(self, other)  # type: ignore[arg-type]

    def __rand__(self, other: Expr[bool] | bool) -> Expr[bool]:
        return and_(other, self)  # type: ignore[arg-type]

    def __or__(self, other: Expr[bool] | bool) -> Expr[bool]:
        return or_(self, other)  # type: ignore[arg-type]

    def __ror__(self, other: Expr[bool] | bool) -> Expr[bool]:
        return or_(other, self)  # type: ignore[arg-type]

    def __invert__(self) -> Expr[bool]:
        return not_(self)  # type: ignore[arg-type]

    # Arithmetic keeps the operand's type (SQL's numeric promotion aside).
    def __add__(self: Expr[T], other: T | int | Expr[Any]) -> Expr[T]:
        return Binary("+", self, self._value(other), self._decoder())

    def __radd__(self: Expr[T], other: T | int) -> Expr[T]:
        return Binary("+", self._value(other), self, self._decoder())

    def __sub__(self: Expr[T], other: T | int | Expr[Any]) -> Expr[T]:
        return Binary("-", self, self._value(other), self._decoder())

    def __rsub__(self: Expr[T], other: T | int) -> Expr[T]:
        return Binary("-", self._value(other), self, self._decoder())

    def __mul__(self: Expr[T], other: T | int | Expr[Any]) -> Expr[T]:
        return Binary("*", self, self._value(other), self._decoder())

    def __rmul__(self: Expr[T], other: T | int) -> Expr[T]:
        return Binary("*", self._value(other), self, self._decoder())

    def __truediv__(self: Expr[T], other: T | int | Expr[Any]) -> Expr[T]:
        return Binary("/", self, self._value(other), self._decoder())

    def __mod__(self: Expr[T], other: T | int | Expr[Any]) -> Expr[T]:
        return Binary("%", self, self._value(other), self._decoder())

    def __neg__(self: Expr[T]) -> Expr[T]:
        return Unary("-", self, self._decoder())

    # -- predicates ------------------------------------------------------------------------
    def in_(self: Expr[T], values: Iterable[T]) -> Expr[bool]:
        items = tuple(self._value(v) for v in values)
        return InList(self, items, False)

    def not_in(self: Expr[T], values: Iterable[T]) -> Expr[bool]:
        items = tuple(self._value(v) for v in values)
        return InList(self, items, True)

    def between(self: Expr[T], low: T | Expr[T], high: T | Expr[T]) -> Expr[bool]:
        return Between(self, self._value(low), self._value(high))

    def is_null(self) -> Expr[bool]:
        return IsNull(self, False)

    def is_not_null(self) -> Expr[bool]:
        return IsNull(self, True)

    def like(self: Expr[str] | Expr[str | None], pattern: str) -> Expr[bool]:
        """SQL ``LIKE`` with the pattern as given (``%`` and ``_`` are wildcards)."""
        return _like(self, _text(pattern, "like"))

    def startswith(self: Expr[str] | Expr[str | None], prefix: str) -> Expr[bool]:
        """Text beginning with ``prefix``, taken literally (its ``%`` and ``_`` too)."""
        return _like(self, escape_like(_text(prefix, "startswith")) + "%")

    def endswith(self: Expr[str] | Expr[str | None], suffix: str) -> Expr[bool]:
        return _like(self, "%" + escape_like(_text(suffix, "endswith")))

    def contains(self: Expr[str] | Expr[str | None], part: str) -> Expr[bool]:
        return _like(self, "%" + escape_like(_text(part, "contains")) + "%")

    # -- ordering --------------------------------------------------------------------------
    def asc(self, nulls: Literal["first", "last"] | None = None) -> Ordering:
        return Ordering(self, False, nulls)

    def desc(self, nulls: Literal["first", "last"] | None = None) -> Ordering:
        return Ordering(self, True, nulls)


def _like(operand: Expr[Any], pattern: str) -> Expr[bool]:
    """``operand LIKE pattern``; a pattern of only ``%`` (``startswith("")``) is
    ``IS NOT NULL``, which is what Ignite turns it into anyway (so ``NOT`` of it keeps
    null rows, unlike SQL's three-valued ``NOT (NULL LIKE '%')``): said here, it is the
    same whatever the server optimizes."""
    if pattern and set(pattern) == {"%"}:
        return IsNull(operand, True)
    return Like(operand, Param(pattern))


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise QueryError(f"{what}() takes a str, got {type(value).__name__}")
    return value


#: The LIKE escape character: Ignite's default (H2's); its SQL refuses an ESCAPE clause.
LIKE_ESCAPE = "\\"


def escape_like(text: str) -> str:
    """``text`` with LIKE's wildcards and the escape character made literal."""
    return (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )


@dataclass(frozen=True, eq=False, slots=True)
class Column(Expr[T_co]):
    """A model field as a SQL column (``Order.total`` at run time, ``col(...)`` typed)."""

    model: type
    field: FieldInfo

    def _decoder(self) -> Convert:
        return self.field.type.from_wire or _identity

    def _wire(self, value: Any) -> Any:
        convert = self.field.type.to_wire
        return convert(value) if convert is not None and value is not None else value

    def __repr__(self) -> str:
        return f"{self.model.__name__}.{self.field.name}"


@dataclass(frozen=True, eq=False, slots=True)
class Param(Expr[Any]):
    """A bound parameter: the value travels beside the SQL, never inside it."""

    value: Any

    def __repr__(self) -> str:
        return f"Param({self.value!r})"


@dataclass(frozen=True, eq=False, slots=True)
class Binary(Expr[Any]):
    op: str
    left: Expr[Any]
    right: Expr[Any]
    decode: Convert = _identity

    def _decoder(self) -> Convert:
        return self.decode


@dataclass(frozen=True, eq=False, slots=True)
class Unary(Expr[Any]):
    op: str
    operand: Expr[Any]
    decode: Convert = _identity

    def _decoder(self) -> Convert:
        return self.decode


@dataclass(frozen=True, eq=False, slots=True)
class InList(Expr[bool]):
    operand: Expr[Any]
    items: tuple[Expr[Any], ...]
    negate: bool


@dataclass(frozen=True, eq=False, slots=True)
class Between(Expr[bool]):
    operand: Expr[Any]
    low: Expr[Any]
    high: Expr[Any]


@dataclass(frozen=True, eq=False, slots=True)
class IsNull(Expr[bool]):
    operand: Expr[Any]
    negate: bool


@dataclass(frozen=True, eq=False, slots=True)
class Like(Expr[bool]):
    operand: Expr[Any]
    pattern: Param


@dataclass(frozen=True, eq=False, slots=True)
class Func(Expr[Any]):
    """An aggregate: ``name`` is COUNT, SUM, AVG, MIN or MAX; no argument is ``*``."""

    name: str
    arg: Expr[Any] | None
    decode: Convert = _identity

    def _decoder(self) -> Convert:
        return self.decode


@dataclass(frozen=True, eq=False, slots=True)
class Ordering:
    """One ``ORDER BY`` term."""

    expr: Expr[Any]
    descending: bool
    nulls: Literal["first", "last"] | None

    def __post_init__(self) -> None:
        if self.nulls not in (None, "first", "last"):
            raise QueryError(f"nulls must be 'first', 'last' or None, got {self.nulls!r}")


def col(attribute: T) -> Column[T]:
    """The typed column of a model field: ``col(Order.total)`` is a ``Column[int]``."""
    if not isinstance(attribute, Column):
        raise QueryError(f"col() takes a model field such as col(Order.total), got {attribute!r}")
    return attribute


def as_condition(value: Any, where: str) -> Expr[bool]:
    """``value`` checked to be a condition: a plain bool means Python compared already."""
    if isinstance(value, bool):
        raise QueryError(
            f"{where} got a plain bool ({value}), not a condition: Python evaluated the "
            "comparison itself (an is/in/and/or test, or a value compared with a value). "
            "Compare a model field, e.g. Order.total > 5 or col(Order.id).in_([1, 2])"
        )
    if isinstance(value, Column) and value.field.type.java_type == "java.lang.Boolean":
        return Binary("=", value, Param(True))  # a bool field is a condition: where(Item.active)
    if not isinstance(value, Expr) or isinstance(value, (Param, Column)):
        raise QueryError(f"{where} takes conditions such as Order.total > 5, got {value!r}")
    return value


def and_(*conditions: Expr[bool] | bool) -> Expr[bool]:
    """All of ``conditions``."""
    return _chain("AND", conditions, "and_()")


def or_(*conditions: Expr[bool] | bool) -> Expr[bool]:
    """Any of ``conditions``."""
    return _chain("OR", conditions, "or_()")


def not_(condition: Expr[bool] | bool) -> Expr[bool]:
    """The negation of ``condition``."""
    return Unary("NOT", as_condition(condition, "not_()"))


def _chain(op: str, conditions: tuple[Any, ...], where: str) -> Expr[bool]:
    if not conditions:
        raise QueryError(f"{where} needs at least one condition")
    checked = [as_condition(c, where) for c in conditions]
    result = checked[0]
    for c in checked[1:]:
        result = Binary(op, result, c)
    return result


def replace(node: Any, **changes: Any) -> Any:
    """A copy of a frozen node with ``changes`` (the generative statements use it)."""
    return dataclasses.replace(node, **changes)
