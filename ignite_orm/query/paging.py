"""Pages for services: ``Page`` and its cursor, and the statement that fetches a page.

Pure.  A page asks for one row more than it shows, so ``has_next`` costs nothing extra.
The cursor is *keyset* when it can be (the query selects one model and sorts only by its
non-null fields; its key fields are added as the last sort terms, so the order is total):
the next page is ``WHERE (sort columns) > (the last row's values)``, which an index serves
without reading the skipped rows, and rows inserted meanwhile do not shift pages.
Otherwise it is an *offset* cursor (``OFFSET n``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from .expressions import Column, Expr, Ordering, QueryError, and_, or_
from .statements import Select

__all__ = ["Page", "PageCursor", "page_statement"]

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class PageCursor:
    """Where the next page starts: after ``after`` (keyset) or at ``offset``."""

    offset: int = 0
    after: tuple[Any, ...] | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[R]):
    """One page of results."""

    items: list[R]
    has_next: bool
    next: PageCursor | None = field(default=None)


def keyset_order(stmt: Select[Any]) -> tuple[Ordering, ...] | None:
    """The total order a keyset cursor uses, or None when offsets must do."""
    if len(stmt.entities) != 1 or not isinstance(stmt.entities[0], type):
        return None
    if stmt.group or stmt.distinct_ or stmt.joins or stmt.offset_ is not None:
        return None
    model: Any = stmt.entities[0]
    info = model.__ignite__
    order = list(stmt.order)
    for o in order:
        if not (isinstance(o.expr, Column) and o.expr.model is model):
            return None
        if o.expr.field.type.nullable and not o.expr.field.not_null:
            return None
    named = {o.expr.field.name for o in order}  # type: ignore[attr-defined]
    order.extend(
        Ordering(Column(model, f), False, None) for f in info.key_fields if f.name not in named
    )
    return tuple(order)


def page_statement(
    stmt: Select[R], size: int, cursor: PageCursor | None
) -> tuple[Select[R], tuple[Ordering, ...] | None]:
    """The statement for one page (``size + 1`` rows) and the keyset order, if any."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise QueryError(f"page() size must be an int >= 1, got {size!r}")
    if stmt.limit_ is not None:
        raise QueryError("page() sets the limit itself: remove limit() from the statement")
    order = keyset_order(stmt)
    if order is None:
        paged = stmt.offset(cursor.offset) if cursor is not None and cursor.offset else stmt
        return paged.limit(size + 1), None
    paged = Select(**{**{f: getattr(stmt, f) for f in stmt.__dataclass_fields__}, "order": order})
    if cursor is not None:
        if cursor.after is None or len(cursor.after) != len(order):
            raise QueryError("this cursor belongs to another query")
        paged = paged.where(_after(order, cursor.after))
    return paged.limit(size + 1), order


def _after(order: tuple[Ordering, ...], values: tuple[Any, ...]) -> Expr[bool]:
    """Rows after ``values`` in ``order``: (a > x) OR (a = x AND b > y) OR ..."""
    terms = []
    for i, o in enumerate(order):
        column = o.expr
        step = column < values[i] if o.descending else column > values[i]
        equal = [order[j].expr == values[j] for j in range(i)]
        terms.append(and_(*equal, step) if equal else step)
    return or_(*terms)


def cursor_after(order: tuple[Ordering, ...], last: Any) -> PageCursor:
    """The keyset cursor after the model object ``last``."""
    values = []
    for o in order:
        column = o.expr
        assert isinstance(column, Column)
        values.append(column._wire(getattr(last, column.field.name)))
    return PageCursor(after=tuple(values))
