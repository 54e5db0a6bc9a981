"""Typed queries: expressions over model fields, compiled to parameterized Ignite SQL.

::

    from ignite_orm.query import col, func, select, update, delete

    stmt = (
        select(Order)
        .where(Order.status == Status.OPEN, col(Order.total).between(10, 100))
        .order_by(col(Order.created).desc(nulls="last"))
        .limit(20)
    )
    print(stmt)                       # the SQL, every value a ? parameter
    orders = db.query(stmt).all()     # list[Order]
    n = db.execute(update(Order).where(Order.id == 5).values(status=Status.PAID))

Modules: :mod:`.expressions` (columns and conditions), :mod:`.functions` (aggregates),
:mod:`.statements` (select/update/delete, immutable and generative), :mod:`.compiler`
(pure, cached translation to SQL), :mod:`.routing` (key lookups, collocation),
:mod:`.paging` (pages and cursors), :mod:`.aio_results` / :mod:`.results` (running them).
"""

from __future__ import annotations

from .aio_results import AioResult
from .compiler import Compiled, cache_info, compile_statement
from .expressions import (
    Column,
    Expr,
    MultipleResultsError,
    NoResultError,
    QueryError,
    and_,
    col,
    not_,
    or_,
)
from .functions import func
from .paging import Page, PageCursor
from .relations import References
from .results import Result
from .statements import Delete, Select, Update, delete, select, update

__all__ = [
    "AioResult",
    "Column",
    "Compiled",
    "Delete",
    "Expr",
    "MultipleResultsError",
    "NoResultError",
    "Page",
    "PageCursor",
    "QueryError",
    "References",
    "Result",
    "Select",
    "Update",
    "and_",
    "cache_info",
    "col",
    "compile_statement",
    "delete",
    "func",
    "not_",
    "or_",
    "select",
    "update",
]
